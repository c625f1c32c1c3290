// Network failures on real loopback sockets: refused, reset, unknown host, and no answer within the timeout.
import { expect } from 'chai';
import { InternalOAuthError, type TransportFailureCause } from '../lib';
import {
  closedPort,
  expectKind,
  httpServer,
  hungServer,
  type LoopbackServer,
  makeStrategy,
  type Outcome,
  resettingServer,
  signIn,
  TOKEN_RESPONSE,
  withoutNock,
} from './helpers/passport';

type NetworkError = InternalOAuthError & { code?: string; cause?: TransportFailureCause };

function networkError(outcome: Outcome): NetworkError {
  const { err } = expectKind(outcome, 'error');
  expect(err).to.be.instanceOf(InternalOAuthError);
  return err as NetworkError;
}

/** A server whose /oauth/token succeeds, so that the profile request goes to `profileURL`. */
async function tokenServer(): Promise<LoopbackServer> {
  return httpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(TOKEN_RESPONSE));
    });
  });
}

describe('network failures', () => {
  withoutNock();

  const servers: LoopbackServer[] = [];
  async function serve(server: Promise<LoopbackServer>): Promise<LoopbackServer> {
    const started = await server;
    servers.push(started);
    return started;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe('connection refused', () => {
    it("errors with InternalOAuthError ECONNREFUSED for the token endpoint, cause holding Node's code, syscall and message", async () => {
      const port = await closedPort();
      const { outcome } = await signIn(makeStrategy({ baseURL: `http://127.0.0.1:${port}` }));
      const err = networkError(outcome);
      expect(err.code).to.equal('ECONNREFUSED');
      expect(err.cause).to.deep.equal({
        code: 'ECONNREFUSED',
        syscall: 'connect',
        message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      });
      expect(err.oauthError).to.equal(err.cause);
      expect(err.message).to.include(`127.0.0.1:${port}/oauth/token`);
    });

    it('errors with InternalOAuthError ECONNREFUSED for the profile endpoint', async () => {
      const token = await serve(tokenServer());
      const port = await closedPort();
      const strategy = makeStrategy({
        baseURL: token.url,
        profileURL: `http://127.0.0.1:${port}/api/public/me`,
      });
      const err = networkError((await signIn(strategy)).outcome);
      expect([err.code, err.cause?.code]).to.deep.equal(['ECONNREFUSED', 'ECONNREFUSED']);
      expect(err.message).to.include('/api/public/me');
    });
  });

  describe('connection reset', () => {
    it('errors with InternalOAuthError ECONNRESET when the token server drops the connection', async () => {
      const server = await serve(resettingServer());
      const err = networkError((await signIn(makeStrategy({ baseURL: server.url }))).outcome);
      expect(err.code).to.equal('ECONNRESET');
      expect(err.cause?.code).to.equal('ECONNRESET');
    });

    it('errors with InternalOAuthError ECONNRESET when the profile server drops the connection', async () => {
      const token = await serve(tokenServer());
      const profile = await serve(resettingServer());
      const strategy = makeStrategy({ baseURL: token.url, profileURL: `${profile.url}/api/public/me` });
      const err = networkError((await signIn(strategy)).outcome);
      expect([err.code, err.cause?.code]).to.deep.equal(['ECONNRESET', 'ECONNRESET']);
    });

    it('errors with InternalOAuthError ECONNRESET when the server drops the connection halfway through the body', async () => {
      const server = await serve(
        httpServer((req, res) => {
          req.resume();
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
          res.write('{"access_token":"', () => res.socket?.destroy());
        }),
      );
      const err = networkError((await signIn(makeStrategy({ baseURL: server.url }))).outcome);
      expect([err.code, err.cause?.code]).to.deep.equal(['ECONNRESET', 'ECONNRESET']);
    });
  });

  describe('unknown host', () => {
    it('errors with InternalOAuthError ENOTFOUND for https://eventpop.invalid, without waiting for the timeout', async () => {
      const started = Date.now();
      const err = networkError(
        (await signIn(makeStrategy({ baseURL: 'https://eventpop.invalid', timeout: 5000 }))).outcome,
      );
      expect(err.code).to.equal('ENOTFOUND');
      expect(err.cause?.code).to.equal('ENOTFOUND');
      expect(err.message).to.include('eventpop.invalid');
      expect(Date.now() - started).to.be.below(5000);
    });
  });

  describe('no answer within timeout', () => {
    const timeout = 300;

    it('errors with ETIMEDOUT naming the token endpoint within timeout + 1 s, and closes the socket', async () => {
      const server = await serve(hungServer());
      const started = Date.now();
      const err = networkError((await signIn(makeStrategy({ baseURL: server.url, timeout }))).outcome);
      const elapsed = Date.now() - started;
      expect(err.code).to.equal('ETIMEDOUT');
      expect(err.message).to.include(`${server.url}/oauth/token`);
      expect(elapsed).to.be.within(timeout - 20, timeout + 1000);
      await server.socketClosed;
    });

    it('errors with ETIMEDOUT naming the profile endpoint within timeout + 1 s, and closes the socket', async () => {
      const token = await serve(tokenServer());
      const profile = await serve(hungServer());
      const strategy = makeStrategy({
        baseURL: token.url,
        profileURL: `${profile.url}/api/public/me`,
        timeout,
      });
      const started = Date.now();
      const err = networkError((await signIn(strategy)).outcome);
      expect(err.code).to.equal('ETIMEDOUT');
      expect(err.message).to.include(`${profile.url}/api/public/me`);
      expect(Date.now() - started).to.be.below(2 * timeout + 1000);
      await profile.socketClosed;
    });

    it('times out a server that sends headers and then stalls the body', async () => {
      const server = await serve(
        httpServer((req, res) => {
          req.resume();
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"access_token":');
        }),
      );
      const started = Date.now();
      const err = networkError((await signIn(makeStrategy({ baseURL: server.url, timeout }))).outcome);
      expect(err.code).to.equal('ETIMEDOUT');
      expect(Date.now() - started).to.be.below(timeout + 1000);
      await server.socketClosed;
    });
  });
});
