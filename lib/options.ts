// Option types, defaults and validation, in one place: checked once, trusted afterwards.
import * as http from 'node:http';
import { isIPv4 } from 'node:net';

import type OAuth2Strategy = require('passport-oauth2');

import type { HttpSettings } from './http';
import type { EventpopTicket } from './ticket';

// The package's own version, for the default User-Agent (package.json sits beside dist/).
const { version } = require('../package.json') as { version: string };

/** Eventpop's production host; `www.` avoids the redirect that the bare domain answers with. */
export const DEFAULT_BASE_URL = 'https://www.eventpop.me';
/** Milliseconds allowed for each request to Eventpop (token, then profile). */
export const DEFAULT_TIMEOUT = 10_000;
/** The scope that `/api/public/me` needs. */
export const DEFAULT_SCOPE = 'public';
/** `User-Agent` sent to Eventpop unless `userAgent` says otherwise. */
export const DEFAULT_USER_AGENT = `passport-eventpop/${version}`;

/**
 * Options shared by every use of Eventpop's endpoints: the strategy and the token helpers.
 */
export interface EventpopClientOptions {
  /** The client ID Eventpop issued for your application. Required. */
  clientID: string;
  /** The client secret Eventpop issued with it. Required; never logged or put in errors. */
  clientSecret: string;
  /**
   * Where Eventpop lives; derives the three endpoints. Default `https://www.eventpop.me`.
   * Point it at a staging server or at the local emulator (`http://127.0.0.1:4000`).
   */
  baseURL?: string | undefined;
  /** Override for `${baseURL}/oauth/authorize`. */
  authorizationURL?: string | undefined;
  /** Override for `${baseURL}/oauth/token`. */
  tokenURL?: string | undefined;
  /** Override for `${baseURL}/api/public/me`. */
  profileURL?: string | undefined;
  /** Override for `${baseURL}/oauth/revoke` (used by {@link revokeToken}). */
  revocationURL?: string | undefined;
  /** Milliseconds allowed for each request to Eventpop. Default 10000. */
  timeout?: number | undefined;
  /**
   * Agent for every request to Eventpop: proxies, custom CAs, connection pooling.
   * Default: Node's global agents (which keep connections alive).
   */
  agent?: http.Agent | undefined;
  /** `User-Agent` header on every request. Default `passport-eventpop/<version>`. */
  userAgent?: string | undefined;
  /**
   * Extra headers on every request to Eventpop. Names and values are checked at construction as
   * Node checks them (`http.validateHeaderName`, `http.validateHeaderValue`). Headers the package
   * writes itself are refused: `Host`, `Authorization`, `Content-Type`, `Accept`, and the framing
   * and connection headers (`Content-Length`, `Transfer-Encoding`, `Connection`, ...).
   */
  customHeaders?: Readonly<Record<string, string>> | undefined;
  /**
   * Host names (exact, case-insensitive, no port) whose endpoints may use plain `http:`, for a
   * development Eventpop that is not on loopback, such as an emulator in docker-compose:
   * `allowHTTPHosts: ['emulator']` with `baseURL: 'http://emulator:4000'`. Loopback hosts need no
   * entry. Refused when `NODE_ENV` is `production`, so that a development configuration that
   * reaches production fails at start instead of sending the client secret unencrypted.
   */
  allowHTTPHosts?: readonly string[] | undefined;
}

/** `skipUserProfile`, in the forms passport-oauth2 accepts. */
export type SkipUserProfileOption =
  | boolean
  | (() => boolean)
  | ((accessToken: string, done: (err: unknown, skip?: boolean) => void) => void);

