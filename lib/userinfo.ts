// Eventpop's /api/public/me: one GET with the user's token, its answer parsed into the profile.
import { getWithBearer } from './bearer';
import type { ClientConfig } from './options';
import { type EventpopProfile, parseProfile } from './profile';

const WHAT = "Eventpop's /api/public/me";
const UNAUTHORIZED = 'it is invalid, expired or revoked. Refresh it or sign the user in again.';
const RATE_LIMITED = 'it allows 10 requests a minute per token; fetch the profile once per login.';

/**
 * Fetches the signed-in user's profile from `/api/public/me` with the access token in the
 * `Authorization` header (never in the URL). Eventpop allows 10 calls a minute per token.
 * @internal
 */
export async function requestProfile(config: ClientConfig, accessToken: string): Promise<EventpopProfile> {
  const res = await getWithBearer(
    config,
    { what: WHAT, url: config.profileURL, unauthorized: UNAUTHORIZED, rateLimited: RATE_LIMITED },
    accessToken,
  );
  return parseProfile(res.body, res.status);
}
