// Errors: EventpopAPIError, passport-oauth2's OAuth errors re-exported, and transport failures and redirects mapped to them.
import OAuth2Strategy = require('passport-oauth2');

import { describeURL, HttpBodyTooLargeError, type HttpResponse, HttpTimeoutError } from './http';
import type { RequestSecrets } from './server-text';

/**
 * The user's return to the callback carried an OAuth error other than `access_denied`
 * (RFC 6749 section 4.1.2.1). Re-exported from passport-oauth2 so that `instanceof` works
 * with one import.
 */
export const AuthorizationError = OAuth2Strategy.AuthorizationError;
export type AuthorizationError = OAuth2Strategy.AuthorizationError;

/**
 * Eventpop's token endpoint answered an OAuth error (`invalid_grant`, `invalid_client`, ...).
 * `code` is the OAuth error code and `status` the HTTP status Eventpop answered with.
 */
export const TokenError = OAuth2Strategy.TokenError;
export type TokenError = OAuth2Strategy.TokenError;

/**
 * A request to Eventpop failed below the OAuth layer: the network (`code` holds Node's code,
 * e.g. `ECONNREFUSED` or `ETIMEDOUT`, and `cause` a {@link TransportFailureCause}: what is safe
 * to keep of Node's error), or an answer that is not OAuth (`status` holds the HTTP status).
 */
export const InternalOAuthError: {
  new (message: string, err?: unknown): InternalOAuthError;
  readonly prototype: InternalOAuthError;
} = OAuth2Strategy.InternalOAuthError;
export type InternalOAuthError = OAuth2Strategy.InternalOAuthError & {
  /** Node's error code for a network failure (`ETIMEDOUT` for the strategy's own timeout). */
  code?: string;
  /** The HTTP status, when Eventpop answered. */
  status?: number;
  /**
   * For a network failure, a {@link TransportFailureCause}: what is safe to keep of Node's error
   * (also in `oauthError`). Typed `unknown`, as `Error.cause` is.
   */
  cause?: unknown;
};

/** What went wrong with a call to Eventpop's API, as a machine-readable string. */
export type EventpopAPIErrorCode =
  | 'invalid_token'
  | 'insufficient_scope'
  | 'rate_limited'
  | 'server_error'
  | 'unexpected_status'
  | 'redirected'
  | 'invalid_response'
  | 'response_too_large'
  /** The tickets list's pages contradict each other or themselves (a page number, a total, a count). */
  | 'inconsistent_pages'
  /** The tickets list did not end within the page limit (100 pages). */
  | 'too_many_pages';

/** The fields an {@link EventpopAPIError} carries besides its message. */
export interface EventpopAPIErrorDetails {
  readonly code: EventpopAPIErrorCode;
  readonly status: number;
  readonly retryAfter?: number | undefined;
  readonly cause?: unknown;
}

/**
 * Eventpop's API answered, but not with what was asked for: a refused token (401), a missing
 * scope (403), the rate limit (429), a server error (5xx), a redirect, a body that is not a
 * usable profile or tickets list, or tickets pages that contradict each other or never end.
 * Network failures are {@link InternalOAuthError}s instead.
 *
 * @example
 * ```ts
 * if (err instanceof EventpopAPIError && err.code === 'rate_limited') {
 *   res.set('Retry-After', String(err.retryAfter ?? 60)).status(503).send('Try again shortly');
 * }
 * ```
 */
export class EventpopAPIError extends Error {
  /** Machine-readable reason; see {@link EventpopAPIErrorCode}. */
  readonly code: EventpopAPIErrorCode;
  /** The HTTP status Eventpop answered with. */
  readonly status: number;
  /**
   * For `rate_limited`: seconds to wait before the next call, from `Retry-After` (delta-seconds
   * or a date). Undefined without one, or when it asks for more than a day.
   */
  readonly retryAfter: number | undefined;

  constructor(message: string, details: EventpopAPIErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EventpopAPIError';
    this.code = details.code;
    this.status = details.status;
    this.retryAfter = details.retryAfter;
  }
}

/** Builds an {@link InternalOAuthError} carrying `status`, `code` and `cause` as properties. */
export function internalOAuthError(
  message: string,
  extra: { status?: number; code?: string; cause?: TransportFailureCause },
): InternalOAuthError {
  const err: InternalOAuthError = new InternalOAuthError(message, extra.cause);
  if (extra.status !== undefined) err.status = extra.status;
  if (extra.code !== undefined) err.code = extra.code;
  if (extra.cause !== undefined) err.cause = extra.cause;
  return err;
}

