// Eventpop's token endpoint: one request, and its answer parsed into a typed token or a typed error.
import { type Callback, parsing, promised } from './callback';
import { internalOAuthError, redirectMessage, TokenError, transportFailure } from './errors';
import { formBody } from './form';
import { type HttpResponse, send } from './http';
import { describeJSONProblem, type JSONObject, type JSONProblem, readJSON } from './json';
import type { ClientConfig } from './options';
import { RequestSecrets } from './server-text';

/**
 * Eventpop's token response as the verify callback's `params` receives it (RFC 6749 section 5.1,
 * in Doorkeeper's shape). Like passport-oauth2, the refresh token is passed on its own and is
 * not repeated here.
 */
export interface EventpopTokenParams {
  readonly access_token: string;
  /** `Bearer`. */
  readonly token_type: string;
  /**
   * Lifetime of the access token in whole seconds (Eventpop: 7200). Kept only from 1 to
   * 315,576,000 (ten years); an answer outside that range (negative, zero, fractional, `1e300`)
   * leaves it out, as if Eventpop had given no lifetime. A digit string is read as a number.
   */
  readonly expires_in?: number;
  /** Granted scopes, space-separated, e.g. `public organizer`. */
  readonly scope?: string;
  /**
   * When the token was issued, in whole Unix seconds. Kept only from 946,684,800 (2000-01-01)
   * to before 4,102,444,800 (2100-01-01); anything else (milliseconds sent as seconds, a
   * 15-digit number) leaves it out. A digit string is read as a number.
   */
  readonly created_at?: number;
}

/** Longest `expires_in` kept, in seconds: ten years of 365.25 days. @internal */
export const MAX_EXPIRES_IN = 315_576_000;
/** Earliest `created_at` kept: 2000-01-01T00:00:00Z, in Unix seconds. @internal */
export const MIN_CREATED_AT = 946_684_800;
/** `created_at` must be before this: 2100-01-01T00:00:00Z, in Unix seconds. @internal */
export const MAX_CREATED_AT = 4_102_444_800;

/** A successful answer of the token endpoint. @internal */
export interface TokenResult {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly params: EventpopTokenParams;
}

const WHAT = "Eventpop's token endpoint";

