// Interop: a full Eventpop login through Fastify 5 with @fastify/passport and @fastify/session, over real sockets.
import { fastifyApp } from './fastify/app';
import { describeLogin } from './harness';

describeLogin('Fastify 5', fastifyApp);
