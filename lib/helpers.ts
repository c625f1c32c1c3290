// Helpers beyond login: refresh a user's token, get an app token, fetch a profile again, list tickets, revoke.
import {
  type ApplicationTokenOptions,
  type EventpopClientOptions,
  type EventpopTicketPageQuery,
  type EventpopTicketQuery,
  resolveClientOptions,
  resolveScope,
  resolveTicketPageQuery,
  resolveTicketQuery,
} from './options';
import type { EventpopProfile } from './profile';
import type { EventpopTicket } from './ticket';
import { type EventpopTicketPage, requestTicketPage, selectedTickets } from './tickets';
import { type EventpopTokenParams, requestRevocation, requestToken, type TokenResult } from './token';
import { requestProfile } from './userinfo';

/** An access token from Eventpop's token endpoint, with its expiry made absolute. */
export interface EventpopToken {
  accessToken: string;
  /** Present for user tokens; Eventpop issues none with the client credentials grant. */
  refreshToken?: string;
  /** `Bearer`. */
  tokenType: string;
  /** Granted scopes, e.g. `['public']`. */
  scopes: string[];
  /**
   * When Eventpop issued the token: `created_at` when it is within the range
   * {@link EventpopTokenParams} documents, else the time the answer arrived.
   */
  createdAt: Date;
  /**
   * `created_at + expires_in`; absent when Eventpop gave no lifetime, or one outside the range
   * {@link EventpopTokenParams} documents. Always a valid Date when present.
   */
  expiresAt?: Date;
  /** The token response as Eventpop sent it, refresh token left out. */
  params: EventpopTokenParams;
}

function toToken(result: TokenResult, receivedAt: number): EventpopToken {
  const { params } = result;
  const createdAtMs = params.created_at !== undefined ? params.created_at * 1000 : receivedAt;
  const token: EventpopToken = {
    accessToken: result.accessToken,
    tokenType: params.token_type,
    scopes: params.scope ? params.scope.split(' ').filter(Boolean) : [],
    createdAt: new Date(createdAtMs),
    params,
  };
  if (result.refreshToken !== undefined) token.refreshToken = result.refreshToken;
  if (params.expires_in !== undefined) token.expiresAt = new Date(createdAtMs + params.expires_in * 1000);
  return token;
}

function requireToken(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`passport-eventpop: ${name} must be a non-empty string.`);
  }
  return value;
}

/**
 * Exchanges a refresh token for a new access token (RFC 6749 section 6). Eventpop rotates
 * refresh tokens: store the returned `refreshToken`, since the old one stops working once the
 * new access token is used.
 *
 * @example
 * ```ts
 * const token = await refreshAccessToken({ clientID, clientSecret }, req.user.refreshToken);
 * req.user.accessToken = token.accessToken;
 * req.user.refreshToken = token.refreshToken;
 * req.user.expiresAt = token.expiresAt?.getTime();
 * ```
 * @throws {TokenError} Eventpop refused the refresh token (`invalid_grant`: sign the user in again).
 * @throws {InternalOAuthError} network failure, timeout (`code: 'ETIMEDOUT'`) or a non-OAuth answer.
 */
export async function refreshAccessToken(
  options: EventpopClientOptions,
  refreshToken: string,
): Promise<EventpopToken> {
  const config = resolveClientOptions(options);
  const grant = {
    grant_type: 'refresh_token',
    refresh_token: requireToken(refreshToken, 'the refresh token'),
  };
  return toToken(await requestToken(config, grant), Date.now());
}

/**
 * Gets an application token with the client credentials grant (Eventpop's "App Authentication
 * Flow", RFC 6749 section 4.4). It acts for the application, not a user: it has no refresh
 * token and cannot read `/api/public/me`. Eventpop recommends the user flow with the
 * `organizer` scope instead for new integrations.
 *
 * @throws {TokenError} Eventpop refused the client (`invalid_client`).
 * @throws {InternalOAuthError} network failure, timeout (`code: 'ETIMEDOUT'`) or a non-OAuth answer.
 */
export async function getApplicationToken(options: ApplicationTokenOptions): Promise<EventpopToken> {
  const config = resolveClientOptions(options);
  const grant: Record<string, string> = { grant_type: 'client_credentials' };
  if (options.scope !== undefined) grant.scope = resolveScope(options.scope).join(' ');
  return toToken(await requestToken(config, grant), Date.now());
}

