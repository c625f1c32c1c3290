// The demo Express 5 app: sign in with Eventpop, show the profile and tickets, a ticket holders' page, refresh the token, log out.
import { randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import passportPkg from 'passport';
import refreshPkg from 'passport-oauth2-refresh';
import { Strategy as EventpopStrategy, revokeToken } from '../../dist/index.mjs';
import { csrfToken, forgeryReason } from './csrf.mjs';
import { describeError } from './describe-error.mjs';
import { logEvent } from './log.mjs';
import { BoundedMemoryStore } from './memory-store.mjs';
import {
  holdersPage,
  homePage,
  layout,
  notHolderPage,
  problemPage,
  profilePage,
  refusedPage,
} from './views.mjs';

const { Passport } = passportPkg;
const { AuthTokenRefresh } = refreshPkg;

/** The session cookie's name. */
export const SESSION_COOKIE = 'eventpop-demo.sid';

/** How long a signed-in session lasts (the cookie's Max-Age and the store's expiry): 8 hours. */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;

/**
 * How long a session started by `GET /auth/eventpop` lasts before the user is signed in: 10
 * minutes, time enough to sign in at Eventpop. It holds only the OAuth state (and PKCE verifier),
 * and anyone can make one, so it must not live as long as a signed-in session.
 */
export const SIGN_IN_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * When the access token expires, in Unix seconds: Eventpop's `created_at` + `expires_in`.
 * @param {{ created_at?: number, expires_in?: number }} params the token response
 * @param {number} [nowMs]
 * @returns {number | undefined}
 */
export function expiryOf(params, nowMs = Date.now()) {
  if (typeof params.expires_in !== 'number') return undefined;
  const createdAt = typeof params.created_at === 'number' ? params.created_at : Math.floor(nowMs / 1000);
  return createdAt + params.expires_in;
}

/**
 * Headers on every page: no framing, no sniffing, no referrer (the callback URL carries the code).
 * Pictures may come from any https: origin (Eventpop's CDN) and from Eventpop's own origin, which
 * for the local emulator is an http://127.0.0.1:PORT address serving the avatars.
 * @param {string | undefined} baseURL the configured Eventpop base URL
 */
function securityHeaders(baseURL) {
  const eventpop = baseURL === undefined ? undefined : new URL(baseURL);
  const imgSrc = ['https:', 'data:'];
  if (eventpop?.protocol === 'http:') imgSrc.push(eventpop.origin);
  const headers = {
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; img-src ${imgSrc.join(' ')}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}

/**
 * What the session keeps of each ticket: enough to list it and to check the holders' page.
 * @param {import('../../dist/index.mjs').EventpopTicket} ticket
 */
function sessionTicket(ticket) {
  return {
    id: ticket.id,
    eventId: ticket.eventId,
    type: ticket.ticketType?.name,
    referenceCode: ticket.referenceCode,
    status: ticket.status,
  };
}

/** Pages behind sign-in send signed-out visitors home. */
function requireUser(req, res, next) {
  if (req.user) next();
  else res.redirect(303, '/');
}

/**
 * Builds the demo app. Each call has its own passport and refresh registry, so several apps (and
 * tests) can live in one process.
 *
 * @param {import('./app.d.mts').DemoOptions} options
 * @returns {import('./app.d.mts').Demo}
 */
export function createApp(options) {
  const {
    clientID,
    clientSecret,
    callbackURL,
    baseURL,
    sessionStore = new BoundedMemoryStore(),
    sessionSecret = randomBytes(32).toString('hex'),
    pkce,
    timeout,
    trustProxy,
    tickets,
    logger = console,
  } = options;
  // Eventpop sends the browser back to the callback URL, so that is where the app's cookie and
  // pages live: the origin that a same-origin form post comes from.
  const appOrigin = new URL(callbackURL).origin;
  /** The event's name, for pages: from `tickets.events`, else its id. */
  const eventName = (id) => tickets?.events?.[id] ?? `Event ${id}`;

  const passport = new Passport();
  const strategy = new EventpopStrategy(
    {
      clientID,
      clientSecret,
      callbackURL,
      ...(baseURL === undefined ? {} : { baseURL }),
      ...(timeout === undefined ? {} : { timeout }),
      // The strategy's default unless the caller chose; state: true is the default too, and both
      // the state and the PKCE verifier are kept in the session.
      ...(pkce === undefined ? {} : { pkce }),
      // The organizer's tickets that count (not revoked) come with the profile, every page.
      ...(tickets === undefined ? {} : { tickets: { organizerId: tickets.organizerId } }),
    },
    // Five parameters: passport-oauth2 then passes the token response, which has expires_in.
    (accessToken, refreshToken, params, profile, done) => {
      done(null, {
        id: profile.id,
        name: profile.displayName,
        email: profile.emails?.[0].value,
        photo: profile.photos?.[0].value,
        accessToken,
        refreshToken,
        expiresAt: expiryOf(params),
        tickets: profile.tickets?.map(sessionTicket),
      });
    },
  );
  passport.use(strategy);
  // The whole user (tokens included) lives in the server-side session; the cookie holds only its id.
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user, done) => done(null, user));

  // A registry of our own; a single-app project can use the module's default instance instead.
  const refresh = new AuthTokenRefresh();
  refresh.use(strategy);

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy the app sees plain http: with the proxy trusted, req.secure
  // follows X-Forwarded-Proto, and the session cookie (secure: 'auto') gets its Secure flag.
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(securityHeaders(baseURL));

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });

  app.use(
    session({
      name: SESSION_COOKIE,
      secret: sessionSecret,
      resave: false,
      saveUninitialized: false,
      store: sessionStore,
      // lax: the cookie comes back on Eventpop's redirect to the callback (a top-level GET). Lax
      // does not stop forged POSTs from a sibling subdomain or another port of this host (those are
      // "same-site"): refuseForgeries below does.
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_MAX_AGE_MS },
    }),
  );
  app.use(passport.session());
  app.use(express.urlencoded({ extended: false, limit: '2kb' }));

  /** Every state-changing POST goes through this: see forgeryReason for the three checks. */
  function refuseForgeries(req, res, next) {
    const reason = forgeryReason(req, appOrigin);
    if (reason === undefined) return next();
    logEvent(logger, 'warn', 'forged_request_refused', {
      method: req.method,
      path: req.path,
      reason,
      origin: req.get('origin'),
      fetchSite: req.get('sec-fetch-site'),
    });
    res.status(403).send(
      problemPage({
        title: 'This form did not come from this app',
        message:
          "The app refused a form that was not sent from one of its own pages (or from a page that has since expired). Nothing was changed. Open the app's home page and try again.",
        kind: 'csrf',
        code: reason,
      }),
    );
  }

  app.get('/', (req, res) => {
    res.send(
      homePage(req.user, req.user ? { csrfToken: csrfToken(req), holdersPage: tickets !== undefined } : {}),
    );
  });

  app.get('/auth/eventpop', (req, res, next) => {
    if (!req.user) req.session.cookie.maxAge = SIGN_IN_MAX_AGE_MS;
    passport.authenticate('eventpop')(req, res, next);
  });

  app.get('/auth/eventpop/callback', (req, res, next) => {
    passport.authenticate('eventpop', (err, user, info, status) => {
      if (err) return next(err);
      if (!user) {
        // A refusal whose state did not match fails with 403 like any unverified callback: anyone
        // can send a user to ?error=access_denied with words of their own.
        if (req.query.error === 'access_denied' && status !== 403) {
          // The user clicked Deny: not an error. Show Eventpop's words after a redirect, so a reload
          // does not replay the callback.
          req.session.refusal = typeof info?.message === 'string' ? info.message : undefined;
          return req.session.save((saveErr) =>
            saveErr ? next(saveErr) : res.redirect(303, '/login-refused'),
          );
        }
        // A missing or wrong state: this browser did not start this sign-in (or it was replayed).
        logEvent(logger, 'warn', 'sign_in_rejected', {
          status: status ?? 403,
          reason: typeof info?.message === 'string' ? info.message : undefined,
        });
        return res.status(typeof status === 'number' ? status : 403).send(
          problemPage({
            title: "We couldn't verify this sign-in",
            message:
              'This sign-in was not started from this browser, or it was already finished. Please sign in again.',
            kind: 'state',
            code: 'state_mismatch',
          }),
        );
      }
      // req.logIn regenerates the session (passport 0.6+), so a planted session id is worthless.
      req.logIn(user, (loginErr) => (loginErr ? next(loginErr) : res.redirect(303, '/profile')));
    })(req, res, next);
  });

  app.get('/login-refused', (req, res) => {
    const description = req.session?.refusal;
    if (req.session) delete req.session.refusal;
    res.send(refusedPage(description));
  });

  app.get('/profile', requireUser, (req, res) => {
    const notice = req.session.notice;
    delete req.session.notice;
    res.send(
      profilePage(req.user, {
        notice,
        csrfToken: csrfToken(req),
        eventName,
        holdersPage: tickets !== undefined,
      }),
    );
  });

  // Only for holders of a ticket that counts for the event (checked at sign-in, from every page).
  app.get('/holders', requireUser, (req, res) => {
    if (tickets === undefined) {
      res.status(404).send(
        problemPage({
          title: 'No event is configured',
          message: 'Start the demo with EVENTPOP_ORGANIZER_ID and EVENTPOP_EVENT_ID to open this page.',
        }),
      );
      return;
    }
    const event = { id: tickets.eventId, name: eventName(tickets.eventId) };
    const held = (req.user.tickets ?? []).filter((t) => t.eventId === tickets.eventId);
    const page = { csrfToken: csrfToken(req) };
    if (held.length === 0) res.status(403).send(notHolderPage(req.user, event, page));
    else res.send(holdersPage(req.user, event, held, page));
  });

  app.post('/refresh', requireUser, refuseForgeries, (req, res, next) => {
    const user = req.user;
    if (!user.refreshToken) {
      next(new Error('Eventpop gave this session no refresh token'));
      return;
    }
    refresh.requestNewAccessToken('eventpop', user.refreshToken, (err, accessToken, refreshToken, params) => {
      if (err) return next(err);
      const updated = {
        ...user,
        accessToken,
        // Doorkeeper rotates refresh tokens; keep the old one only if none came back.
        refreshToken: refreshToken || user.refreshToken,
        expiresAt: expiryOf(params ?? {}),
      };
      req.login(updated, { keepSessionInfo: true }, (loginErr) => {
        if (loginErr) return next(loginErr);
        req.session.notice = 'Your access token was refreshed.';
        req.session.save((saveErr) => (saveErr ? next(saveErr) : res.redirect(303, '/profile')));
      });
    });
  });

  /** Signed out already (or never signed in): nothing to end, no cookie to clear. */
  function homeIfSignedOut(req, res, next) {
    if (req.user) next();
    else res.redirect(303, '/');
  }

  app.post('/logout', homeIfSignedOut, refuseForgeries, async (req, res, next) => {
    // Sign out at Eventpop too: revoking the access token also revokes its refresh token. A
    // failure is logged, not shown: the user still leaves this app.
    const accessToken = req.user.accessToken;
    if (accessToken) {
      const client = {
        clientID,
        clientSecret,
        ...(baseURL === undefined ? {} : { baseURL }),
        timeout: timeout ?? 5000,
      };
      await revokeToken(client, accessToken, 'access_token').catch((err) =>
        logEvent(logger, 'warn', 'token_revocation_failed', { message: err?.message, code: err?.code }),
      );
    }
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie(SESSION_COOKIE);
        res.redirect(303, '/');
      });
    });
  });

  app.use((_req, res) => {
    res.status(404).send(layout('Not found', '<h1>Page not found</h1><p><a href="/">Home</a></p>'));
  });

  // Errors from the login and the refresh: a fixed sentence and a code on the page, the error's
  // own message (which the strategy keeps free of secrets) in the log, never a stack on the page.
  app.use((err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const problem = describeError(err);
    logEvent(logger, problem.status >= 500 ? 'error' : 'warn', 'request_failed', {
      status: problem.status,
      kind: problem.kind,
      code: problem.code,
      message: err instanceof Error ? err.message : String(err),
    });
    if (problem.retryAfter !== undefined) res.set('Retry-After', String(problem.retryAfter));
    res.status(problem.status).send(problemPage(problem));
  });

  return { app, strategy, passport, refresh, sessionStore };
}
