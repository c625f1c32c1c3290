// The Strategy class: options in, passport-oauth2 configured for Eventpop, profile from /api/public/me.
import type { Request } from 'express';

import OAuth2Strategy = require('passport-oauth2');

import {
  type AuthorizeTemplate,
  authorizeTemplate,
  redirectToAuthorize,
  usePooledHandles,
} from './authorize';
import { type CodeCallbackStrategy, endCodeCallback, type TokenCallback } from './callback-code';
import { endErrorCallback } from './callback-error';
import { InternalOAuthError } from './errors';
import {
  type ClientConfig,
  checkVerify,
  type EventpopStrategyOptions,
  type EventpopStrategyOptionsWithRequest,
  type EventpopTicketsOption,
  hasScheme,
  resolveBoolean,
  resolveCallbackURL,
  resolveClientOptions,
  resolvePKCE,
  resolveScope,
  resolveStore,
  resolveTicketsOption,
  STRATEGY_OPTION_KEYS,
  type TicketCheck,
} from './options';
import type { EventpopProfile, EventpopProfileWithTickets } from './profile';
import { collectTickets } from './tickets';
import { type EventpopTokenParams, exchangeGrant } from './token';
import { loadProfile, requestProfile } from './userinfo';

/** What the verify callback calls: `done(err)`, `done(null, user)` or `done(null, false, info)`. */
export type EventpopVerifyCallback = (err?: unknown, user?: Express.User | false, info?: object) => void;

/**
 * `(accessToken, refreshToken, profile, done)`. `P` is the profile's type:
 * {@link EventpopProfileWithTickets} for a strategy given the `tickets` option.
 */
export type EventpopVerifyFunction<P extends EventpopProfile = EventpopProfile> = (
  accessToken: string,
  refreshToken: string,
  profile: P,
  done: EventpopVerifyCallback,
) => void;

/** `(accessToken, refreshToken, params, profile, done)`: `params` is the token response (`expires_in`, ...). */
export type EventpopVerifyFunctionWithParams<P extends EventpopProfile = EventpopProfile> = (
  accessToken: string,
  refreshToken: string,
  params: EventpopTokenParams,
  profile: P,
  done: EventpopVerifyCallback,
) => void;

/** `(req, accessToken, refreshToken, profile, done)`, with `passReqToCallback: true`. */
export type EventpopVerifyFunctionWithRequest<P extends EventpopProfile = EventpopProfile> = (
  req: Request,
  accessToken: string,
  refreshToken: string,
  profile: P,
  done: EventpopVerifyCallback,
) => void;

/** `(req, accessToken, refreshToken, params, profile, done)`, with `passReqToCallback: true`. */
export type EventpopVerifyFunctionWithRequestAndParams<P extends EventpopProfile = EventpopProfile> = (
  req: Request,
  accessToken: string,
  refreshToken: string,
  params: EventpopTokenParams,
  profile: P,
  done: EventpopVerifyCallback,
) => void;

/** Options given the `tickets` option: the verify callback's profile then has `tickets`. */
type WithTickets<O> = O & { tickets: EventpopTicketsOption };

/** What passport adds to the object it calls `authenticate` on (and so `userProfile`): the actions. */
type Delegate = { fail?: (challenge: { message: string; code: string }, status: number) => void };

// Every form accepts a profile with tickets (the narrowest profile), so any overload's verify fits.
type AnyVerify =
  | EventpopVerifyFunction<EventpopProfileWithTickets>
  | EventpopVerifyFunctionWithParams<EventpopProfileWithTickets>
  | EventpopVerifyFunctionWithRequest<EventpopProfileWithTickets>
  | EventpopVerifyFunctionWithRequestAndParams<EventpopProfileWithTickets>;

// passport-oauth2's helper for the request's own URL, which it resolves a relative callbackURL against.
const { originalURL } = require('passport-oauth2/lib/utils') as {
  originalURL(req: Request, options: { proxy?: unknown }): string;
};

/** The `authenticate` options that change the authorize redirect. */
interface AuthenticateOptions {
  readonly callbackURL?: unknown;
  readonly scope?: unknown;
  readonly state?: unknown;
}

/** The fields of passport-oauth2's OAuth2Strategy that its typings leave out. */
interface OAuth2Internals {
  readonly _stateStore: OAuth2Strategy.StateStore;
  readonly _callbackURL: string | undefined;
  readonly _trustProxy: unknown;
}

/**
 * Lets an `async` verify function reject without crashing the process: the rejection goes to
 * `done`. Keeps the function's `length`, since passport-oauth2 picks the verify form by it, and
 * calls `done` at most once.
 */
