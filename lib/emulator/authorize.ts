// The authorization endpoint, /oauth/authorize: checks the request, shows consent, redirects with a code or an error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorDescriptions, missingParam, type OAuthErrorCode } from './errors';
import { readParams, redirect, sendHtml } from './http';
import { consentPage, errorPage, type RedirectUriMismatch } from './pages';
import { type EmulatorClient, knownScopes, type Scope, type Store } from './store';

/** @internal What the authorization endpoint needs to know beyond the request. */
export interface AuthorizeContext {
  store: Store;
  autoApproveUserId: number | undefined;
}

/** A request that passed every check (RFC 6749 section 4.1.1, RFC 7636 section 4.3). */
interface ValidRequest {
  client: EmulatorClient;
  redirectUri: string;
  redirectUriSent: boolean;
  scopes: readonly Scope[];
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'plain' | 'S256' | undefined;
}

/** The parameters the consent form carries back, and nothing else. */
const forwarded = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;

/** Parses `scope` (space-separated, default `public`); `undefined` when a scope is unknown. */
export function parseScopes(scope: string | null): readonly Scope[] | undefined {
  const names = (scope ?? '').split(' ').filter((s) => s !== '');
  if (names.length === 0) return ['public'];
  const scopes: Scope[] = [];
  for (const name of names) {
    const known = knownScopes.find((s) => s === name);
    if (known === undefined) return undefined;
    if (!scopes.includes(known)) scopes.push(known);
  }
  return scopes;
}

/** Why an authorization request is refused, for its error page. */
interface Invalid {
  error: OAuthErrorCode;
  description: string;
  mismatch?: RedirectUriMismatch;
}

function invalid(error: OAuthErrorCode, description: string = errorDescriptions[error]): Invalid {
  return { error, description };
}

function showError(res: ServerResponse, { error, description, mismatch }: Invalid, status = 200): void {
  sendHtml(res, status, errorPage(error, description, mismatch));
}

/** The name Doorkeeper's (Rails') consent form gives its CSRF token. */
const consentTokenField = 'authenticity_token';

/** The request parameters a consent form carries. */
function forwardedParams(params: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const name of forwarded) {
    const value = params.get(name);
    if (value !== null) kept.set(name, value);
  }
  return kept;
}

/**
 * The forwarded parameters as the consent token is bound to them. Line breaks are compared as
 * `\n`: a browser submits a hidden field's LF as CRLF (HTML's form-submission newline rule).
 */
function boundRequest(forwardedOnly: URLSearchParams): string {
  return forwardedOnly.toString().replace(/%0D%0A|%0D/g, '%0A');
}

/**
 * Checks an authorization request. Any failure is shown on an error page and never redirected, for
 * an unknown client, redirect URI, response type or scope alike (eventpop-api.md).
 */
function validate(params: URLSearchParams, store: Store): ValidRequest | Invalid {
  const clientId = params.get('client_id');
  if (!clientId) return invalid('invalid_request', missingParam('client_id'));
  const client = store.clients.get(clientId);
  if (client === undefined) return invalid('invalid_client');

  const sent = params.get('redirect_uri');
  let redirectUri: string;
  if (sent) {
    if (!client.redirectUris.includes(sent)) {
      const mismatch = { sent, clientName: client.name, registered: client.redirectUris };
      return { ...invalid('invalid_redirect_uri'), mismatch };
    }
    redirectUri = sent;
  } else if (client.redirectUris.length === 1 && client.redirectUris[0] !== undefined) {
    redirectUri = client.redirectUris[0];
  } else {
    return invalid('invalid_request', missingParam('redirect_uri'));
  }

  const responseType = params.get('response_type');
  if (!responseType) return invalid('invalid_request', missingParam('response_type'));
  if (responseType !== 'code') return invalid('unsupported_response_type');

  const scopes = parseScopes(params.get('scope'));
  if (scopes === undefined) return invalid('invalid_scope');

  const codeChallenge = params.get('code_challenge') || undefined;
  const method = params.get('code_challenge_method') || undefined;
  let codeChallengeMethod: 'plain' | 'S256' | undefined;
  if (codeChallenge !== undefined) {
    // RFC 7636 section 4.3: without a method the challenge is "plain".
    if (method === undefined || method === 'plain') codeChallengeMethod = 'plain';
    else if (method === 'S256') codeChallengeMethod = 'S256';
    else return invalid('invalid_code_challenge_method');
  }

  return {
    client,
    redirectUri,
    redirectUriSent: Boolean(sent),
    scopes,
    state: params.get('state') || undefined,
    codeChallenge,
    codeChallengeMethod,
  };
}

