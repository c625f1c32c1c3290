// The Fastify 5 interop app: @fastify/cookie, @fastify/session, @fastify/passport and the Eventpop strategy.
import fastifyCookie from '@fastify/cookie';
import { Authenticator } from '@fastify/passport';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import { Strategy as EventpopStrategy } from '../../../lib';
import {
  isEventpopFailure,
  loginErrorBody,
  SESSION_SECRET,
  type SessionUser,
  type StartApp,
  toSessionUser,
} from '../app-kit';

/** Starts the Fastify app on the given (already listening) server. */
export const fastifyApp: StartApp = async (server, options) => {
  // Fastify's own server is replaced by the test's, which already listens (so the callback URL's
  // port was known when the emulator registered the client); an application calls listen() instead.
  const app = Fastify({
    serverFactory: (handler) => {
      server.on('request', handler);
      return server;
    },
  });
  const fastifyPassport = new Authenticator();

  // Order matters: cookie, then session, then passport's initialize() and secureSession().
  await app.register(fastifyCookie);
  // @fastify/session's cookie is `secure: true` by default and is then not saved over plain http:
  // the OAuth state is lost and every login ends at failureRedirect. Plain http here, so false.
  await app.register(fastifySession, { secret: SESSION_SECRET, cookie: { secure: false } });
  await app.register(fastifyPassport.initialize());
  await app.register(fastifyPassport.secureSession());

  fastifyPassport.use(
    'eventpop',
    new EventpopStrategy(options.strategy, (_accessToken, _refreshToken, profile, done) => {
      done(null, toSessionUser(profile));
    }),
  );
  fastifyPassport.registerUserSerializer(async (user: SessionUser) => user);
  fastifyPassport.registerUserDeserializer(async (user: SessionUser) => user);

  app.get(
    '/auth/eventpop',
    { preValidation: fastifyPassport.authenticate('eventpop') },
    async () => undefined,
  );
  app.get(
    '/auth/eventpop/callback',
    { preValidation: fastifyPassport.authenticate('eventpop', { failureRedirect: '/login' }) },
    async (_request, reply) => reply.redirect('/'),
  );
  app.get('/me', async (request, reply) => {
    if (!request.user) return reply.code(401).send({ error: 'not signed in' });
    return request.user;
  });
  // Eventpop's failures (AuthorizationError, TokenError, InternalOAuthError, EventpopAPIError) arrive here.
  app.setErrorHandler(async (err, _request, reply) => {
    if (isEventpopFailure(err)) return reply.code(502).send(loginErrorBody(err));
    throw err;
  });

  await app.ready();
  return { close: () => app.close() };
};
