// The resource API: bearer token checks shared by every API route, and GET /api/public/me with its per-token rate limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withAbsoluteAvatars } from './avatars';
import { send, sendJson } from './http';
import type { EmulatorUser, Store, TokenRecord, TokenState } from './store';

const windowMs = 60_000;

/** Doorkeeper's `invalid_token` descriptions. */
const tokenProblems: Readonly<Record<Exclude<TokenState, 'valid'> | 'unknown', string>> = {
  unknown: 'The access token is invalid',
  expired: 'The access token expired',
  revoked: 'The access token was revoked',
};

/** Bearer token from the `Authorization` header (RFC 6750 2.1), else the `access_token` query parameter (2.3). */
function bearerToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  return query.get('access_token') || undefined;
}

/**
 * Counts a request against the token's fixed one-minute window (Eventpop: 10 a minute). Returns the
 * whole seconds until the window frees when over the limit, else `undefined`.
 */
function overLimit(record: TokenRecord, limit: number, now: number): number | undefined {
  if (!Number.isFinite(limit)) return undefined;
  if (now - record.rateWindowStart >= windowMs) {
    record.rateWindowStart = now;
    record.rateCount = 0;
  }
  if (record.rateCount >= limit)
    return Math.max(1, Math.ceil((record.rateWindowStart + windowMs - now) / 1000));
  record.rateCount += 1;
  return undefined;
}

/**
 * The live token a request carries, or `undefined` after answering Doorkeeper's refusal: `401`
 * with an empty body and `WWW-Authenticate` naming why (invalid, expired, revoked).
 */
export function authorizeBearer(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  store: Store,
): TokenRecord | undefined {
  const token = bearerToken(req, query);
  const record = token === undefined ? undefined : store.findByAccess(token);
  const state = record === undefined ? 'unknown' : store.stateOf(record);
  if (record !== undefined && state === 'valid') {
    // Its use revokes the pair it replaced, if any (Doorkeeper's refresh_token_revoked_on_use).
    store.markUsed(record);
    return record;
  }
  const problem = tokenProblems[state === 'valid' ? 'unknown' : state];
  send(res, 401, '', {
    'WWW-Authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${problem}"`,
  });
  return undefined;
}

/**
 * The user a token with the `public` scope acts for; undefined for an app token (client
 * credentials, no user) or one without `public`, which the user's endpoints answer with 403.
 */
export function publicUser(record: TokenRecord, store: Store): EmulatorUser | undefined {
  if (!record.scopes.includes('public') || record.userId === undefined) return undefined;
  return store.users.get(record.userId);
}

/**
 * `GET /api/public/me`. A refused token is `401` with an empty body and Doorkeeper's
 * `WWW-Authenticate`; an app token (client credentials, no user) or one without `public` is `403`.
 * Path-only avatar URLs are answered as absolute URLs on `origin`, where the request reached the emulator.
 */
export function handleMe(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  store: Store,
  rateLimit: number,
  origin: string,
): void {
  const record = authorizeBearer(req, res, query, store);
  if (record === undefined) return;

  const retryAfter = overLimit(record, rateLimit, store.now());
  if (retryAfter !== undefined) {
    sendJson(
      res,
      429,
      {
        error: 'rate_limit_exceeded',
        error_description: `Rate limit of ${rateLimit} requests per minute exceeded; retry in ${retryAfter} seconds.`,
      },
      { 'Retry-After': String(retryAfter) },
    );
    return;
  }

  const user = publicUser(record, store);
  if (user === undefined) {
    send(res, 403, '');
    return;
  }
  sendJson(
    res,
    200,
    { user: withAbsoluteAvatars(user, origin) },
    { 'Cache-Control': 'max-age=0, private, must-revalidate' },
  );
}