/** Redirects back with a fresh code (RFC 6749 section 4.1.2), keeping any query the redirect URI has. */
function approve(res: ServerResponse, request: ValidRequest, userId: number, store: Store): void {
  const code = store.issueCode({
    clientId: request.client.clientId,
    userId,
    scopes: request.scopes,
    redirectUri: request.redirectUri,
    redirectUriSent: request.redirectUriSent,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
  });
  const url = new URL(request.redirectUri);
  url.searchParams.set('code', code);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  redirect(res, url.href);
}

/** Redirects back with `error=access_denied` (RFC 6749 section 4.1.2.1); spaces become `+`. */
function deny(res: ServerResponse, request: ValidRequest): void {
  const url = new URL(request.redirectUri);
  url.searchParams.set('error', 'access_denied');
  url.searchParams.set('error_description', errorDescriptions.access_denied);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  redirect(res, url.href);
}

/** `GET /oauth/authorize`: the consent page, or an immediate code with `autoApprove`. */
export function showAuthorize(res: ServerResponse, query: URLSearchParams, ctx: AuthorizeContext): void {
  const request = validate(query, ctx.store);
  if ('error' in request) {
    showError(res, request);
    return;
  }
  if (ctx.autoApproveUserId !== undefined) {
    approve(res, request, ctx.autoApproveUserId, ctx.store);
    return;
  }
  const hidden = forwardedParams(query);
  hidden.set(consentTokenField, ctx.store.issueConsent(boundRequest(hidden)));
  sendHtml(res, 200, consentPage(request.client, request.scopes, ctx.store.users.values(), hidden));
}

const staleConsent = invalid(
  'invalid_request',
  'This consent form was not shown by this emulator, expired (after an hour) or was already answered. Go back to the application and sign in again.',
);

/**
 * `POST /oauth/authorize`: the consent form's answer. It must carry the one-time token of a form
 * this emulator showed for the same parameters (`403` otherwise), so a page on another site cannot
 * post a consent (it cannot read a token), nor can a flood of POSTs mint codes without pages.
 * Every parameter is checked again.
 */
export async function decideAuthorize(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AuthorizeContext,
): Promise<void> {
  const params = await readParams(req);
  if (typeof params === 'string') {
    showError(res, invalid('invalid_request'));
    return;
  }
  const consentToken = params.get(consentTokenField) ?? '';
  if (!ctx.store.takeConsent(consentToken, boundRequest(forwardedParams(params)))) {
    showError(res, staleConsent, 403);
    return;
  }
  const request = validate(params, ctx.store);
  if ('error' in request) {
    showError(res, request);
    return;
  }
  const decision = params.get('decision');
  if (decision === 'deny') {
    deny(res, request);
    return;
  }
  const rawUserId = params.get('user_id');
  const userId = rawUserId ? Number(rawUserId) : Number.NaN;
  if (decision !== 'allow' || !ctx.store.users.has(userId)) {
    const missing = decision !== 'allow' ? 'decision' : 'user_id';
    showError(res, invalid('invalid_request', missingParam(missing)));
    return;
  }
  approve(res, request, userId, ctx.store);
}