function guardVerify(verify: AnyVerify): AnyVerify {
  const guarded = function (this: unknown, ...args: unknown[]) {
    const done = args[args.length - 1] as EventpopVerifyCallback;
    let called = false;
    const once: EventpopVerifyCallback = (...result) => {
      if (called) return;
      called = true;
      done(...result);
    };
    args[args.length - 1] = once;
    let returned: unknown;
    try {
      returned = (verify as (...a: unknown[]) => unknown).apply(this, args);
    } catch (err) {
      // passport-oauth2 would turn a throw after done() into a second action (success, then
      // error): answer once, as for a rejection.
      once(err);
      return;
    }
    if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') {
      (returned as PromiseLike<unknown>).then(undefined, (err: unknown) =>
        once(err ?? new Error('passport-eventpop: the verify function rejected without a reason')),
      );
    }
  };
  Object.defineProperty(guarded, 'length', { value: verify.length });
  return guarded as unknown as AnyVerify;
}

/**
 * Passport strategy for signing in with Eventpop (OAuth 2.0 authorization code flow).
 *
 * Subclass of passport-oauth2's `OAuth2Strategy`, registered under the name `'eventpop'`.
 * It sends the user to Eventpop's authorize page with `state` and an S256 PKCE challenge (both
 * on by default; `state: false` turns both off, `pkce: false` PKCE alone), checks the state on
 * every return to the callback (a refusal with `?error=` included), exchanges the code at the
 * token endpoint, fetches `/api/public/me` with the token in the `Authorization` header, and
 * hands the verify callback an {@link EventpopProfile}. Every request to Eventpop is bounded by `timeout`, sent through
 * `agent` with `userAgent`, and fails with a typed error that never contains a secret.
 *
 * The verify callback's form is chosen by its number of parameters, as in passport-oauth2:
 * 4 `(accessToken, refreshToken, profile, done)`; 5 `(accessToken, refreshToken, params,
 * profile, done)`; with `passReqToCallback: true`, the same two with `req` first (5 and 6).
 * Default values and rest parameters change a function's `length`: write the parameters out.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import session from 'express-session';
 * import passport from 'passport';
 * import { Strategy as EventpopStrategy } from 'passport-eventpop';
 *
 * passport.use(
 *   new EventpopStrategy(
 *     {
 *       clientID: process.env.EVENTPOP_CLIENT_ID!,
 *       clientSecret: process.env.EVENTPOP_CLIENT_SECRET!,
 *       callbackURL: 'https://app.example/auth/eventpop/callback',
 *     },
 *     (accessToken, refreshToken, profile, done) => done(null, { id: profile.id, name: profile.displayName }),
 *   ),
 * );
 * passport.serializeUser((user, done) => done(null, user));
 * passport.deserializeUser((user: Express.User, done) => done(null, user));
 *
 * const app = express();
 * app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
 * app.use(passport.session());
 * app.get('/auth/eventpop', passport.authenticate('eventpop'));
 * app.get('/auth/eventpop/callback', passport.authenticate('eventpop', { failureRedirect: '/login' }), (req, res) =>
 *   res.redirect('/'),
 * );
 * ```
 */
export class Strategy extends OAuth2Strategy {
  /** Validated endpoints and transport settings. */
  private readonly _eventpop: ClientConfig;
  /** Whether callbacks carry a state to check (`state` or a `store`). */
  private readonly _eventpopState: boolean;
  /** The `tickets` option, validated; undefined without it. */
  private readonly _tickets: TicketCheck | undefined;
  /** The fixed part of the authorize redirect; undefined when passport-oauth2 must build each one. */
  private readonly _authorize: AuthorizeTemplate | undefined;

