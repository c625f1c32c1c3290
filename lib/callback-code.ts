// The return to the callback with `?code=`: the state checked, the code exchanged, the profile loaded and the verify callback called, as passport-oauth2 does it, without its per-callback URL parsing.
import type { Request } from 'express';

import type OAuth2Strategy = require('passport-oauth2');

import { copyMeta } from './authorize';
import type { EventpopTokenParams } from './token';

/** The passport actions a callback ends with. */
export interface CallbackActions {
  success(user: object, info?: object): void;
  fail(challenge: unknown, status?: number): void;
  error(err: Error): void;
}

type Loaded = (err: unknown, ok: unknown, info?: unknown) => void;

/**
 * Checks the callback's `state` with the strategy's store, picking the store's `verify` form
 * by its number of parameters as passport-oauth2 does: `(req, state, meta, loaded)` or
 * `(req, state, loaded)`. `meta` is built only for the first. A store that throws ends the
 * request in `error`.
 * @internal
 */
export function checkState(
  actions: Pick<CallbackActions, 'error'>,
  store: OAuth2Strategy.StateStore,
  req: Request,
  meta: () => OAuth2Strategy.Metadata,
  loaded: Loaded,
): void {
  const body = req.body as Record<string, unknown> | undefined;
  const state = (req.query as Record<string, unknown> | undefined)?.state || body?.state;
  const verify = store.verify as unknown as (...args: unknown[]) => void;
  try {
    if (verify.length === 4) verify.call(store, req, state, meta(), loaded);
    else verify.call(store, req, state, loaded);
  } catch (err) {
    actions.error(err as Error);
  }
}

/** node-oauth's `getOAuthAccessToken` callback, which passport-oauth2 hands it. @internal */
export type TokenCallback = (
  err: unknown,
  accessToken?: string,
  refreshToken?: string,
  params?: EventpopTokenParams,
) => void;
type VerifyDone = (err?: unknown, user?: object | false, info?: Record<string, unknown>) => void;

/** The parts of passport-oauth2's OAuth2Strategy a code callback goes through (hooks included). */
export interface CodeCallbackStrategy extends CallbackActions {
  tokenParams(options: object): object;
  readonly _oauth2: {
    getOAuthAccessToken(code: string, params: Record<string, string>, callback: TokenCallback): void;
  };
  _createOAuthError(message: string, err: unknown): Error;
  _loadUserProfile(accessToken: string, done: (err: unknown, profile?: object) => void): void;
  readonly _verify: (...args: unknown[]) => void;
  readonly _passReqToCallback: boolean;
}

/**
 * Ends a callback that carries a code, step for step as passport-oauth2's `authenticate` does
 * (its hooks `tokenParams`, `getOAuthAccessToken`, `_createOAuthError` and `_loadUserProfile`
 * included, so subclasses and stubs see no difference), for a strategy whose `callbackURL` is
 * absolute: passport-oauth2 parses it again on every callback (`url.parse`, a few µs on Node 20,
 * docs/performance.md), and builds the state store's metadata whether or not the store takes it.
 * @internal
 */
export function endCodeCallback(
  strategy: CodeCallbackStrategy,
  req: Request,
  options: object,
  store: OAuth2Strategy.StateStore,
  meta: Readonly<OAuth2Strategy.Metadata & { callbackURL: string }>,
): void {
  const body = req.body as Record<string, unknown> | undefined;
  const code = ((req.query as Record<string, unknown>).code || body?.code) as string;

  checkState(
    strategy,
    store,
    req,
    () => copyMeta(meta),
    (err, ok, stateInfo) => {
      if (err) return strategy.error(err as Error);
      if (!ok) return strategy.fail(stateInfo, 403);
      const params = strategy.tokenParams(options) as Record<string, string>;
      params.grant_type = 'authorization_code';
      params.redirect_uri = meta.callbackURL;
      if (typeof ok === 'string') params.code_verifier = ok; // PKCE: the store kept the verifier
      strategy._oauth2.getOAuthAccessToken(code, params, (failed, accessToken, refreshToken, token) => {
        if (failed)
          return strategy.error(strategy._createOAuthError('Failed to obtain access token', failed));
        if (!accessToken) return strategy.error(new Error('Failed to obtain access token'));
        strategy._loadUserProfile(accessToken, (unloaded, profile) => {
          if (unloaded) return strategy.error(unloaded as Error);
          const done: VerifyDone = (refused, user, info) => {
            if (refused) return strategy.error(refused as Error);
            if (!user) return strategy.fail(info);
            const answer = info || {};
            if (stateInfo) answer.state = stateInfo;
            strategy.success(user, answer);
          };
          // passport-oauth2 picks the verify form by its number of parameters, and calls it on
          // the strategy; so does this.
          const verify = strategy._verify;
          try {
            if (strategy._passReqToCallback) {
              if (verify.length === 6)
                verify.call(strategy, req, accessToken, refreshToken, token, profile, done);
              else verify.call(strategy, req, accessToken, refreshToken, profile, done);
            } else if (verify.length === 5)
              verify.call(strategy, accessToken, refreshToken, token, profile, done);
            else verify.call(strategy, accessToken, refreshToken, profile, done);
          } catch (thrown) {
            strategy.error(thrown as Error);
          }
        });
      });
    },
  );
}
