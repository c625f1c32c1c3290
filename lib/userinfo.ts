// Eventpop's /api/public/me: one GET with the user's token, its answer parsed into the profile.
import { type BearerRequest, fetchWithBearer, getWithBearer } from './bearer';
import type { Callback } from './callback';
import type { HttpResponse } from './http';
import type { ClientConfig } from './options';
import { type EventpopProfile, parseProfile } from './profile';

const WHAT = "Eventpop's /api/public/me";
const UNAUTHORIZED = 'it is invalid, expired or revoked. Refresh it or sign the user in again.';
const RATE_LIMITED = 'it allows 10 requests a minute per token; fetch the profile once per login.';

function meRequest(config: ClientConfig): BearerRequest {
  return { what: WHAT, url: config.profileURL, unauthorized: UNAUTHORIZED, rateLimited: RATE_LIMITED };
}

const profileOf = (res: HttpResponse): EventpopProfile => parseProfile(res.body, res.status);

/**
 * Fetches the signed-in user's profile from `/api/public/me` with the access token in the
 * `Authorization` header (never in the URL) and calls back with it, once, never before it has
 * returned. Eventpop allows 10 calls a minute per token.
 * @internal
 */
export function loadProfile(
  config: ClientConfig,
  accessToken: string,
  callback: Callback<EventpopProfile>,
): void {
  getWithBearer(config, meRequest(config), accessToken, profileOf, callback);
}

/** {@link loadProfile} as a promise. @internal */
export function requestProfile(config: ClientConfig, accessToken: string): Promise<EventpopProfile> {
  return fetchWithBearer(config, meRequest(config), accessToken, profileOf);
}
