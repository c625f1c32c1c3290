// The token and revocation endpoints: client authentication and the three grants (RFC 6749, 7009, 7636).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseScopes } from './authorize';
import { errorDescriptions, missingParam, type OAuthErrorCode } from './errors';
import { noStore, readParams, sendJson } from './http';
import { type EmulatorClient, type Scope, type Store, secretsEqual, type TokenRecord } from './store';

/** @internal Where the grant type of a token request is reported, for the request log. */
export interface TokenLog {
  grantType?: string;
}

/** @internal A refusal from the token or revocation endpoint. */
interface Failure {
  status: number;
  error: OAuthErrorCode;
  description?: string;
  /** `false` leaves out `WWW-Authenticate`, as Doorkeeper's revocation refusal does. */
  challenge?: false;
}

function failure(status: number, error: OAuthErrorCode, description?: string): Failure {
  return description === undefined ? { status, error } : { status, error, description };
}

/**
 * An OAuth error as Doorkeeper sends it: JSON `{error, error_description}`, `no-store`, and a
 * `WWW-Authenticate` header even on 400, whose scheme is `Bearer` for `invalid_client` too
 * (eventpop-api.md: Doorkeeper says `Bearer` there, where RFC 6749 5.2 would suggest `Basic`).
 */
function oauthError(
  res: ServerResponse,
  { status, error, description = errorDescriptions[error], challenge }: Failure,
): void {
  const headers =
    challenge === false
      ? noStore
      : {
          ...noStore,
          'WWW-Authenticate': `Bearer realm="Doorkeeper", error="${error}", error_description="${description}"`,
        };
  sendJson(res, status, { error, error_description: description }, headers);
}

/** Decodes an `application/x-www-form-urlencoded` value (RFC 6749 section 2.3.1 for Basic credentials). */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Client credentials as a request carries them. */
interface Credentials {
  id: string | undefined;
  secret: string | undefined;
  /** No client authentication at all: no Basic header, no `client_id`, no `client_secret`. */
  none: boolean;
}

/** The credentials a request carries: HTTP Basic first, as Doorkeeper reads them, else the body. */
function credentials(req: IncomingMessage, params: URLSearchParams): Credentials {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] !== undefined) {
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { id: undefined, secret: undefined, none: false };
    const id = formDecode(decoded.slice(0, colon));
    return { id, secret: formDecode(decoded.slice(colon + 1)), none: false };
  }
  const id = params.get('client_id') || undefined;
  const secret = params.get('client_secret') || undefined;
  return { id, secret, none: id === undefined && secret === undefined };
}

/**
 * Authenticates the client (RFC 6749 section 2.3.1). A confidential client needs its secret; a
 * public one may send its id alone unless `requireSecret`. A sent secret must always match.
 */
function authenticateClient(
  { id, secret }: Credentials,
  store: Store,
  requireSecret: boolean,
): EmulatorClient | undefined {
  const client = id === undefined ? undefined : store.clients.get(id);
  if (client === undefined) return undefined;
  if (secret === undefined || secret === '') {
    return requireSecret || client.confidential !== false ? undefined : client;
  }
  return secretsEqual(secret, client.clientSecret) ? client : undefined;
}

/** The token response of RFC 6749 section 5.1, in Doorkeeper's field order. */
function sendToken(res: ServerResponse, record: TokenRecord, store: Store): void {
  const body: Record<string, string | number> = {
    access_token: record.accessToken,
    token_type: 'Bearer',
    expires_in: store.lifetimes.tokenTTL,
  };
  if (record.refreshToken !== undefined) body['refresh_token'] = record.refreshToken;
  body['scope'] = record.scopes.join(' ');
  body['created_at'] = Math.floor(record.createdAt / 1000);
  sendJson(res, 200, body, noStore);
}

/** RFC 7636 section 4.6: S256 compares base64url(sha256(verifier)); plain compares the strings. */
function verifierMatches(verifier: string, challenge: string, method: 'plain' | 'S256'): boolean {
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return secretsEqual(derived, challenge);
}

/** RFC 6749 section 4.1.3, with RFC 7636 PKCE. */
function authorizationCodeGrant(
  params: URLSearchParams,
  client: EmulatorClient,
  store: Store,
): TokenRecord | Failure {
  const code = params.get('code');
  if (!code) return failure(400, 'invalid_request', missingParam('code'));
  const grant = store.findCode(code);
  if (grant === undefined || grant.clientId !== client.clientId) return failure(400, 'invalid_grant');

  // RFC 6749 4.1.3: redirect_uri is required if the authorization request had it, and must be identical.
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri && grant.redirectUriSent) {
    return failure(400, 'invalid_request', missingParam('redirect_uri'));
  }
  if (redirectUri && redirectUri !== grant.redirectUri) return failure(400, 'invalid_grant');

  const verifier = params.get('code_verifier');
  // No PKCE downgrade (RFC 9700 section 2.1.1): a verifier for a code issued without a challenge
  // means the authorize step lost its challenge on the way, and Doorkeeper refuses it.
  if (grant.codeChallenge === undefined && verifier) return failure(400, 'invalid_grant');
  if (grant.codeChallenge !== undefined && grant.codeChallengeMethod !== undefined) {
    if (!verifier) return failure(400, 'invalid_request', missingParam('code_verifier'));
    // A wrong verifier leaves the code usable, as Doorkeeper only revokes a grant on success.
    if (!verifierMatches(verifier, grant.codeChallenge, grant.codeChallengeMethod)) {
      return failure(400, 'invalid_grant');
    }
  }

  store.consumeCode(code);
  return store.issueToken({
    clientId: client.clientId,
    userId: grant.userId,
    scopes: grant.scopes,
    withRefresh: true,
  });
}