/**
 * Fetches the user's profile from `/api/public/me` again, outside a login, with the same
 * mapping as the strategy. Eventpop allows 10 calls a minute per token: cache the result.
 *
 * @throws {EventpopAPIError} the token was refused (`invalid_token`), lacks a scope, the rate limit was hit, ...
 * @throws {InternalOAuthError} network failure or timeout.
 */
export async function fetchProfile(
  options: EventpopClientOptions,
  accessToken: string,
): Promise<EventpopProfile> {
  return requestProfile(resolveClientOptions(options), requireToken(accessToken, 'the access token'));
}

/**
 * Every one of the user's tickets for an organizer's events, page after page, as an async
 * iterable: each page is requested once, after the one before, with the token in the
 * `Authorization` header. `eventId` and `status` are applied here, to every page (Eventpop
 * documents no server-side filter); without them every ticket is yielded, `revoked` ones
 * included. The listing ends on a short page or when `page * perPage` reaches `total`, and
 * stops with an error rather than return a list it cannot trust: pages that contradict each
 * other (`inconsistent_pages`) or more than 100 of them (`too_many_pages`).
 *
 * The options and query are checked at once (a `TypeError` naming what is wrong); requests
 * start when iteration does.
 *
 * @example
 * ```ts
 * for await (const ticket of listTickets({ clientID, clientSecret }, user.accessToken, { organizerId: 1017 })) {
 *   console.log(ticket.eventId, ticket.referenceCode, ticket.status);
 * }
 * ```
 * @throws {EventpopAPIError} the token was refused (`invalid_token`: also an application issued
 * for another organizer), lacks `public`, a page is not a tickets list, the pages contradict
 * each other or do not end, ...
 * @throws {InternalOAuthError} network failure or timeout (`code: 'ETIMEDOUT'`), per page.
 */
export function listTickets(
  options: EventpopClientOptions,
  accessToken: string,
  query: EventpopTicketQuery,
): AsyncIterable<EventpopTicket> {
  const config = resolveClientOptions(options);
  const token = requireToken(accessToken, 'the access token');
  const resolved = resolveTicketQuery(query);
  return { [Symbol.asyncIterator]: () => selectedTickets(config, token, resolved) };
}

/**
 * One page of the user's tickets for an organizer's events, unfiltered, for callers who page
 * themselves: ask for `nextPage` until it is absent. The page is checked against the request
 * (page number, `count`, `per_page`, `total`); an answer that contradicts it is an
 * `inconsistent_pages` error.
 *
 * @example
 * ```ts
 * const first = await fetchTicketPage(options, accessToken, { organizerId: 1017, perPage: 50 });
 * first.tickets; first.total; first.nextPage; // 2, or undefined on the last page
 * ```
 * @throws {EventpopAPIError} as for {@link listTickets}.
 * @throws {InternalOAuthError} network failure or timeout.
 */
export async function fetchTicketPage(
  options: EventpopClientOptions,
  accessToken: string,
  query: EventpopTicketPageQuery,
): Promise<EventpopTicketPage> {
  const config = resolveClientOptions(options);
  const token = requireToken(accessToken, 'the access token');
  return requestTicketPage(config, token, resolveTicketPageQuery(query));
}

/**
 * Revokes an access or refresh token at Eventpop (RFC 7009), e.g. when the user signs out of
 * your app. Revoking an access token also revokes its refresh token. A token Eventpop does not
 * know counts as revoked (RFC 7009 section 2.2).
 *
 * @example
 * ```ts
 * app.post('/logout', async (req, res, next) => {
 *   await revokeToken({ clientID, clientSecret }, req.user.accessToken, 'access_token').catch(next);
 *   req.logout(() => res.redirect('/'));
 * });
 * ```
 * @throws {TokenError} Eventpop refused: `invalid_client`, or `unauthorized_client` for another app's token.
 * @throws {InternalOAuthError} network failure, timeout (`code: 'ETIMEDOUT'`) or a non-OAuth answer.
 */
export async function revokeToken(
  options: EventpopClientOptions,
  token: string,
  tokenTypeHint?: 'access_token' | 'refresh_token',
): Promise<void> {
  const config = resolveClientOptions(options);
  await requestRevocation(config, requireToken(token, 'the token to revoke'), tokenTypeHint);
}
