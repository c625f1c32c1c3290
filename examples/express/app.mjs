// The demo Express 5 app: sign in with Eventpop, show the profile, refresh the token, log out.
import { randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import passportPkg from 'passport';
import refreshPkg from 'passport-oauth2-refresh';
import { Strategy as EventpopStrategy, revokeToken } from '../../dist/index.mjs';
import { describeError } from './describe-error.mjs';
import { homePage, layout, problemPage, profilePage, refusedPage } from './views.mjs';

const { Passport } = passportPkg;
const { AuthTokenRefresh } = refreshPkg;

/** The session cookie's name. */
export const SESSION_COOKIE = 'eventpop-demo.sid';

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
    sessionStore,
    sessionSecret = randomBytes(32).toString('hex'),
    pkce = false,
    timeout,
    logger = console,
  } = options;

  const passport = new Passport();
  const strategy = new EventpopStrategy(
    {
      clientID,
      clientSecret,
      callbackURL,
      ...(baseURL === undefined ? {} : { baseURL }),
      ...(timeout === undefined ? {} : { timeout }),
      pkce,
      // state: true is the default: the state (and PKCE verifier) is kept in the session.
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
      ...(sessionStore === undefined ? {} : { store: sessionStore }),
      // lax: the cookie comes back on Eventpop's redirect to the callback (a top-level GET) but not
      // on cross-site POSTs, which is what keeps /logout and /refresh from being forged.
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto' },
    }),
  );
  app.use(passport.session());
  app.use(express.urlencoded({ extended: false, limit: '2kb' }));

  app.get('/', (req, res) => {
    res.send(homePage(req.user));
  });

  app.get('/auth/eventpop', passport.authenticate('eventpop'));

  app.get('/auth/eventpop/callback', (req, res, next) => {
    passport.authenticate('eventpop', (err, user, info, status) => {
      if (err) return next(err);
      if (!user) {
        if (req.query.error === 'access_denied') {
          // The user clicked Deny: not an error. Show Eventpop's words after a redirect, so a reload
          // does not replay the callback.
          req.session.refusal = typeof info?.message === 'string' ? info.message : undefined;
          return req.session.save((saveErr) =>
            saveErr ? next(saveErr) : res.redirect(303, '/login-refused'),
          );
        }
        // A missing or wrong state: this browser did not start this sign-in (or it was replayed).
        logger.warn(`[demo] sign-in rejected (${status ?? 403}): ${info?.message ?? 'no reason given'}`);
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
    res.send(profilePage(req.user, { notice }));
  });

  app.post('/refresh', requireUser, (req, res, next) => {
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

  app.post('/logout', async (req, res, next) => {
    // Sign out at Eventpop too: revoking the access token also revokes its refresh token. A
    // failure is logged, not shown: the user still leaves this app.
    const accessToken = req.user?.accessToken;
    if (accessToken) {
      const client = {
        clientID,
        clientSecret,
        ...(baseURL === undefined ? {} : { baseURL }),
        timeout: timeout ?? 5000,
      };
      await revokeToken(client, accessToken, 'access_token').catch((err) =>
        logger.warn(`[demo] could not revoke the token at Eventpop: ${err.message}`),
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
    logger.error(
      `[demo] ${[problem.kind, problem.code].filter(Boolean).join(' ')} -> ${problem.status}: ${err?.message ?? err}`,
    );
    if (problem.retryAfter !== undefined) res.set('Retry-After', String(problem.retryAfter));
    res.status(problem.status).send(problemPage(problem));
  });

  return { app, strategy, passport, refresh };
}