/**
 * What an {@link InternalOAuthError} keeps of a network failure, as `cause` and `oauthError`:
 * Node's `code` and `syscall`, and its message with secrets removed, capped and with control
 * characters neutralized. Never Node's error object itself: an HTTP parse error carries the
 * bytes it received (`rawPacket`), which is the request itself when a server echoes it, and
 * loggers serialize every enumerable property.
 */
export interface TransportFailureCause {
  /** Node's error code: `ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, `HPE_INVALID_CONSTANT`, `ETIMEDOUT`, ... */
  readonly code?: string;
  /** The system call that failed (`connect`, `read`, `getaddrinfo`), when Node named one. */
  readonly syscall?: string;
  /** Node's message, made safe. */
  readonly message: string;
}

function safeCause(err: unknown, secrets: RequestSecrets): TransportFailureCause {
  const { code, syscall, message } = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    syscall?: unknown;
    message?: unknown;
  };
  const cause: { code?: string; syscall?: string; message: string } = {
    message: secrets.text(typeof message === 'string' ? message : String(err)),
  };
  // Node's identifiers (ECONNRESET, DEPTH_ZERO_SELF_SIGNED_CERT, getaddrinfo) are kept when
  // they look like identifiers; nothing else could be mistaken for one.
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code)) cause.code = code;
  if (typeof syscall === 'string' && /^[a-z0-9_]{1,32}$/i.test(syscall)) cause.syscall = syscall;
  // Not frozen: loggers tag the objects they walk (pino does), and a frozen one makes them throw.
  return cause;
}

/**
 * Maps a transport failure (network, timeout, size cap, an answer that is not HTTP) to an
 * InternalOAuthError naming the endpoint, keeping only a {@link TransportFailureCause} of it.
 * @internal
 */
export function transportFailure(what: string, url: URL, err: unknown, secrets: RequestSecrets): Error {
  const where = `${what} (${describeURL(url)})`;
  const cause = safeCause(err, secrets);
  if (err instanceof HttpTimeoutError) {
    return internalOAuthError(`${where} did not answer within ${err.timeout} ms.`, {
      code: err.code,
      cause,
    });
  }
  if (err instanceof HttpBodyTooLargeError) {
    return internalOAuthError(
      `${where} answered with a body over ${err.limit} bytes; reading stopped there.`,
      { status: err.status, code: err.code, cause },
    );
  }
  const { code } = cause;
  if (code?.startsWith('HPE_')) {
    // Node's HTTP parser refused the answer: another kind of server is listening there, or one
    // that sends more headers than Node accepts.
    const why =
      code === 'HPE_HEADER_OVERFLOW'
        ? "headers larger than Node's limit (--max-http-header-size)"
        : 'something that is not well-formed HTTP';
    return internalOAuthError(
      `${where} answered with ${why} (${code}: ${cause.message}); ` +
        'check that baseURL and the endpoint options point at Eventpop.',
      { code, cause },
    );
  }
  return internalOAuthError(`Could not reach ${where}: ${code ?? cause.message}.`, {
    ...(code === undefined ? {} : { code }),
    cause,
  });
}

/**
 * A 3xx answer: never followed, since a redirect here means a wrong endpoint. Only the origin of
 * `Location` is reported: its path and query are the server's, and may hold anything.
 * @internal
 */
export function redirectMessage(what: string, url: URL, res: HttpResponse, secrets: RequestSecrets): string {
  let location = '';
  if (typeof res.headers.location === 'string') {
    let origin: string;
    try {
      // Scrubbed before parsing as well: the URL parser would cut a secret at a `/` or `?` and
      // lower-case it in the host, and a piece of it could then survive in the origin.
      const target = new URL(secrets.scrub(res.headers.location), url);
      origin = target.origin === 'null' ? `${target.protocol}//${target.host}` : target.origin;
    } catch {
      origin = 'an invalid URL';
    }
    location = ` to ${secrets.text(origin)}`;
  }
  return (
    `${what} (${describeURL(url)}) answered HTTP ${res.status}, a redirect${location}. ` +
    'Set baseURL to the final address (https://www.eventpop.me, not the bare domain).'
  );
}