/** Options of {@link Strategy}, common to both `passReqToCallback` settings. */
export interface EventpopStrategyOptionsBase extends EventpopClientOptions {
  /**
   * Where Eventpop sends the user back. Must equal the callback URL registered with Eventpop.
   * Required. Prefer an absolute URL: a relative one is resolved from the request's `Host` (or
   * `X-Forwarded-Host` with `proxy: true`), which is only safe while Eventpop matches redirect
   * URIs exactly.
   */
  callbackURL: string;
  /**
   * Scopes to ask for: a string (space-separated, as Eventpop joins them) or an array. Default
   * `'public'`. A comma-separated string such as `'public,organizer'` is refused.
   */
  scope?: string | readonly string[] | undefined;
  /**
   * CSRF protection with the OAuth `state` parameter, kept in the session. Default `true`
   * (needs session middleware); `false` opts out.
   */
  state?: boolean | undefined;
  /**
   * A custom state store, used instead of the session (passport-oauth2's `store`): an object with
   * `store()` and `verify()`. It checks the state of every return to the callback, a refusal with
   * `?error=` included.
   */
  store?: OAuth2Strategy.StateStore | undefined;
  /**
   * PKCE (RFC 7636) with an S256 challenge, as RFC 9700 (the OAuth 2.0 Security BCP) asks of
   * clients. Default `true` whenever `state` (the default) or a `store` is on, since the verifier
   * is kept where the state is; `false` opts out. With `state: false` and no `store` there is
   * nowhere to keep a verifier: the default is then `false`, and `true` is refused. A custom
   * `store` keeps it only if its `store()` takes it, `(req, verifier, state, meta, callback)`;
   * for one that takes fewer parameters the default is `false` and `true` is refused.
   */
  pkce?: boolean | undefined;
  /** Skip the `/api/public/me` request (the verify callback then gets no profile). Not with `tickets`. */
  skipUserProfile?: SkipUserProfileOption | undefined;
  /**
   * Fetch the user's tickets for one organizer (and event) at sign-in, every page, at the same
   * time as the profile; they arrive as `profile.tickets`. With `required: true` the strategy
   * itself refuses a user who holds no ticket that counts.
   */
  tickets?: EventpopTicketsOption | undefined;
  /** Trust `X-Forwarded-Proto` and `X-Forwarded-Host` when resolving a relative callbackURL. */
  proxy?: boolean | undefined;
  /** Session key under which the state is kept. Default `oauth2:<authorization host>`. */
  sessionKey?: string | undefined;
}

/** What the tickets list can be sorted by (`id` when not given). */
export type EventpopTicketOrderBy = 'id' | 'created_at' | 'updated_at' | 'used_at';

/** The fields every tickets query shares. */
interface TicketQueryBase {
  /**
   * The organizer whose events' tickets are listed: the one Eventpop issued your application for
   * (a token of an application issued for another organizer gets 401). A positive integer.
   */
  organizerId: number;
  /** Tickets per page to ask for, 1 to 1000; Eventpop may answer fewer (it caps). Default 100. */
  perPage?: number | undefined;
  /** Sort key; Eventpop's default is `id`. */
  orderBy?: EventpopTicketOrderBy | undefined;
  /** Sort direction; Eventpop's default is `asc`. */
  order?: 'asc' | 'desc' | undefined;
}

/** One page of the tickets list, for {@link fetchTicketPage}: Eventpop's page, unfiltered. */
export interface EventpopTicketPageQuery extends TicketQueryBase {
  /** Which page, from 1 (the default). */
  page?: number | undefined;
}

/** Which tickets {@link listTickets} yields: every page, filtered by event and status here. */
export interface EventpopTicketQuery extends TicketQueryBase {
  /**
   * Only tickets for this event, or these events. Applied by the package on every page (the
   * documented way), not sent to Eventpop. Default: every event of the organizer.
   */
  eventId?: number | readonly number[] | undefined;
  /** Only tickets with one of these statuses (`active`, `used`, `revoked`, ...). Default: all. */
  status?: readonly string[] | undefined;
}

/** The strategy's `tickets` option: which of the user's tickets count at sign-in. */
export interface EventpopTicketsOption {
  /** The organizer Eventpop issued your application for (a positive integer). Required. */
  organizerId: number;
  /** Only tickets for this event or these events count. Default: every event of the organizer. */
  eventId?: number | readonly number[] | undefined;
  /**
   * Statuses that count. Default: every status but `revoked` (`used` means the holder has
   * checked in, still a genuine attendee); a ticket Eventpop sent without a status never counts.
   */
  status?: readonly string[] | undefined;
  /**
   * `true`: refuse a user who holds no ticket that counts, before the verify callback, with
   * `fail` (status 403; your `failureRedirect` and `failureMessage` apply). Default `false`: the
   * verify callback decides, from `profile.tickets`.
   */
  required?: boolean | undefined;
  /** Tickets per page to ask for, 1 to 1000. Default 100. */
  perPage?: number | undefined;
}

/** Options of {@link Strategy} whose verify callback does not receive the request. */
export interface EventpopStrategyOptions extends EventpopStrategyOptionsBase {
  passReqToCallback?: false | undefined;
}

