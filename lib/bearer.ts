// A GET to Eventpop's API with the user's token in the Authorization header: every answer but a 200 mapped to one EventpopAPIError.
import { type Callback, parsing, promised } from './callback';
import { EventpopAPIError, redirectMessage, transportFailure } from './errors';
import { describeURL, HttpBodyTooLargeError, type HttpResponse, send } from './http';
import type { ClientConfig } from './options';
import { RequestSecrets } from './server-text';
import { parseBearerChallenge } from './www-authenticate';

/** One API request, and the sentences that differ between endpoints. @internal */
export interface BearerRequest {
  /** How messages name the endpoint, e.g. "Eventpop's /api/public/me". */
  readonly what: string;
  readonly url: URL;
  /** What a 401 means here and what to do, after "rejected the access token with 401: ". */
  readonly unauthorized: string;
  /** What a 429 means here, after "answered 429: ". */
  readonly rateLimited: string;
}

/** The longest wait `retryAfter` reports: a day. A longer one is not a rate limit to wait out. */
export const RETRY_AFTER_LIMIT = 86_400;

/**
 * `Retry-After` as whole seconds from now: delta-seconds or an HTTP date (RFC 9110 section
 * 10.2.3). Undefined when it is neither, or asks for more than {@link RETRY_AFTER_LIMIT} seconds
 * (`1e23` seconds, or `Infinity` from 400 digits, would end in a message and in an app's timer).
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) seconds = trimmed.length > 6 ? Number.POSITIVE_INFINITY : Number(trimmed);
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    seconds = Math.max(0, Math.ceil((date - now) / 1000));
  }
  return seconds <= RETRY_AFTER_LIMIT ? seconds : undefined;
}

/** The error a non-200 answer of Eventpop's API stands for; server text enters it only through `secrets.text`. */
function statusError(request: BearerRequest, res: HttpResponse, secrets: RequestSecrets): EventpopAPIError {
  const { status } = res;
  const { what, url } = request;
  const challenge = parseBearerChallenge(res.headers['www-authenticate']);
  const description = challenge.get('error_description');
  const said = description ? ` (${secrets.text(description)})` : '';
  if (status === 401) {
    return new EventpopAPIError(
      `${what} rejected the access token with 401${said}: ${request.unauthorized}`,
      {
        code: 'invalid_token',
        status,
      },
    );
  }
  if (status === 403) {
    const scope = secrets.text(challenge.get('scope') || 'public');
    return new EventpopAPIError(
      `${what} refused the access token with 403: it lacks the '${scope}' scope. ` +
        `Ask for scope '${scope}' when signing in.`,
      { code: 'insufficient_scope', status },
    );
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(res.headers['retry-after']);
    const wait = retryAfter === undefined ? '' : ` Retry after ${retryAfter} s.`;
    return new EventpopAPIError(`${what} answered 429: ${request.rateLimited}${wait}`, {
      code: 'rate_limited',
      status,
      retryAfter,
    });
  }
  if (status >= 300 && status < 400) {
    return new EventpopAPIError(redirectMessage(what, url, res, secrets), {
      code: 'redirected',
      status,
    });
  }
  if (status >= 500) {
    return new EventpopAPIError(`${what} answered ${status}: Eventpop is failing. Try again later.`, {
      code: 'server_error',
      status,
    });
  }
  return new EventpopAPIError(`${what} (${describeURL(url)}) answered an unexpected ${status}.`, {
    code: 'unexpected_status',
    status,
  });
}

/**
 * Sends `GET request.url` with `Authorization: Bearer <token>` (never the token in the URL) and
 * calls back with `parse` of a 200 answer (or what `parse` threw). Any other status is an
 * {@link EventpopAPIError}, a body over the size cap is `response_too_large`, and a network
 * failure or timeout an InternalOAuthError. Calls back once, never before it has returned.
 * @internal
 */
export function getWithBearer<T>(
  config: ClientConfig,
  request: BearerRequest,
  accessToken: string,
  parse: (res: HttpResponse) => T,
  callback: Callback<T>,
): void {
  const headers = { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' };
  const answered = parsing(callback, (res: HttpResponse) => {
    if (res.status !== 200) throw statusError(request, res, new RequestSecrets(config, [accessToken]));
    return parse(res);
  });
  send(config.http, { method: 'GET', url: request.url, headers }, (err, res) => {
    if (err instanceof HttpBodyTooLargeError) {
      callback(
        new EventpopAPIError(
          `${request.what} answered with a body over ${err.limit} bytes; reading stopped there.`,
          { code: 'response_too_large', status: err.status },
        ),
      );
    } else if (err !== null) {
      callback(transportFailure(request.what, request.url, err, new RequestSecrets(config, [accessToken])));
    } else {
      answered(null, res);
    }
  });
}

/** {@link getWithBearer} as a promise. @internal */
export function fetchWithBearer<T>(
  config: ClientConfig,
  request: BearerRequest,
  accessToken: string,
  parse: (res: HttpResponse) => T,
): Promise<T> {
  return promised((callback) => getWithBearer(config, request, accessToken, parse, callback));
}
