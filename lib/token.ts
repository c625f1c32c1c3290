// Eventpop's token endpoint: one request, and its answer parsed into a typed token or a typed error.
import { internalOAuthError, redirectMessage, scrub, TokenError, transportFailure } from './errors';
import { type HttpResponse, send } from './http';
import { parseJSON } from './json';
import type { ClientConfig } from './options';

/**
 * Eventpop's token response as the verify callback's `params` receives it (RFC 6749 section 5.1,
 * in Doorkeeper's shape). Like passport-oauth2, the refresh token is passed on its own and is
 * not repeated here.
 */
export interface EventpopTokenParams {
  readonly access_token: string;
  /** `Bearer`. */
  readonly token_type: string;
  /** Lifetime of the access token in seconds (Eventpop: 7200). */
  readonly expires_in?: number;
  /** Granted scopes, space-separated, e.g. `public organizer`. */
  readonly scope?: string;
  /** When the token was issued, in Unix seconds. */
  readonly created_at?: number;
}

/** A successful answer of the token endpoint. @internal */
export interface TokenResult {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly params: EventpopTokenParams;
}

const WHAT = "Eventpop's token endpoint";

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function contentType(res: HttpResponse): string {
  return (res.headers['content-type'] ?? 'no content type').split(';')[0]!.trim();
}

/**
 * Throws the error an OAuth endpoint's answer stands for, if it is not a 2xx: a redirect (never
 * followed), an RFC 6749 section 5.2 error as a TokenError with the HTTP status (which
 * passport-oauth2's own parser drops), or anything else as an InternalOAuthError.
 */
function throwUnlessOK(
  what: string,
  url: URL,
  res: HttpResponse,
  json: ReturnType<typeof parseJSON>,
  secrets: readonly (string | undefined)[],
): void {
  if (res.status >= 300 && res.status < 400) {
    throw internalOAuthError(redirectMessage(what, url, res, secrets), { status: res.status });
  }
  if (res.status >= 200 && res.status < 300) return;
  const code = json ? optionalString(json.error) : undefined;
  if (code) {
    const description = optionalString(json?.error_description) ?? `Eventpop refused the request (${code}).`;
    const uri = optionalString(json?.error_uri);
    throw new TokenError(
      scrub(description, secrets),
      scrub(code, secrets),
      uri && scrub(uri, secrets),
      res.status,
    );
  }
  throw internalOAuthError(
    `${what} answered HTTP ${res.status} (${contentType(res)}) without an OAuth error; ` +
      'Eventpop or a proxy in front of it is failing. Try again later.',
    { status: res.status },
  );
}

/** Turns the token endpoint's answer into a token, a TokenError or an InternalOAuthError. @internal */
export function parseTokenResponse(
  config: ClientConfig,
  res: HttpResponse,
  secrets: readonly (string | undefined)[],
): TokenResult {
  const json = parseJSON(res.body);
  throwUnlessOK(WHAT, config.tokenURL, res, json, secrets);
  if (!json) {
    throw internalOAuthError(
      `${WHAT} answered HTTP ${res.status} with a body that is not JSON (${contentType(res)}); ` +
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
  const expiresIn = optionalNumber(json.expires_in);
  if (expiresIn !== undefined) params.expires_in = expiresIn;
  const scope = optionalString(json.scope);
  if (scope !== undefined) params.scope = scope;
  const createdAt = optionalNumber(json.created_at);
  if (createdAt !== undefined) params.created_at = createdAt;
  return { accessToken, refreshToken: optionalString(json.refresh_token), params };
}

/**
 * POSTs a grant to the token endpoint with the client's credentials in the form body
 * (RFC 6749 section 2.3.1) and parses the answer. `grant` carries `grant_type` and the
 * grant's own fields; the values of `code`, `refresh_token` and `code_verifier` are scrubbed
 * from any error built from the answer, as is the client secret.
 * @internal
 */
export async function requestToken(
  config: ClientConfig,
  grant: Readonly<Record<string, string>>,
): Promise<TokenResult> {
  const res = await postWithClient(config, WHAT, config.tokenURL, grant);
  return parseTokenResponse(config, res, [
    config.clientSecret,
    grant.code,
    grant.refresh_token,
    grant.code_verifier,
  ]);
}

const REVOKE = "Eventpop's revocation endpoint";

/**
 * POSTs a token to the revocation endpoint (RFC 7009) with the client's credentials in the form
 * body. Resolves on any 2xx (RFC 7009 section 2.2: an unknown token is not an error).
 * @internal
 */
export async function requestRevocation(
  config: ClientConfig,
  token: string,
  hint: 'access_token' | 'refresh_token' | undefined,
): Promise<void> {
  const fields = hint ? { token, token_type_hint: hint } : { token };
  const res = await postWithClient(config, REVOKE, config.revocationURL, fields);
  throwUnlessOK(REVOKE, config.revocationURL, res, parseJSON(res.body), [config.clientSecret, token]);
}

/**
 * POSTs form fields plus the client's credentials (in the body, RFC 6749 section 2.3.1) to one
 * of Eventpop's OAuth endpoints; a transport failure becomes an InternalOAuthError naming it.
 */
async function postWithClient(
  config: ClientConfig,
  what: string,
  url: URL,
  fields: Readonly<Record<string, string>>,
): Promise<HttpResponse> {
  const form = new URLSearchParams({
    ...fields,
    client_id: config.clientID,
    client_secret: config.clientSecret,
  });
  try {
    return await send(config.http, {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    });
  } catch (err) {
    throw transportFailure(what, url, err);
  }
}