/** Options of {@link Strategy} whose verify callback receives the request first. */
export interface EventpopStrategyOptionsWithRequest extends EventpopStrategyOptionsBase {
  passReqToCallback: true;
}

/** Options of {@link getApplicationToken}. */
export interface ApplicationTokenOptions extends EventpopClientOptions {
  /** Scopes to ask for. Default: Eventpop's default for the application. */
  scope?: string | readonly string[] | undefined;
}

// The known keys of each options type, one list each. `satisfies Record<keyof ..., true>` makes
// the compiler refuse a list that misses a key of its interface or names one it does not have:
// adding an option is one line here, next to its interface.
const CLIENT_OPTION_KEYS = {
  clientID: true,
  clientSecret: true,
  baseURL: true,
  authorizationURL: true,
  tokenURL: true,
  profileURL: true,
  revocationURL: true,
  timeout: true,
  agent: true,
  userAgent: true,
  customHeaders: true,
  allowHTTPHosts: true,
} as const satisfies Record<keyof EventpopClientOptions, true>;

/** The keys {@link Strategy} knows. @internal */
export const STRATEGY_OPTION_KEYS = {
  ...CLIENT_OPTION_KEYS,
  callbackURL: true,
  scope: true,
  state: true,
  store: true,
  pkce: true,
  skipUserProfile: true,
  tickets: true,
  proxy: true,
  sessionKey: true,
  passReqToCallback: true,
} as const satisfies Record<keyof EventpopStrategyOptions | keyof EventpopStrategyOptionsWithRequest, true>;

const APPLICATION_TOKEN_OPTION_KEYS = {
  ...CLIENT_OPTION_KEYS,
  scope: true,
} as const satisfies Record<keyof ApplicationTokenOptions, true>;

/**
 * The keys the token helpers accept: every options type's, since apps hand them the object they
 * gave the strategy. A key in none of the lists is still a typo. @internal
 */
export const HELPER_OPTION_KEYS: Readonly<Record<string, true>> = {
  ...STRATEGY_OPTION_KEYS,
  ...APPLICATION_TOKEN_OPTION_KEYS,
};

// Keys people bring from passport-oauth2 or other strategies, and what to do instead.
const FOREIGN_KEYS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    scopeseparator:
      'Eventpop (Doorkeeper) separates scopes with a space, which the strategy always uses; pass scope ' +
      "as an array or a space-separated string such as 'public organizer'",
    userprofileurl: 'this package calls it profileURL',
    redirecturi: 'this package calls it callbackURL, as passport does',
    redirecturl: 'this package calls it callbackURL, as passport does',
    redirect_uri: 'this package calls it callbackURL, as passport does',
  }),
);

/** Endpoints and transport settings, validated. @internal */
export interface ClientConfig {
  readonly clientID: string;
  readonly clientSecret: string;
  readonly authorizationURL: URL;
  readonly tokenURL: URL;
  readonly profileURL: URL;
  readonly revocationURL: URL;
  /** `${baseURL}/api/public`, for the endpoints whose path holds an id (the tickets list). */
  readonly apiBase: string;
  readonly http: HttpSettings;
}

const PREFIX = 'passport-eventpop:';

function fail(message: string, cause?: unknown): never {
  throw new TypeError(`${PREFIX} ${message}`, cause === undefined ? undefined : { cause });
}

/** A user-given string as it may appear in a message: quoted, at most `max` characters. */
function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'))
  );
}

/** Optimal string alignment distance: edits, counting a swap of neighbours (`Secert`) as one. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The known key a mistyped one most likely meant: same letters in another case, else at most two edits away. */
function nearestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(lower.length / 3));
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance === 0) return candidate;
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Refuses keys that no options type has: a typo (`clientId`, `clientSecert`, `callbackUrl`)
 * would otherwise be ignored, and its option silently take its default.
 */
function checkKeys(options: object, known: Readonly<Record<string, true>>): void {
  const unknown = firstUnknownKey(options, known);
  if (unknown === undefined) return;
  const { key, names, nearest } = unknown;
  const foreign = FOREIGN_KEYS.get(key.toLowerCase());
  if (foreign !== undefined) fail(`the ${quote(key)} option is not supported: ${foreign}.`);
  fail(
    nearest === undefined
      ? `unknown option ${quote(key)}. The options are: ${names.join(', ')}.`
      : `unknown option ${quote(key)}: did you mean ${nearest}?`,
  );
}

