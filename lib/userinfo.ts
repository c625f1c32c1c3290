// Eventpop's /api/public/me: one GET with the token in the Authorization header, statuses mapped to errors.
import { EventpopAPIError, redirectMessage, transportFailure } from './errors';
import { describeURL, HttpBodyTooLargeError, type HttpResponse, send } from './http';
import type { ClientConfig } from './options';
import { type EventpopProfile, parseProfile } from './profile';
import { RequestSecrets } from './server-text';
import { parseBearerChallenge } from './www-authenticate';

const WHAT = "Eventpop's /api/public/me";

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function statusError(config: ClientConfig, res: HttpResponse, secrets: RequestSecrets): EventpopAPIError {
  const { status } = res;
  const challenge = parseBearerChallenge(res.headers['www-authenticate']);
  const description = challenge.get('error_description');
  const said = description ? ` (${secrets.text(description)})` : '';
  if (status === 401) {
    return new EventpopAPIError(
      `${WHAT} rejected the access token with 401${said}: it is invalid, expired or revoked. ` +
        'Refresh it or sign the user in again.',
      { code: 'invalid_token', status },
    );
  }
  if (status === 403) {
    const scope = secrets.text(challenge.get('scope') || 'public');
    return new EventpopAPIError(
      `${WHAT} refused the access token with 403: it lacks the '${scope}' scope. ` +
        `Ask for scope '${scope}' when signing in.`,
      { code: 'insufficient_scope', status },
    );
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(res.headers['retry-after']);
    const wait = retryAfter === undefined ? '' : ` Retry after ${retryAfter} s.`;
    return new EventpopAPIError(
      `${WHAT} answered 429: it allows 10 requests a minute per token; fetch the profile once per login.${wait}`,
      { code: 'rate_limited', status, retryAfter },
    );
  }
  if (status >= 300 && status < 400) {
    return new EventpopAPIError(redirectMessage(WHAT, config.profileURL, res, secrets), {
      code: 'redirected',
      status,
    });
  }
  if (status >= 500) {
    return new EventpopAPIError(`${WHAT} answered ${status}: Eventpop is failing. Try again later.`, {
      code: 'server_error',
      status,
    });
  }
  return new EventpopAPIError(
    `${WHAT} (${describeURL(config.profileURL)}) answered an unexpected ${status}.`,
    {
      code: 'unexpected_status',
      status,
    },
  );
}

/**
 * Fetches the signed-in user's profile from `/api/public/me` with the access token in the
 * `Authorization` header (never in the URL). Eventpop allows 10 calls a minute per token.
 * @internal
 */
export async function requestProfile(config: ClientConfig, accessToken: string): Promise<EventpopProfile> {
  let res: HttpResponse;
  try {
    res = await send(config.http, {
      method: 'GET',
      url: config.profileURL,
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
    });
  } catch (err) {
    if (err instanceof HttpBodyTooLargeError) {
      throw new EventpopAPIError(
        `${WHAT} answered with a body over ${err.limit} bytes; reading stopped there.`,
        {
          code: 'response_too_large',
          status: err.status,
        },
      );
    }
    throw transportFailure(WHAT, config.profileURL, err, new RequestSecrets(config, [accessToken]));
  }
  if (res.status !== 200) throw statusError(config, res, new RequestSecrets(config, [accessToken]));
  return parseProfile(res.body, res.status);
}
