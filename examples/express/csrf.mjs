// Cross-site request forgery guard for the demo's forms: same-origin request headers and a session-bound token.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The form field that carries the token. */
export const CSRF_FIELD = '_csrf';

/**
 * The session's CSRF token, made on first use. It lives in the server-side session, so a page of
 * another session (or of no session) never has it; passport regenerates the session at sign-in, so
 * a token seen before signing in is worthless after.
 * @param {import('express').Request} req
 * @returns {string}
 */
export function csrfToken(req) {
  if (typeof req.session.csrfToken !== 'string')
    req.session.csrfToken = randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

/** @param {unknown} a @param {unknown} b */
function sameSecret(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // timingSafeEqual needs equal lengths; the token's length is public (43 characters), its bytes are not.
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Why a state-changing request is refused, or `undefined` when it may proceed.
 *
 * SameSite=Lax alone does not stop these: a sibling subdomain or another port on the same host is
 * "same-site", so the browser sends the Lax cookie with its forged POST. Three checks, each enough
 * against a browser that supports it: Fetch Metadata (`Sec-Fetch-Site`, sent by every current
 * browser) must say same-origin; `Origin`, when it names one, must be this app's; and the form must carry
 * the session's token (the synchronizer token), which covers clients that send neither header.
 * @param {import('express').Request} req
 * @param {string} appOrigin the app's public origin (its callback URL's)
 * @returns {'cross_site' | 'csrf_token_mismatch' | undefined}
 */
export function forgeryReason(req, appOrigin) {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return 'cross_site';
  // Under this app's Referrer-Policy: no-referrer, browsers send `Origin: null` even from its own
  // pages: null tells nothing, so it counts as absent and the other two checks decide.
  const origin = req.get('origin');
  if (origin !== undefined && origin !== 'null' && origin !== appOrigin) return 'cross_site';
  const expected = req.session?.csrfToken;
  if (!sameSecret(req.body?.[CSRF_FIELD], expected)) return 'csrf_token_mismatch';
  return undefined;
}