/** The first key of `value` that `known` lacks, with the known names and the nearest of them. */
function firstUnknownKey(
  value: object,
  known: Readonly<Record<string, true>>,
): { key: string; names: string[]; nearest: string | undefined } | undefined {
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(known, key)) continue;
    const names = Object.keys(known);
    return { key, names, nearest: nearestKey(key, names) };
  }
  return undefined;
}

function requiredString(value: unknown, name: string, hint: string): string {
  if (value === undefined || value === null || value === '') fail(`the ${name} option is required: ${hint}.`);
  if (typeof value !== 'string') fail(`the ${name} option must be a string, got ${typeof value}.`);
  return value;
}

/** A URL as a message may show it: scheme, host and path; never credentials, query or fragment. */
function showURL(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function endpoint(value: unknown, name: string, httpHosts: ReadonlySet<string>): URL {
  if (typeof value !== 'string' || value === '') fail(`the ${name} option must be a URL string.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`the ${name} option must be an absolute URL such as https://www.eventpop.me, got ${quote(value)}.`);
  }
  if (url.username || url.password) fail(`the ${name} option must not carry credentials in the URL.`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (isLoopback(url.hostname) || httpHosts.has(url.hostname))) return url;
  return fail(
    `the ${name} option must use https:, got ${showURL(url)}. Plain http is allowed only for loopback ` +
      'hosts (localhost, 127.0.0.0/8, [::1]) such as the local emulator, and, outside production, for ' +
      `the hosts named in allowHTTPHosts (e.g. allowHTTPHosts: ['${url.hostname}']).`,
  );
}

/** Endpoint paths the package appends to baseURL; a baseURL ending in one would get it twice. */
const ENDPOINT_TAILS = [
  '/oauth/authorize',
  '/oauth/token',
  '/oauth/revoke',
  '/oauth',
  '/api/public/me',
  '/api/public',
  '/api',
] as const;

function checkBaseURLPath(baseURL: URL, prefix: string): void {
  const lower = prefix.toLowerCase();
  const tail = ENDPOINT_TAILS.find((path) => lower.endsWith(path));
  if (tail === undefined) return;
  const base = `${baseURL.protocol}//${baseURL.host}${prefix.slice(0, -tail.length)}`;
  fail(
    `the baseURL option ends in ${prefix.slice(-tail.length)}, a path the package adds itself ` +
      `(it would ask ${base}${tail}/oauth/token). Remove ${prefix.slice(-tail.length)}: ` +
      `baseURL: '${base}'. To move one endpoint alone, set authorizationURL, tokenURL, profileURL ` +
      'or revocationURL instead.',
  );
}

function httpHostList(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    fail(`the allowHTTPHosts option must be an array of host names such as ['emulator'].`);
  }
  const hosts = new Set<string>();
  for (const host of value) {
    // A bare host name or IPv4 address: no scheme, port, path or wildcard, so it names one host.
    if (
      typeof host !== 'string' ||
      !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host)
    ) {
      fail(
        `the allowHTTPHosts option must list host names without scheme or port, such as 'emulator'; ` +
          `got ${typeof host === 'string' ? quote(host) : typeof host}.`,
      );
    }
    hosts.add(host.toLowerCase());
  }
  if (hosts.size > 0 && process.env.NODE_ENV === 'production') {
    fail(
      "the allowHTTPHosts option is refused when NODE_ENV is 'production': it sends the client secret " +
        'and tokens unencrypted, for development servers only. Use https: endpoints in production.',
    );
  }
  return hosts;
}

// Headers the package writes itself, and why each cannot be set through customHeaders.
const OWNED_HEADERS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    host: 'it follows from the endpoint URLs: change baseURL or an endpoint option',
    authorization:
      "the package sends the access token there, and the client's credentials go in the form body",
    'content-type': 'the package sends its token requests as a form and says so',
    accept: 'the package asks for JSON, the only answer it reads',
    'content-length': 'the package frames each request body itself',
    'transfer-encoding': 'the package frames each request body itself',
    te: 'the package frames each request itself',
    trailer: 'the package frames each request itself',
    expect: 'the package sends each body at once',
    connection: "connections are the agent option's to manage",
    'keep-alive': "connections are the agent option's to manage",
    'proxy-connection': "connections are the agent option's to manage",
    upgrade: "connections are the agent option's to manage",
  }),
);

