// The redirect to Eventpop's authorize page (RFC 6749 section 4.1.1) built without per-request URL parsing, with its PKCE pair (RFC 7636) from pooled random bytes.
import { hash, randomFillSync } from 'node:crypto';
import * as querystring from 'node:querystring';

import { hasScheme } from './options';

import type OAuth2Strategy = require('passport-oauth2');

/**
 * What every authorize redirect of one strategy repeats, worked out at construction. The URL is
 * the one passport-oauth2 builds (`url.parse`, merge, `url.format`): the same parameters in the
 * same order, encoded by `querystring` as `url.format` encodes them.
 * @internal
 */
export interface AuthorizeTemplate {
  /** `<authorizationURL>?response_type=code&redirect_uri=...&scope=...`. */
  readonly prefix: string;
  /** `&client_id=...`: passport-oauth2 sets the client ID after the other parameters. */
  readonly suffix: string;
  /** Whether to send an S256 challenge and hand the store its verifier. */
  readonly pkce: boolean;
  /** The metadata passport-oauth2 hands a state store's `store` (a copy per call). */
  readonly meta: Readonly<OAuth2Strategy.Metadata & { callbackURL: string }>;
}

/**
 * The template for a strategy's authorize redirects, or undefined when only passport-oauth2's own
 * path builds the right URL: a relative `callbackURL` (resolved against each request), or an
 * `authorizationURL` with a query or fragment of its own (merged with the parameters).
 * @internal
 */
export function authorizeTemplate(
  authorizationURL: URL,
  tokenURL: URL,
  clientID: string,
  callbackURL: string,
  scope: string,
  pkce: boolean,
): AuthorizeTemplate | undefined {
  if (!hasScheme(callbackURL)) return undefined;
  const { search, hash, username, password } = authorizationURL;
  if (search !== '' || hash !== '' || username !== '' || password !== '') return undefined;
  const fixed: Record<string, string> = { response_type: 'code', redirect_uri: callbackURL };
  if (scope) fixed.scope = scope;
  return {
    prefix: `${authorizationURL.origin}${authorizationURL.pathname}?${querystring.stringify(fixed)}`,
    suffix: `&${querystring.stringify({ client_id: clientID })}`,
    pkce,
    meta: { authorizationURL: authorizationURL.href, tokenURL: tokenURL.href, clientID, callbackURL },
  };
}

// crypto.randomBytes() costs about 1.5 µs a call whatever the size (Node runs each call as a
// crypto job); bytes taken from a buffer that randomFillSync() refills every 4 KiB cost a
// twentieth of that (docs/performance.md). The bytes are the same CSPRNG's, and each is used
// once; Node's own crypto.randomUUID() keeps a cache of random bytes the same way.
const pool = Buffer.alloc(4096);
let taken = pool.length;

/** `size` unused random bytes from the pool, in base64url. */
function pooledRandom(size: number): string {
  if (taken + size > pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const text = pool.toString('base64url', taken, taken + size);
  taken += size;
  return text;
}

/** A PKCE code verifier: 32 random bytes in base64url, 43 characters (RFC 7636 section 4.1). @internal */
export function createVerifier(): string {
  return pooledRandom(32);
}

/**
 * A state handle: 18 random bytes in base64url, 24 characters like passport-oauth2's uid2 handle
 * (144 bits where uid2 gives about 143, and without uid2's crypto.pseudoRandomBytes, which Node's
 * documentation deprecates: DEP0115). @internal
 */
export function createStateHandle(): string {
  return pooledRandom(18);
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)) (RFC 7636 section 4.2). @internal */
export function challengeS256(verifier: string): string {
  // The one-shot hash: half the cost of createHash().update().digest() for a short input.
  return hash('sha256', verifier, 'base64url');
}

type StoreCallback = (err: Error | null, handle?: string) => void;
interface SessionRequest {
  session?: Record<string, Record<string, unknown> | undefined>;
}

const NO_SESSION =
  'OAuth 2.0 authentication requires session support when using state. Did you forget to use express-session middleware?';

