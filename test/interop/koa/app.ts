// The Koa 3 interop app: koa-session, koa-passport, @koa/router and the Eventpop strategy.
import Router from '@koa/router';
import Koa from 'koa';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { Strategy as EventpopStrategy } from '../../../lib';
import {
  isEventpopFailure,
  loginErrorBody,
  SESSION_SECRET,
  type SessionUser,
  type StartApp,
  toSessionUser,
} from '../app-kit';

/** Starts the Koa app on the given (already listening) server. */
export const koaApp: StartApp = async (server, options) => {
  // One passport instance per app, since several apps run in one test process; an application
  // uses the default instance, `import passport from 'koa-passport'`.
  const passport = new koaPassport.KoaPassport();
  passport.use(
    new EventpopStrategy(options.strategy, (_accessToken, _refreshToken, profile, done) => {
      done(null, toSessionUser(profile));
    }),
  );
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: SessionUser, done) => done(null, user));

  const app = new Koa();
  app.keys = [SESSION_SECRET];
  // Eventpop's failures (AuthorizationError, TokenError, InternalOAuthError, EventpopAPIError) are thrown
  // from passport.authenticate(); an error middleware first in the chain turns them into answers.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isEventpopFailure(err)) throw err;
      ctx.status = 502;
      ctx.body = loginErrorBody(err);
    }
  });
  app.use(session(app));
  app.use(passport.initialize());
  app.use(passport.session());

  const router = new Router();
  router.get('/auth/eventpop', passport.authenticate('eventpop'));
  router.get(
    '/auth/eventpop/callback',
    passport.authenticate('eventpop', { failureRedirect: '/login' }),
    (ctx) => {
      ctx.redirect('/');
    },
  );
  router.get('/me', (ctx) => {
    // koa-passport puts the user on ctx.state.user (ctx.req.user reads the same).
    if (ctx.isAuthenticated()) ctx.body = ctx.state.user;
    else {
      ctx.status = 401;
      ctx.body = { error: 'not signed in' };
    }
  });
  app.use(router.routes());

  const handler = app.callback();
  server.on('request', handler);
  return { close: async () => void server.off('request', handler) };
};