/** A whole number from `min` to `max` (inclusive), sent as a number or as a string of digits. */
function wholeNumberIn(value: unknown, min: number, max: number): number | undefined {
  const n = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function mediaType(res: HttpResponse): string | undefined {
  return res.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

/** The answer's media type for a message: server text, so made safe. */
function contentType(res: HttpResponse, secrets: RequestSecrets): string {
  const type = mediaType(res);
  return type === undefined ? 'no content type' : secrets.text(type);
}

/** Whether an answer that failed to parse meant to be JSON (a JSON media type, or a body that starts like it). */
function meantAsJSON(res: HttpResponse): boolean {
  const type = mediaType(res);
  if (type === 'application/json' || type?.endsWith('+json')) return true;
  return /^\s*[[{]/.test(res.body);
}

/**
 * Throws the error an OAuth endpoint's answer stands for, if it is not a 2xx: a redirect (never
 * followed), an RFC 6749 section 5.2 error as a TokenError with the HTTP status (which
 * passport-oauth2's own parser drops), or anything else as an InternalOAuthError. Every piece of
 * the answer that enters the error goes through {@link RequestSecrets.text}.
 */
function throwUnlessOK(
  what: string,
  url: URL,
  res: HttpResponse,
  json: JSONObject | JSONProblem,
  secrets: RequestSecrets,
): void {
  if (res.status >= 200 && res.status < 300) return;
  if (res.status >= 300 && res.status < 400) {
    throw internalOAuthError(redirectMessage(what, url, res, secrets), { status: res.status });
  }
  const fields = typeof json === 'string' ? undefined : json;
  const error = optionalString(fields?.error);
  if (error) {
    const code = secrets.text(error);
    const description = optionalString(fields?.error_description);
    const uri = optionalString(fields?.error_uri);
    throw new TokenError(
      description === undefined ? `Eventpop refused the request (${code}).` : secrets.text(description),
      code,
      uri === undefined ? undefined : secrets.text(uri),
      res.status,
    );
  }
  throw internalOAuthError(
    `${what} answered HTTP ${res.status} (${contentType(res, secrets)}) without an OAuth error; ` +
      'Eventpop or a proxy in front of it is failing. Try again later.',
    { status: res.status },
  );
}

/** Turns the token endpoint's answer into a token, a TokenError or an InternalOAuthError. @internal */
export function parseTokenResponse(
  config: ClientConfig,
  res: HttpResponse,
  secrets: RequestSecrets,
): TokenResult {
  const json = readJSON(res.body);
  throwUnlessOK(WHAT, config.tokenURL, res, json, secrets);
  if (typeof json === 'string') {
    const said = describeJSONProblem(json);
    if (json !== 'not_json' || meantAsJSON(res)) {
      // The address answered in JSON: the answer, not tokenURL, is what is wrong.
      const cut = json === 'not_json' ? ' (cut off, or not valid JSON)' : '';
      throw internalOAuthError(
        `${WHAT} answered HTTP ${res.status} with ${said}${cut}, ${Buffer.byteLength(res.body)} bytes. ` +
          'Eventpop or a proxy in front of it is failing. Try again later.',
        { status: res.status },
      );
    }
    throw internalOAuthError(
      `${WHAT} answered HTTP ${res.status} with a body that is not JSON (${contentType(res, secrets)}); ` +
        'check tokenURL/baseURL.',
      { status: res.status },
    );
  }
  const accessToken = optionalString(json.access_token);
  if (!accessToken) {
    throw internalOAuthError(`${WHAT} answered HTTP ${res.status} with JSON that has no access_token.`, {
      status: res.status,
    });
  }
  const params: { -readonly [K in keyof EventpopTokenParams]: EventpopTokenParams[K] } = {
    access_token: accessToken,
    token_type: optionalString(json.token_type) ?? 'Bearer',
  };
  const expiresIn = wholeNumberIn(json.expires_in, 1, MAX_EXPIRES_IN);
  if (expiresIn !== undefined) params.expires_in = expiresIn;
  const scope = optionalString(json.scope);
  if (scope !== undefined) params.scope = scope;
  const createdAt = wholeNumberIn(json.created_at, MIN_CREATED_AT, MAX_CREATED_AT - 1);
  if (createdAt !== undefined) params.created_at = createdAt;
  return { accessToken, refreshToken: optionalString(json.refresh_token), params };
}

/**
 * POSTs a grant to the token endpoint with the client's credentials in the form body
 * (RFC 6749 section 2.3.1) and parses the answer. `grant` carries `grant_type` and the
 * grant's own fields; the values of `code`, `refresh_token` and `code_verifier` are scrubbed
 * from any error built from the answer, as is the client secret. Calls back once, never
 * before it has returned.
 * @internal
 */
export function exchangeGrant(
  config: ClientConfig,
  grant: Readonly<Record<string, string>>,
  callback: Callback<TokenResult>,
): void {
  const secrets = new RequestSecrets(config, [grant.code, grant.refresh_token, grant.code_verifier]);
  const parse = (res: HttpResponse) => parseTokenResponse(config, res, secrets);
  postWithClient(config, WHAT, config.tokenURL, grant, secrets, parsing(callback, parse));
}

/** {@link exchangeGrant} as a promise. @internal */
export function requestToken(
  config: ClientConfig,
  grant: Readonly<Record<string, string>>,
): Promise<TokenResult> {
  return promised((callback) => exchangeGrant(config, grant, callback));
}

const REVOKE = "Eventpop's revocation endpoint";

/**
 * POSTs a token to the revocation endpoint (RFC 7009) with the client's credentials in the form
 * body. Resolves on any 2xx (RFC 7009 section 2.2: an unknown token is not an error).
 * @internal
 */
export function requestRevocation(
  config: ClientConfig,
  token: string,
  hint: 'access_token' | 'refresh_token' | undefined,
): Promise<void> {
  const fields = hint ? { token, token_type_hint: hint } : { token };
  const secrets = new RequestSecrets(config, [token]);
  const check = (res: HttpResponse) => {
    if (res.status < 200 || res.status >= 300) {
      throwUnlessOK(REVOKE, config.revocationURL, res, readJSON(res.body), secrets);
    }
  };
  return promised((callback) =>
    postWithClient(config, REVOKE, config.revocationURL, fields, secrets, parsing(callback, check)),
  );
}

/** The headers of every POST to the OAuth endpoints (one object: the request copies it). */
const FORM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/x-www-form-urlencoded',
  Accept: 'application/json',
};

/**
 * POSTs form fields plus the client's credentials (in the body, RFC 6749 section 2.3.1) to one
 * of Eventpop's OAuth endpoints; a transport failure becomes an InternalOAuthError naming it.
 */
function postWithClient(
  config: ClientConfig,
  what: string,
  url: URL,
  fields: Readonly<Record<string, string>>,
  secrets: RequestSecrets,
  callback: Callback<HttpResponse>,
): void {
  const body = formBody(fields, config);
  send(config.http, { method: 'POST', url, headers: FORM_HEADERS, body }, (err, res) => {
    if (err !== null) callback(transportFailure(what, url, err, secrets));
    else callback(null, res);
  });
}