  // Each form twice, the one with `tickets` first: its profile has `tickets`. An options object
  // without `tickets` fails the first before the callback is typed, so it gets the second.
  constructor(
    options: WithTickets<EventpopStrategyOptions>,
    verify: EventpopVerifyFunction<EventpopProfileWithTickets>,
  );
  constructor(options: EventpopStrategyOptions, verify: EventpopVerifyFunction);
  constructor(
    options: WithTickets<EventpopStrategyOptions>,
    verify: EventpopVerifyFunctionWithParams<EventpopProfileWithTickets>,
  );
  constructor(options: EventpopStrategyOptions, verify: EventpopVerifyFunctionWithParams);
  constructor(
    options: WithTickets<EventpopStrategyOptionsWithRequest>,
    verify: EventpopVerifyFunctionWithRequest<EventpopProfileWithTickets>,
  );
  constructor(options: EventpopStrategyOptionsWithRequest, verify: EventpopVerifyFunctionWithRequest);
  constructor(
    options: WithTickets<EventpopStrategyOptionsWithRequest>,
    verify: EventpopVerifyFunctionWithRequestAndParams<EventpopProfileWithTickets>,
  );
  constructor(
    options: EventpopStrategyOptionsWithRequest,
    verify: EventpopVerifyFunctionWithRequestAndParams,
  );
  constructor(options: EventpopStrategyOptions | EventpopStrategyOptionsWithRequest, verify: AnyVerify) {
    const config = resolveClientOptions(options, STRATEGY_OPTION_KEYS);
    checkVerify(verify);
    const tickets = resolveTicketsOption(options.tickets);
    if (tickets && options.skipUserProfile !== undefined && options.skipUserProfile !== false) {
      throw new TypeError(
        'passport-eventpop: the tickets option cannot be used with skipUserProfile: the tickets are fetched ' +
          'with the profile and arrive as profile.tickets, so skipping the profile would skip the ticket check. ' +
          'Remove skipUserProfile, or drop tickets and call listTickets() when you need them.',
      );
    }
    const callbackURL = resolveCallbackURL(options.callbackURL);
    const scope = resolveScope(options.scope);
    const state = resolveBoolean(options.state, 'state', true);
    const store = resolveStore(options.store);
    const stateful = state || store !== undefined;
    // RFC 9700 section 2.1.1: clients use PKCE. The verifier lives where the state does.
    const pkce = resolvePKCE(options.pkce, state, store);
    const passthrough: Omit<OAuth2Strategy.StrategyOptionsWithRequest, 'passReqToCallback'> = {
      clientID: config.clientID,
      clientSecret: config.clientSecret,
      authorizationURL: config.authorizationURL.href,
      tokenURL: config.tokenURL.href,
      callbackURL,
      scope,
      scopeSeparator: ' ',
      state,
      pkce,
      customHeaders: { ...config.http.headers },
    };
    if (store !== undefined) passthrough.store = store;
    if (options.skipUserProfile !== undefined) passthrough.skipUserProfile = options.skipUserProfile;
    if (options.proxy !== undefined) passthrough.proxy = options.proxy;
    if (options.sessionKey !== undefined) passthrough.sessionKey = options.sessionKey;
    super(
      {
        ...passthrough,
        passReqToCallback: options.passReqToCallback === true,
      } as OAuth2Strategy.StrategyOptions,
      guardVerify(verify) as OAuth2Strategy.VerifyFunction,
    );
    this.name = 'eventpop';
    this._eventpop = config;
    this._eventpopState = stateful;
    this._tickets = tickets;
    // passport-oauth2's default store takes its handle from uid2 (about 3 µs a sign-in).
    if (state && store === undefined)
      usePooledHandles((this as unknown as OAuth2Internals)._stateStore, pkce);
    this._authorize = authorizeTemplate(
      config.authorizationURL,
      config.tokenURL,
      config.clientID,
      callbackURL,
      scope.join(' '),
      pkce,
    );

    // The base class sends its token request through node-oauth, which has no timeout, counts
    // 3xx as success and returns plain objects as errors (PITFALLS.md). Route the exchange
    // through our client instead. A closure, not a method: passport-oauth2-refresh copies this
    // function onto its own node-oauth instance, and refreshes then go through our client too.
    const oauth2 = this._oauth2;
    // node-oauth's signature, with its optional middle argument: (code, [params], callback).
    const exchange = (
      code: string,
      paramsOrCallback: Record<string, string> | TokenCallback,
      last?: TokenCallback,
    ) => {
      const params = typeof paramsOrCallback === 'function' ? {} : (paramsOrCallback ?? {});
      const callback = (typeof paramsOrCallback === 'function' ? paramsOrCallback : last) as TokenCallback;
      const grantType = params.grant_type ?? 'authorization_code';
      // Object.assign, not a spread: Node 20 copies spreads slowly (docs/performance.md).
      const grant: Record<string, string> = Object.assign({}, params);
      grant.grant_type = grantType;
      grant[grantType === 'refresh_token' ? 'refresh_token' : 'code'] = code;
      exchangeGrant(config, grant, (err, token) => {
        if (token === undefined) callback(err);
        else callback(null, token.accessToken, token.refreshToken, token.params);
      });
    };
    oauth2.getOAuthAccessToken = exchange as typeof oauth2.getOAuthAccessToken;
    // For subclasses that call this._oauth2.get(): token in the header, our agent.
    oauth2.useAuthorizationHeaderforGET(true);
    if (config.http.agent) oauth2.setAgent(config.http.agent);
  }

