// Option types, defaults and validation, in one place: checked once, trusted afterwards.
import * as http from 'node:http';
import { isIPv4 } from 'node:net';

import type OAuth2Strategy = require('passport-oauth2');

import type { HttpSettings } from './http';

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
  /** Extra headers on every request to Eventpop's token and profile endpoints. */
  customHeaders?: Readonly<Record<string, string>> | undefined;
}

/** `skipUserProfile`, in the forms passport-oauth2 accepts. */
export type SkipUserProfileOption =
  | boolean
  | (() => boolean)
  | ((accessToken: string, done: (err: unknown, skip?: boolean) => void) => void);

/** Options of {@link Strategy}, common to both `passReqToCallback` settings. */
export interface EventpopStrategyOptionsBase extends EventpopClientOptions {
  /**
   * Where Eventpop sends the user back: absolute, or relative to the request (resolved as
   * passport-oauth2 does; set `proxy: true` behind a TLS-terminating proxy). Must equal the
   * callback URL registered with Eventpop. Required.
   */
  callbackURL: string;
  /** Scopes to ask for: a string (space-separated) or an array. Default `'public'`. */
  scope?: string | readonly string[] | undefined;
  /**
   * CSRF protection with the OAuth `state` parameter, kept in the session. Default `true`
   * (needs session middleware); `false` opts out.
   */
  state?: boolean | undefined;
  /** A custom state store, used instead of the session (passport-oauth2's `store`). */
  store?: OAuth2Strategy.StateStore | undefined;
  /** PKCE (RFC 7636) with an S256 challenge. Default `false`. Needs `state` or a `store`. */
  pkce?: boolean | undefined;
  /** Skip the `/api/public/me` request (the verify callback then gets no profile). */
  skipUserProfile?: SkipUserProfileOption | undefined;
  /** Trust `X-Forwarded-Proto` and `X-Forwarded-Host` when resolving a relative callbackURL. */
  proxy?: boolean | undefined;
  /** Session key under which the state is kept. Default `oauth2:<authorization host>`. */
  sessionKey?: string | undefined;
}

/** Options of {@link Strategy} whose verify callback does not receive the request. */
export interface EventpopStrategyOptions extends EventpopStrategyOptionsBase {
  passReqToCallback?: false | undefined;
}

/** Options of {@link Strategy} whose verify callback receives the request first. */
export interface EventpopStrategyOptionsWithRequest extends EventpopStrategyOptionsBase {
  passReqToCallback: true;
}

/** Endpoints and transport settings, validated. @internal */
export interface ClientConfig {
  readonly clientID: string;
  readonly clientSecret: string;
  readonly authorizationURL: URL;
  readonly tokenURL: URL;
  readonly profileURL: URL;
  readonly revocationURL: URL;
  readonly http: HttpSettings;
}

const PREFIX = 'passport-eventpop:';

function fail(message: string): never {
  throw new TypeError(`${PREFIX} ${message}`);
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'))
  );
}

function requiredString(value: unknown, name: string, hint: string): string {
  if (value === undefined || value === null || value === '') fail(`the ${name} option is required: ${hint}.`);
  if (typeof value !== 'string') fail(`the ${name} option must be a string, got ${typeof value}.`);
  return value;
}

function endpoint(value: unknown, name: string): URL {
  if (typeof value !== 'string' || value === '') fail(`the ${name} option must be a URL string.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`the ${name} option must be an absolute URL such as https://www.eventpop.me, got "${value}".`);
  }
  if (url.username || url.password) fail(`the ${name} option must not carry credentials in the URL.`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  return fail(
    `the ${name} option must use https: (got ${url.protocol}//${url.host}); plain http is allowed only for ` +
      'loopback hosts (localhost, 127.0.0.0/8, [::1]) such as the local emulator.',
  );
}

function headerValue(value: unknown, name: string): string {
  if (typeof value !== 'string') fail(`${name} must be a string, got ${typeof value}.`);
  if (/[\r\n]/.test(value)) fail(`${name} must not contain line breaks.`);
  return value;
}

/** Validates the options shared by the strategy and the token helpers. @internal */
export function resolveClientOptions(options: unknown): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    fail('options must be an object with at least clientID and clientSecret.');
  }
  const o = options as EventpopClientOptions;
  const clientID = requiredString(o.clientID, 'clientID', 'pass the client ID Eventpop issued for your app');
  const clientSecret = requiredString(
    o.clientSecret,
    'clientSecret',
    'pass the client secret Eventpop issued for your app (keep it in an environment variable)',
  );

  const base = o.baseURL === undefined ? DEFAULT_BASE_URL : o.baseURL;
  const baseURL = endpoint(base, 'baseURL');
  // Keep a path prefix on baseURL (a staging server or an emulator mounted under /eventpop).
  const prefix = baseURL.pathname.replace(/\/+$/, '');
  const from = (path: string) => `${baseURL.origin}${prefix}${path}`;
  const authorizationURL = endpoint(o.authorizationURL ?? from('/oauth/authorize'), 'authorizationURL');
  const tokenURL = endpoint(o.tokenURL ?? from('/oauth/token'), 'tokenURL');
  const profileURL = endpoint(o.profileURL ?? from('/api/public/me'), 'profileURL');
  const revocationURL = endpoint(o.revocationURL ?? from('/oauth/revoke'), 'revocationURL');

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

  const headers: Record<string, string> = {};
  if (o.customHeaders !== undefined) {
    if (typeof o.customHeaders !== 'object' || o.customHeaders === null) {
      fail('the customHeaders option must be an object of header names to string values.');
    }
    for (const [key, value] of Object.entries(o.customHeaders)) {
      headers[key] = headerValue(value, `customHeaders["${key}"]`);
    }
  }
  const customAgentHeader = Object.keys(headers).find((k) => k.toLowerCase() === 'user-agent');
  if (o.userAgent !== undefined || customAgentHeader === undefined) {
    if (customAgentHeader !== undefined) delete headers[customAgentHeader];
    const userAgent = o.userAgent ?? DEFAULT_USER_AGENT;
    if (headerValue(userAgent, 'the userAgent option') === '')
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

/** Checks the callbackURL option: absolute (http or https) or a path relative to the request. @internal */
export function resolveCallbackURL(value: unknown): string {
  const callbackURL = requiredString(
    value,
    'callbackURL',
    "pass the callback URL registered with Eventpop, e.g. 'https://app.example/auth/eventpop/callback'",
  );
  if (/^[a-z][a-z0-9+.-]*:/i.test(callbackURL)) {
    let url: URL;
    try {
      url = new URL(callbackURL);
    } catch {
      fail(`the callbackURL option is not a valid URL: "${callbackURL}".`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      fail(`the callbackURL option must be an http(s) URL or a path such as '/auth/eventpop/callback'.`);
    }
  } else if (!callbackURL.startsWith('/')) {
    fail(`the callbackURL option must be absolute or start with '/', got "${callbackURL}".`);
  }
  return callbackURL;
}

/** Throws the error for a missing or wrong verify callback. @internal */
export function checkVerify(verify: unknown): void {
  if (typeof verify !== 'function') {
    fail(
      'a verify callback is required: new Strategy(options, (accessToken, refreshToken, profile, done) => ...).',
    );
  }
}
