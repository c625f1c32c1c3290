// The Express interop app (Express 4 and 5 alike): express-session, passport, the Eventpop strategy.
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as EventpopStrategy } from '../../../lib';
import {
  isEventpopFailure,
  loginErrorBody,
  SESSION_SECRET,
  type SessionUser,
  type StartApp,
  toSessionUser,
} from '../app-kit';

/** The `express` module's shape, which Express 4 (`express4`) shares for what this app uses. */
export type ExpressModule = typeof import('express');

/** Returns a {@link StartApp} that builds the app with the given Express (4 or 5). */
export function expressApp(express: ExpressModule): StartApp {
  return async (server, options) => {
    // One passport instance per app, since several apps run in one test process; an application
    // uses the default instance, `import passport from 'passport'`.
    const passport = new Passport();
    passport.use(
      new EventpopStrategy(options.strategy, (_accessToken, _refreshToken, profile, done) => {
        done(null, toSessionUser(profile));
      }),
    );
    passport.serializeUser((user, done) => done(null, user));
    passport.deserializeUser((user: SessionUser, done) => done(null, user));

    const app = express();
    app.use(session({ secret: SESSION_SECRET, resave: false, saveUninitialized: false }));
    app.use(passport.session());
    app.get('/auth/eventpop', passport.authenticate('eventpop'));
    app.get(
      '/auth/eventpop/callback',
      // failureMessage: passport keeps a refusal's message in the session, for /login to show.
      passport.authenticate('eventpop', { failureRedirect: '/login', failureMessage: true }),
      (_req, res) => {
        res.redirect('/');
      },
    );
    app.get('/login', (req, res) => {
      res.json({ messages: (req.session as { messages?: string[] }).messages ?? [] });
    });
    app.get('/me', (req, res) => {
      if (req.user) res.json(req.user);
      else res.status(401).json({ error: 'not signed in' });
    });
    // Eventpop's failures (AuthorizationError, TokenError, InternalOAuthError, EventpopAPIError) arrive here.
    app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (isEventpopFailure(err)) res.status(502).json(loginErrorBody(err));
      else next(err);
    });

    server.on('request', app);
    return { close: async () => void server.off('request', app) };
  };
}