/** RFC 6749 section 6, rotating both tokens (eventpop-api.md: the old pair dies on the new one's first use). */
function refreshTokenGrant(
  params: URLSearchParams,
  client: EmulatorClient,
  store: Store,
): TokenRecord | Failure {
  const refreshToken = params.get('refresh_token');
  if (!refreshToken) return failure(400, 'invalid_request', missingParam('refresh_token'));
  const old = store.findByRefresh(refreshToken);
  if (old === undefined || old.clientId !== client.clientId) return failure(400, 'invalid_grant');

  // RFC 6749 section 6: a refresh may narrow the scope, never widen it.
  let scopes: readonly Scope[] = old.scopes;
  if (params.get('scope')) {
    const asked = parseScopes(params.get('scope'));
    if (asked === undefined || !asked.every((s) => old.scopes.includes(s)))
      return failure(400, 'invalid_scope');
    scopes = asked;
  }

  store.markUsed(old);
  return store.issueToken({
    clientId: client.clientId,
    userId: old.userId,
    scopes,
    withRefresh: true,
    previous: old,
  });
}

/** RFC 6749 section 4.4: an app token, with no user and no refresh token. */
function clientCredentialsGrant(
  params: URLSearchParams,
  client: EmulatorClient,
  store: Store,
): TokenRecord | Failure {
  const scopes = parseScopes(params.get('scope'));
  if (scopes === undefined) return failure(400, 'invalid_scope');
  return store.issueToken({ clientId: client.clientId, userId: undefined, scopes, withRefresh: false });
}

const grants = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
} as const;

function isGrantType(value: string): value is keyof typeof grants {
  return Object.hasOwn(grants, value);
}

/** Reads a form body, or says why it cannot be used. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | Failure> {
  const params = await readParams(req);
  if (params === 'too-large') return failure(413, 'invalid_request', 'The request body is too large.');
  if (params === 'malformed') return failure(400, 'invalid_request');
  return params;
}

function token(
  params: URLSearchParams,
  req: IncomingMessage,
  store: Store,
  log: TokenLog,
): TokenRecord | Failure {
  const grantType = params.get('grant_type');
  if (!grantType) return failure(400, 'invalid_request', missingParam('grant_type'));
  log.grantType = grantType;
  if (!isGrantType(grantType)) return failure(400, 'unsupported_grant_type');
  const sent = credentials(req, params);
  // Doorkeeper takes a refresh with no client authentication at all for a public client's, and the
  // refresh token, issued to a confidential client, is then not this client's: invalid_grant.
  if (grantType === 'refresh_token' && sent.none) {
    return failure(400, 'invalid_grant');
  }
  const client = authenticateClient(sent, store, grantType === 'client_credentials');
  if (client === undefined) return failure(401, 'invalid_client');
  return grants[grantType](params, client, store);
}

/** `POST /oauth/token` (RFC 6749 sections 4.1.3, 4.4 and 6). */
export async function handleToken(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  log: TokenLog,
): Promise<void> {
  const params = await readForm(req);
  const result = params instanceof URLSearchParams ? token(params, req, store, log) : params;
  if ('error' in result) oauthError(res, result);
  else sendToken(res, result, store);
}

/** Doorkeeper's refusal of a revocation it will not do: 403, and no `WWW-Authenticate`. */
const notYours: Failure = {
  ...failure(403, 'unauthorized_client', 'You are not authorized to revoke this token'),
  challenge: false,
};

function revoke(params: URLSearchParams, req: IncomingMessage, store: Store): Failure | undefined {
  const sent = credentials(req, params);
  if (sent.none) return notYours;
  const client = authenticateClient(sent, store, false);
  if (client === undefined) return failure(401, 'invalid_client');
  const token = params.get('token');
  if (!token) return failure(400, 'invalid_request', missingParam('token'));
  const record = store.findByAccess(token) ?? store.findByRefresh(token);
  if (record === undefined) return undefined;
  if (record.clientId !== client.clientId) return notYours;
  store.revoke(record);
  return undefined;
}

/**
 * `POST /oauth/revoke` (RFC 7009): revokes an access or refresh token, and with it its pair. An
 * unknown token is a success. A request without client authentication, or for another client's
 * token, is Doorkeeper's `403 unauthorized_client` (a JSON body, no `WWW-Authenticate`).
 */
export async function handleRevoke(req: IncomingMessage, res: ServerResponse, store: Store): Promise<void> {
  const params = await readForm(req);
  const refused = params instanceof URLSearchParams ? revoke(params, req, store) : params;
  if (refused === undefined) sendJson(res, 200, {});
  else oauthError(res, refused);
}