/** One header value checked as Node will check it when sending, so that it fails here, at construction. */
function headerValue(value: unknown, header: string, name: string): string {
  if (typeof value !== 'string') fail(`${name} must be a string, got ${typeof value}.`);
  try {
    http.validateHeaderValue(header, value);
  } catch (err) {
    const lineBreak = /[\r\n]/.test(value) ? ' (it contains a line break)' : '';
    fail(`${name} is not a valid header value${lineBreak}: use printable text, no control characters.`, err);
  }
  return value;
}

function customHeaders(value: unknown): Record<string, string> {
  // No prototype: a header named __proto__ (a valid HTTP token) is kept as a header, not a setter.
  const headers: Record<string, string> = Object.create(null);
  if (value === undefined) return headers;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('the customHeaders option must be an object of header names to string values.');
  }
  const seen = new Map<string, string>();
  for (const [key, item] of Object.entries(value)) {
    const name = `customHeaders[${quote(key)}]`;
    try {
      http.validateHeaderName(key);
    } catch (err) {
      fail(
        `${name} is not a valid header name: use an HTTP token such as X-Request-Id (no spaces, colons or line breaks).`,
        err,
      );
    }
    const lower = key.toLowerCase();
    const owned = OWNED_HEADERS.get(lower);
    if (owned !== undefined) fail(`${name} cannot be set: ${owned}.`);
    const earlier = seen.get(lower);
    if (earlier !== undefined)
      fail(`customHeaders names one header twice: ${quote(earlier)} and ${quote(key)}.`);
    seen.set(lower, key);
    headers[key] = headerValue(item, key, name);
  }
  return headers;
}

/**
 * Validates the options shared by the strategy and the token helpers. `known` lists the keys the
 * caller accepts; any other key is refused, with the nearest known one suggested. @internal
 */
export function resolveClientOptions(
  options: unknown,
  known: Readonly<Record<string, true>> = HELPER_OPTION_KEYS,
): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    fail('options must be an object with at least clientID and clientSecret.');
  }
  checkKeys(options, known);
  const o = options as EventpopClientOptions;
  const clientID = requiredString(o.clientID, 'clientID', 'pass the client ID Eventpop issued for your app');
  const clientSecret = requiredString(
    o.clientSecret,
    'clientSecret',
    'pass the client secret Eventpop issued for your app (keep it in an environment variable)',
  );

  const httpHosts = httpHostList(o.allowHTTPHosts);
  const base = o.baseURL === undefined ? DEFAULT_BASE_URL : o.baseURL;
  const baseURL = endpoint(base, 'baseURL', httpHosts);
  // Keep a path prefix on baseURL (a staging server or an emulator mounted under /eventpop).
  const prefix = baseURL.pathname.replace(/\/+$/, '');
  checkBaseURLPath(baseURL, prefix);
  const from = (path: string) => `${baseURL.origin}${prefix}${path}`;
  const authorizationURL = endpoint(
    o.authorizationURL ?? from('/oauth/authorize'),
    'authorizationURL',
    httpHosts,
  );
  const tokenURL = endpoint(o.tokenURL ?? from('/oauth/token'), 'tokenURL', httpHosts);
  const profileURL = endpoint(o.profileURL ?? from('/api/public/me'), 'profileURL', httpHosts);
  const revocationURL = endpoint(o.revocationURL ?? from('/oauth/revoke'), 'revocationURL', httpHosts);

  const timeout = o.timeout === undefined ? DEFAULT_TIMEOUT : o.timeout;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 2 ** 31 - 1) {
    fail(
      `the timeout option must be a whole number of milliseconds from 1 to 2147483647, got ${String(timeout)}.`,
    );
  }

  const agent = o.agent;
  if (agent !== undefined && !(agent instanceof http.Agent)) {
    fail('the agent option must be an http.Agent or https.Agent (or a subclass, such as a proxy agent).');
  }
  if (agent) {
    const protocol = (agent as { protocol?: unknown }).protocol;
    for (const [name, url] of [
      ['tokenURL', tokenURL],
      ['profileURL', profileURL],
    ] as const) {
      if (
        typeof protocol === 'string' &&
        protocol !== url.protocol &&
        (protocol === 'http:' || protocol === 'https:')
      ) {
        fail(`the agent option is an ${protocol.slice(0, -1)} agent but ${name} uses ${url.protocol}.`);
      }
    }
  }

  const headers = customHeaders(o.customHeaders);
  const customAgentHeader = Object.keys(headers).find((k) => k.toLowerCase() === 'user-agent');
  if (o.userAgent !== undefined || customAgentHeader === undefined) {
    if (customAgentHeader !== undefined) delete headers[customAgentHeader];
    const userAgent = o.userAgent ?? DEFAULT_USER_AGENT;
    if (headerValue(userAgent, 'User-Agent', 'the userAgent option') === '')
      fail('the userAgent option must not be empty.');
    headers['User-Agent'] = userAgent;
  }

  return {
    clientID,
    clientSecret,
    authorizationURL,
    tokenURL,
    profileURL,
    revocationURL,
    apiBase: from('/api/public'),
    http: { timeout, agent, headers },
  };
}