  /**
   * Starts a sign-in, or ends one at the callback, as passport-oauth2 does; except that a
   * callback carrying `?error=` has its state checked first, like one carrying a code: a refusal
   * without the right state fails with 403 and the state store's message, and Eventpop's
   * `error_description` reaches the app only when the state matched. With `state: false` (and
   * no `store`), a refusal's message is a fixed sentence naming the error code.
   */
  override authenticate(req: Request, options?: object): void {
    const query = req.query as Record<string, unknown> | undefined;
    const internals = this as unknown as OAuth2Internals;
    if (query?.error) {
      this._endErrorCallback(req, options, internals);
      return;
    }
    const given = options as AuthenticateOptions | undefined;
    const body = req.body as Record<string, unknown> | undefined;
    if (query?.code || body?.code) {
      // The code, exchanged without passport-oauth2's parse of an absolute callbackURL.
      if (this._authorize !== undefined && !given?.callbackURL) {
        const strategy = this as unknown as CodeCallbackStrategy;
        endCodeCallback(strategy, req, options ?? {}, internals._stateStore, this._authorize.meta);
        return;
      }
    } else {
      const template = this._authorizeTemplateFor(given);
      if (template !== undefined) {
        redirectToAuthorize(this, req, internals._stateStore, template, given?.state);
        return;
      }
    }
    super.authenticate(req, options);
  }

  /**
   * The authorize redirect's template when this request starts a sign-in that it fits. The
   * redirect is then the one passport-oauth2 would make, from a URL built at construction
   * instead of parsed and formatted per request, with a cheaper PKCE verifier: together half of
   * what passport-oauth2's step costs (docs/performance.md). Asked only for a request without a
   * code; undefined for a per-call `callbackURL`, `scope` or string `state`, or a subclass's
   * `authorizationParams`: those take passport-oauth2's own path.
   */
  private _authorizeTemplateFor(given: AuthenticateOptions | undefined): AuthorizeTemplate | undefined {
    if (
      this._authorize === undefined ||
      given?.callbackURL ||
      given?.scope ||
      (given?.state && typeof given.state === 'string') ||
      this.authorizationParams !== OAuth2Strategy.prototype.authorizationParams
    ) {
      return undefined;
    }
    return this._authorize;
  }

  private _endErrorCallback(req: Request, options: object | undefined, internals: OAuth2Internals): void {
    endErrorCallback(this, req, {
      stateStore: this._eventpopState ? internals._stateStore : undefined,
      meta: () => {
        let callbackURL =
          (options as { callbackURL?: string } | undefined)?.callbackURL || internals._callbackURL;
        if (callbackURL && !hasScheme(callbackURL)) {
          callbackURL = new URL(callbackURL, originalURL(req, { proxy: internals._trustProxy })).href;
        }
        return {
          authorizationURL: this._eventpop.authorizationURL.href,
          tokenURL: this._eventpop.tokenURL.href,
          clientID: this._eventpop.clientID,
          callbackURL,
        };
      },
      client: this._eventpop,
    });
  }

  /**
   * Fetches `/api/public/me` with the access token in the `Authorization` header and builds the
   * {@link EventpopProfile}. Fails with an `EventpopAPIError` for an answer that is not a
   * profile, or an `InternalOAuthError` for a network failure or timeout.
   *
   * With the `tickets` option, the tickets list's first page is requested at the same time as
   * the profile (the same round trips as a plain login), its other pages after it, and the
   * tickets that count become `profile.tickets`. Any failure of either fails the login: no user
   * is signed in without the check that was asked for. With `required: true` and no ticket that
   * counts, the login ends with `fail` (status 403) and the verify callback is not called.
   */
  override userProfile(accessToken: string, done: (err?: unknown, profile?: EventpopProfile) => void): void {
    const check = this._tickets;
    if (check === undefined) {
      loadProfile(this._eventpop, accessToken, done);
      return;
    }
    // passport calls authenticate(), and through it this method, on a per-request object made
    // with Object.create(strategy) that carries fail(); refusing from here keeps the decision
    // inside the strategy and before the verify callback.
    const delegate = this as this & Delegate;
    Promise.all([
      requestProfile(this._eventpop, accessToken),
      collectTickets(this._eventpop, accessToken, check),
    ]).then(
      ([profile, tickets]) => {
        profile.tickets = tickets;
        if (!check.required || tickets.length > 0) return done(null, profile);
        const challenge = {
          message: `This Eventpop account holds no ticket that counts for this sign-in (${check.describe}).`,
          code: 'ticket_required',
        };
        if (typeof delegate.fail === 'function') return delegate.fail(challenge, 403);
        // Called outside authenticate() (no fail to call): an error, never a profile that passed.
        done(
          Object.assign(new Error(`passport-eventpop: ${challenge.message}`), { ...challenge, status: 403 }),
        );
      },
      (err: unknown) => done(err),
    );
  }

  /**
   * passport-oauth2 wraps token-request failures in a generic InternalOAuthError; ours are
   * already typed (TokenError with the status, InternalOAuthError with the cause), so keep them.
   * @internal
   */
  _createOAuthError(message: string, err: unknown): Error {
    return err instanceof Error ? err : new InternalOAuthError(message, err);
  }
}
