// The return to the callback with `?error=`: the state checked first, as for a code, then Eventpop's refusal as `fail` or AuthorizationError.
import type { Request } from 'express';

import type OAuth2Strategy = require('passport-oauth2');

import { type CallbackActions, checkState } from './callback-code';
import { AuthorizationError } from './errors';
import { RequestSecrets } from './server-text';

/**
 * The error codes of RFC 6749 section 4.1.2.1. Without a state to vouch for the callback, a
 * message names only one of these: anyone can send a user to the callback with any `error`.
 */
const REGISTERED_CODES = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
]);

/** The passport actions an error callback ends with. */
export type ErrorCallbackActions = Pick<CallbackActions, 'fail' | 'error'>;

/** What the strategy knows that the error callback needs. */
export interface ErrorCallbackContext {
  /** The state store to check the callback's `state` with; undefined with `state: false` and no store. */
  readonly stateStore: OAuth2Strategy.StateStore | undefined;
  /** The metadata passport-oauth2 hands a 4-argument `verify` (built only when one is called). */
  readonly meta: () => OAuth2Strategy.Metadata & { callbackURL?: string | undefined };
  /** The client's credentials, scrubbed from what the callback carries. */
  readonly client: { readonly clientID: string; readonly clientSecret: string };
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

type Query = Readonly<Record<string, unknown>>;

/** The refusal itself, once the state matched: Eventpop's (capped, sanitized) words. */
function genuineRefusal(actions: ErrorCallbackActions, query: Query, secrets: RequestSecrets): void {
  const code = secrets.text(firstString(query.error) ?? 'server_error');
  const given = firstString(query.error_description);
  const description = given ? secrets.text(given) : undefined;
  if (code === 'access_denied') {
    actions.fail({ message: description ?? 'You did not allow the sign-in with Eventpop.' });
    return;
  }
  const uri = firstString(query.error_uri);
  actions.error(
    new AuthorizationError(
      description ?? `Eventpop could not sign the user in (${code}).`,
      code,
      uri ? secrets.text(uri) : undefined,
    ),
  );
}

/** Without state, nothing shows the callback came from Eventpop: a fixed sentence, no server text. */
function unverifiedRefusal(actions: ErrorCallbackActions, query: Query, secrets: RequestSecrets): void {
  const code = secrets.text(firstString(query.error) ?? 'server_error');
  const named = REGISTERED_CODES.has(code) ? code : 'an error code OAuth does not define';
  const message = `The sign-in with Eventpop did not complete (${named}).`;
  if (code === 'access_denied') actions.fail({ message });
  else actions.error(new AuthorizationError(message, code));
}

/**
 * Ends a callback that carries `?error=`. passport-oauth2 reports such a callback before it
 * checks the state, so a link crafted by anyone (`?error=access_denied&error_description=Your
 * account is locked, call ...`) would show its text as Eventpop's. Here the state is verified
 * first, through the strategy's state store and exactly as passport-oauth2 verifies it for a
 * code (3- and 4-argument `verify`): a missing or wrong state fails with 403 and the store's
 * message; only a matched state lets Eventpop's description through.
 */
export function endErrorCallback(
  actions: ErrorCallbackActions,
  req: Request,
  context: ErrorCallbackContext,
): void {
  const query = req.query as Query;
  const secrets = new RequestSecrets(context.client, [firstString(query.code)]);
  const store = context.stateStore;
  if (!store) {
    unverifiedRefusal(actions, query, secrets);
    return;
  }
  const loaded = (err: unknown, ok: unknown, info: unknown) => {
    if (err) return actions.error(err as Error);
    if (!ok) return actions.fail(info, 403);
    return genuineRefusal(actions, query, secrets);
  };
  checkState(actions, store, req, context.meta, loaded);
}
