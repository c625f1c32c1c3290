// Interop: a full Eventpop login through Koa 3 with koa-passport, koa-session and @koa/router, over real sockets.
import { describeLogin } from './harness';
import { koaApp } from './koa/app';

describeLogin('Koa 3', koaApp);