/** Validates a scope option and returns the scopes, in order. @internal */
export function resolveScope(scope: unknown): string[] {
  if (scope === undefined) return [DEFAULT_SCOPE];
  const list = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : scope;
  if (!Array.isArray(list) || list.length === 0) {
    fail(
      `the scope option must be a non-empty string or array of strings such as 'public' or ['public', 'organizer'].`,
    );
  }
  for (const item of list) {
    if (typeof item === 'string' && item.includes(',')) {
      fail(
        `the scope option ${quote(typeof scope === 'string' ? scope : item)} is comma-separated: Eventpop's ` +
          "scopes are space-separated. Use 'public organizer' or ['public', 'organizer'].",
      );
    }
    // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    if (typeof item !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(item)) {
      fail(
        `the scope option has an invalid scope ${JSON.stringify(item)}: use names such as 'public' or 'organizer'.`,
      );
    }
  }
  return list as string[];
}

/** Checks a boolean option; undefined gives the default. @internal */
export function resolveBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`the ${name} option must be true or false, got ${typeof value}.`);
  return value;
}

/** Checks the store option: a passport-oauth2 state store, with `store()` and `verify()`. @internal */
export function resolveStore(value: unknown): OAuth2Strategy.StateStore | undefined {
  if (value === undefined) return undefined;
  const store = value as { store?: unknown; verify?: unknown } | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.store !== 'function' ||
    typeof store.verify !== 'function'
  ) {
    fail(
      'the store option must be a state store: an object with store() and verify() methods, as passport-oauth2 defines.',
    );
  }
  return value as OAuth2Strategy.StateStore;
}

/**
 * Decides PKCE. On by default wherever the verifier can be kept from the redirect to the
 * callback: in the session with `state`, or in a custom store whose `store()` takes it
 * (`(req, verifier, state, meta, callback)`, five parameters, as passport-oauth2 calls it for
 * PKCE). `true` is refused where it cannot be kept, since the token request would then lack it.
 * @internal
 */
export function resolvePKCE(
  value: unknown,
  state: boolean,
  store: OAuth2Strategy.StateStore | undefined,
): boolean {
  const storeLength = store ? (store.store as (...args: unknown[]) => void).length : undefined;
  const canKeep = storeLength === undefined ? state : storeLength === 5;
  const pkce = resolveBoolean(value, 'pkce', canKeep);
  if (pkce && !canKeep) {
    fail(
      storeLength === undefined
        ? 'the pkce option needs state (the default) or a store, which keeps the code verifier between ' +
            'the redirect and the callback; remove state: false.'
        : `the pkce option needs a store whose store() takes the verifier: (req, verifier, state, meta, ` +
            `callback), five parameters; this one takes ${storeLength}. Set pkce: false, or extend the store.`,
    );
  }
  return pkce;
}

/** Whether `url` begins with a scheme (`https:`, `http:`, ...): absolute, not a path. @internal */
export function hasScheme(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url);
}