/**
 * Makes the state store passport-oauth2 built by default (its SessionStore, or PKCESessionStore
 * with PKCE) take its handles from the pool: the same session entry under the same key, the same
 * error without a session, and the store's own `verify`. A store the app gave is left alone.
 * @internal
 */
export function usePooledHandles(store: OAuth2Strategy.StateStore, pkce: boolean): void {
  const key = (store as unknown as { _key?: unknown })._key;
  // Only the two stores this replaces the handle of: another passport-oauth2 keeps its own.
  if (typeof key !== 'string' || store.store.length !== (pkce ? 5 : 2)) return;
  const entry = (req: SessionRequest): Record<string, unknown> | undefined => {
    const session = req.session;
    if (!session) return undefined;
    let bucket = session[key];
    if (!bucket) {
      bucket = {};
      session[key] = bucket;
    }
    return bucket;
  };
  // The arity is how passport-oauth2 (and redirectToAuthorize) tell the two forms apart.
  const save = pkce
    ? (req: SessionRequest, verifier: string, state: unknown, _meta: unknown, callback: StoreCallback) => {
        const bucket = entry(req);
        if (!bucket) return callback(new Error(NO_SESSION));
        const stored: Record<string, unknown> = { handle: createStateHandle(), code_verifier: verifier };
        if (state) stored.state = state;
        bucket.state = stored;
        callback(null, stored.handle as string);
      }
    : (req: SessionRequest, callback: StoreCallback) => {
        const bucket = entry(req);
        if (!bucket) return callback(new Error(NO_SESSION));
        const handle = createStateHandle();
        bucket.state = handle;
        callback(null, handle);
      };
  (store as unknown as { store: unknown }).store = save;
}

/**
 * A fresh copy of a template's metadata, as passport-oauth2 hands each store call its own (a
 * store may change it); a literal, since Node 20 spreads slowly.
 * @internal
 */
export function copyMeta(meta: AuthorizeTemplate['meta']): OAuth2Strategy.Metadata & { callbackURL: string } {
  const { authorizationURL, tokenURL, clientID, callbackURL } = meta;
  return { authorizationURL, tokenURL, clientID, callbackURL };
}

/** The passport actions the redirect step ends with. */
export interface AuthorizeActions {
  redirect(url: string): void;
  error(err: Error): void;
}

type Stored = (err: unknown, state?: unknown) => void;

/**
 * Sends the user to Eventpop's authorize page, as passport-oauth2's `authenticate` does when the
 * request carries no code: a verifier when PKCE is on, the state store called with the form its
 * `store` takes (5, 4, 3 or 2 parameters), and the redirect to the template's URL with the
 * challenge and the state the store gave. `state` is the `authenticate` option (not a string:
 * passport-oauth2 sends a string as it is, without the store).
 * @internal
 */
export function redirectToAuthorize(
  actions: AuthorizeActions,
  req: unknown,
  store: OAuth2Strategy.StateStore,
  template: AuthorizeTemplate,
  state: unknown,
): void {
  const verifier = template.pkce ? createVerifier() : undefined;
  const stored: Stored = (err, handle) => {
    if (err) return actions.error(err as Error);
    let url = template.prefix;
    // A base64url challenge needs no escaping in a query.
    if (verifier !== undefined)
      url += `&code_challenge=${challengeS256(verifier)}&code_challenge_method=S256`;
    if (handle) url += `&${querystring.stringify({ state: handle as string })}`;
    actions.redirect(url + template.suffix);
  };
  const save = store.store as unknown as (...args: unknown[]) => void;
  try {
    if (save.length === 5) save.call(store, req, verifier, state, copyMeta(template.meta), stored);
    else if (save.length === 4) save.call(store, req, state, copyMeta(template.meta), stored);
    else if (save.length === 3) save.call(store, req, copyMeta(template.meta), stored);
    else save.call(store, req, stored);
  } catch (err) {
    actions.error(err as Error);
  }
}
