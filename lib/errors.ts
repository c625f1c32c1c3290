// Errors: EventpopAPIError, passport-oauth2's OAuth errors re-exported, transport failures mapped to them, secret scrubbing.
import OAuth2Strategy = require('passport-oauth2');

import { describeURL, HttpBodyTooLargeError, type HttpResponse, HttpTimeoutError } from './http';

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
 * A request to Eventpop failed below the OAuth layer: the network (`cause` holds Node's error
 * and `code` its code, e.g. `ECONNREFUSED` or `ETIMEDOUT`), or an answer that is not OAuth
 * (`status` holds the HTTP status).
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
  /** The underlying network error, when there was one. */
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
  | 'response_too_large';

/** The fields an {@link EventpopAPIError} carries besides its message. */
export interface EventpopAPIErrorDetails {
  readonly code: EventpopAPIErrorCode;
  readonly status: number;
  readonly retryAfter?: number | undefined;
  readonly cause?: unknown;
}

/**
 * Eventpop's API answered, but not with what was asked for: a refused token (401), a missing
 * scope (403), the rate limit (429), a server error (5xx), a redirect, or a body that is not a
 * usable profile. Network failures are {@link InternalOAuthError}s instead.
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
  /** For `rate_limited`: seconds to wait before the next call, from `Retry-After`. */
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
  extra: { status?: number; code?: string; cause?: unknown },
): InternalOAuthError {
  const err: InternalOAuthError = new InternalOAuthError(message, extra.cause);
  if (extra.status !== undefined) err.status = extra.status;
  if (extra.code !== undefined) err.code = extra.code;
  if (extra.cause !== undefined) err.cause = extra.cause;
  return err;
}

/**
 * Removes secrets from text that came from Eventpop (or a proxy in front of it) before the text
 * enters an error: a server that echoes a request back must not leak the client secret, a code
 * or a token into logs. Applied once, where an error is built from an answer.
 */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** Maps a transport failure (network, timeout, size cap) to an InternalOAuthError naming the endpoint. @internal */
export function transportFailure(what: string, url: URL, err: unknown): Error {
  const where = `${what} (${describeURL(url)})`;
  if (err instanceof HttpTimeoutError) {
    return internalOAuthError(`${where} did not answer within ${err.timeout} ms.`, {
      code: err.code,
      cause: err,
    });
  }
  if (err instanceof HttpBodyTooLargeError) {
    return internalOAuthError(
      `${where} answered with a body over ${err.limit} bytes; reading stopped there.`,
      {
        status: err.status,
        code: err.code,
        cause: err,
      },
    );
  }
  const code = (err as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  return internalOAuthError(`Could not reach ${where}: ${reason}.`, {
    ...(typeof code === 'string' ? { code } : {}),
    cause: err,
  });
}

/** A 3xx answer: never followed, since a redirect here means a wrong endpoint. @internal */
export function redirectMessage(
  what: string,
  url: URL,
  res: HttpResponse,
  secrets: readonly (string | undefined)[],
): string {
  // A Location header is the server's text: keep only its origin and path, and scrub those too.
  let location = '';
  if (typeof res.headers.location === 'string') {
    let target: string;
    try {
      target = describeURL(new URL(res.headers.location, url));
    } catch {
      target = 'an invalid URL';
    }
    location = ` to ${scrub(target, secrets)}`;
  }
  return (
    `${what} (${describeURL(url)}) answered HTTP ${res.status}, a redirect${location}. ` +
    'Set baseURL to the final address (https://www.eventpop.me, not the bare domain).'
  );
}