/** Checks the callbackURL option: absolute (http or https) or a path relative to the request. @internal */
export function resolveCallbackURL(value: unknown): string {
  const callbackURL = requiredString(
    value,
    'callbackURL',
    "pass the callback URL registered with Eventpop, e.g. 'https://app.example/auth/eventpop/callback'",
  );
  if (hasScheme(callbackURL)) {
    let url: URL;
    try {
      url = new URL(callbackURL);
    } catch {
      fail(`the callbackURL option is not a valid URL: ${quote(callbackURL)}.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      fail(`the callbackURL option must be an http(s) URL or a path such as '/auth/eventpop/callback'.`);
    }
  } else if (!callbackURL.startsWith('/')) {
    fail(`the callbackURL option must be absolute or start with '/', got ${quote(callbackURL)}.`);
  }
  return callbackURL;
}

/** Tickets per page asked for unless `perPage` says otherwise: Eventpop's default of 10 would cost round trips. */
export const DEFAULT_TICKETS_PER_PAGE = 100;
const MAX_TICKETS_PER_PAGE = 1000;
const ORDER_BY: readonly EventpopTicketOrderBy[] = ['id', 'created_at', 'updated_at', 'used_at'];

/** A tickets query, validated; `selects` is the filter applied to every page (none: every ticket). @internal */
export interface TicketListQuery extends TicketPaging {
  readonly selects: ((ticket: EventpopTicket) => boolean) | undefined;
}

/** Which organizer's tickets to list, and how the pages are cut and ordered. @internal */
export interface TicketPaging {
  readonly organizerId: number;
  readonly perPage: number;
  readonly orderBy: EventpopTicketOrderBy | undefined;
  readonly order: 'asc' | 'desc' | undefined;
}

/** One page to ask for. @internal */
export interface TicketPageRequest extends TicketPaging {
  readonly page: number;
}

/** The strategy's ticket check, validated. @internal */
export interface TicketCheck extends TicketListQuery {
  readonly required: boolean;
  /** Says, for the refusal message, which tickets count: `event 7210, status not revoked`. */
  readonly describe: string;
}

function positiveInteger(value: unknown, name: string, hint: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(`${name} must be a positive integer (${hint}), got ${describeValue(value)}.`);
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value, 40);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'number' ? String(value) : typeof value;
}

function resolveEventIds(value: unknown, name: FieldName): ReadonlySet<number> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    return new Set([positiveInteger(value, name('eventId'), 'an Eventpop event id')]);
  if (value.length === 0)
    fail(`${name('eventId')} must be an event id or a non-empty array of them, got [].`);
  return new Set(value.map((id, i) => positiveInteger(id, name(`eventId[${i}]`), 'an Eventpop event id')));
}

function resolveStatuses(value: unknown, name: FieldName): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    fail(
      `${name('status')} must be a non-empty array of ticket statuses such as ['active', 'used'], got ${describeValue(value)}.`,
    );
  }
  return new Set(
    value.map((status, i) => {
      if (typeof status !== 'string' || status.trim() === '') {
        fail(
          `${name(`status[${i}]`)} must be a ticket status such as 'active', got ${describeValue(status)}.`,
        );
      }
      // The parser lower-cases what Eventpop sends; compare like with like.
      return status.trim().toLowerCase();
    }),
  );
}

/** How messages name a field: `the tickets.eventId option` or `the query's eventId`. */
type FieldName = (field: string) => string;
const optionField: FieldName = (field) => `the tickets.${field} option`;
const queryField: FieldName = (field) => `the query's ${field}`;

function resolvePaging(o: TicketQueryBase, name: FieldName): TicketPaging {
  const organizerId = positiveInteger(
    o.organizerId,
    name('organizerId'),
    'the id of the organizer Eventpop issued your application for',
  );
  const perPage =
    o.perPage === undefined
      ? DEFAULT_TICKETS_PER_PAGE
      : positiveInteger(o.perPage, name('perPage'), 'tickets per page');
  if (perPage > MAX_TICKETS_PER_PAGE) {
    fail(`${name('perPage')} must be at most ${MAX_TICKETS_PER_PAGE}, got ${perPage}.`);
  }
  if (o.orderBy !== undefined && !ORDER_BY.includes(o.orderBy)) {
    fail(
      `${name('orderBy')} must be one of ${ORDER_BY.map((k) => `'${k}'`).join(', ')}, got ${describeValue(o.orderBy)}.`,
    );
  }
  if (o.order !== undefined && o.order !== 'asc' && o.order !== 'desc') {
    fail(`${name('order')} must be 'asc' or 'desc', got ${describeValue(o.order)}.`);
  }
  return { organizerId, perPage, orderBy: o.orderBy, order: o.order };
}

const TICKET_QUERY_KEYS = {
  organizerId: true,
  eventId: true,
  status: true,
  perPage: true,
  orderBy: true,
  order: true,
} as const satisfies Record<keyof EventpopTicketQuery, true>;
const TICKET_PAGE_QUERY_KEYS = {
  organizerId: true,
  page: true,
  perPage: true,
  orderBy: true,
  order: true,
} as const satisfies Record<keyof EventpopTicketPageQuery, true>;
const TICKETS_OPTION_KEYS = {
  organizerId: true,
  eventId: true,
  status: true,
  required: true,
  perPage: true,
} as const satisfies Record<keyof EventpopTicketsOption, true>;

/**
 * The object `value`, its keys checked: a misspelt one (`eventID`, `event_id`) would otherwise be
 * ignored, and a check meant for one event would let in holders of any.
 */
function objectOf<T>(
  value: unknown,
  name: string,
  example: string,
  known: Readonly<Record<string, true>>,
): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${name} must be an object such as ${example}, got ${describeValue(value)}.`);
  }
  const unknown = firstUnknownKey(value, known);
  if (unknown !== undefined) {
    const { key, names, nearest } = unknown;
    fail(
      `${name} has an unknown key ${quote(key)}` +
        (nearest === undefined ? `; its keys are ${names.join(', ')}.` : `: did you mean ${nearest}?`),
    );
  }
  return value as T;
}

/**
 * The `eventId` and `status` filter of a query or option. `defaultStatus` decides which statuses
 * count when `status` is not given; without it, every ticket passes, with a status or not.
 */
function ticketFilter(
  o: Pick<EventpopTicketQuery, 'eventId' | 'status'>,
  name: FieldName,
  defaultStatus?: (status: string) => boolean,
) {
  const eventIds = resolveEventIds(o.eventId, name);
  const statuses = resolveStatuses(o.status, name);
  const counts = statuses === undefined ? defaultStatus : (status: string) => statuses.has(status);
  const selects =
    eventIds === undefined && counts === undefined
      ? undefined
      : (t: EventpopTicket) =>
          (eventIds === undefined || eventIds.has(t.eventId)) &&
          (counts === undefined || (t.status !== undefined && counts(t.status)));
  return { eventIds, statuses, selects };
}

/** Validates the query of {@link listTickets}. @internal */
export function resolveTicketQuery(query: unknown): TicketListQuery {
  const q = objectOf<EventpopTicketQuery>(
    query,
    'the tickets query',
    '{ organizerId: 1017, eventId: 7210 }',
    TICKET_QUERY_KEYS,
  );
  const { selects } = ticketFilter(q, queryField);
  return { ...resolvePaging(q, queryField), selects };
}

/** Validates the query of {@link fetchTicketPage}; returns it with the page number. @internal */
export function resolveTicketPageQuery(query: unknown): TicketPageRequest {
  const q = objectOf<EventpopTicketPageQuery>(
    query,
    'the tickets page query',
    '{ organizerId: 1017, page: 2 }',
    TICKET_PAGE_QUERY_KEYS,
  );
  const page = q.page === undefined ? 1 : positiveInteger(q.page, queryField('page'), 'a page number from 1');
  return { ...resolvePaging(q, queryField), page };
}

/** Validates the strategy's `tickets` option; `undefined` when it is not given. @internal */
export function resolveTicketsOption(value: unknown): TicketCheck | undefined {
  if (value === undefined) return undefined;
  const o = objectOf<EventpopTicketsOption>(
    value,
    'the tickets option',
    '{ organizerId: 1017, eventId: 7210 }',
    TICKETS_OPTION_KEYS,
  );
  // By default every status but revoked counts: `used` is a holder who has checked in.
  const { eventIds, statuses, selects } = ticketFilter(o, optionField, (status) => status !== 'revoked');
  const required = resolveBoolean(o.required, 'tickets.required', false);
  const paging = resolvePaging(o, optionField);
  const events = eventIds === undefined ? 'any event' : `event ${[...eventIds].join(' or ')}`;
  const which = statuses === undefined ? 'not revoked' : [...statuses].join(' or ');
  return {
    ...paging,
    selects: selects as (ticket: EventpopTicket) => boolean,
    required,
    describe: `organizer ${paging.organizerId}, ${events}, status ${which}`,
  };
}

/** Throws the error for a missing or wrong verify callback. @internal */
export function checkVerify(verify: unknown): void {
  if (typeof verify !== 'function') {
    fail(
      'a verify callback is required: new Strategy(options, (accessToken, refreshToken, profile, done) => ...).',
    );
  }
}
