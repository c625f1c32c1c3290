// Transport failures as logs write them: JSON.stringify, util.inspect and pino show no secret, for every request the package sends.
import { once } from 'node:events';
import * as http from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import {
  EventpopAPIError,
  type EventpopClientOptions,
  fetchProfile,
  getApplicationToken,
  InternalOAuthError,
  refreshAccessToken,
  revokeToken,
  Strategy,
} from '../lib';
import { basicSpellings, expectNoSecrets, logRenderings } from './helpers/leaks';
import {
  authenticate,
  closedPort,
  expectKind,
  fakeRequest,
  httpServer,
  hungServer,
  resettingServer,
  verifyUser,
  withoutNock,
} from './helpers/passport';

// `+`, `/` and `=` make the form-encoded spellings differ from the literal ones.
const CLIENT_ID = 'client+LEAK/id';
const SECRET = {
  clientSecret: 'cs+LEAK/check=7f3a9b2c1d0e',
  code: 'code+LEAK/check=4d2e8c6a',
  refreshToken: `rt-LEAKCHECK-${'5c'.repeat(26)}`,
  accessToken: `at-LEAKCHECK-${'9e'.repeat(26)}`,
} as const;

/** A place that fails, on 127.0.0.1. */
interface Target {
  readonly url: string;
  close(): Promise<void>;
}

/** Whole requests (headers and body) as they arrive on a raw socket, one call per request. */
function onRequests(socket: Socket, each: (request: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(
        /content-length:\s*(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0,
      );
      if (buffered.length < end + 4 + length) return;
      const request = buffered.subarray(0, end + 4 + length);
      buffered = buffered.subarray(end + 4 + length);
      each(request);
    }
  });
}

/** A raw TCP server on 127.0.0.1:0 whose connections `handle` serves. */
async function rawServer(handle: (socket: Socket, connection: number) => void): Promise<Target> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    connections += 1;
    handle(socket, connections);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const KEEP_ALIVE_ANSWER = (() => {
  const body = '{"error":"invalid_grant"}';
  return (
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n' +
    `Content-Length: ${body.length}\r\n\r\n${body}`
  );
})();

/** One way the transport fails, and what the error's `code` says about it. */
interface Failure {
  readonly name: string;
  /** The InternalOAuthError's code (the profile request's size cap is an EventpopAPIError). */
  readonly code: string;
  start(): Promise<Target>;
  /** Client options the failure needs (a short timeout, a keep-alive agent). */
  options?(): Partial<EventpopClientOptions>;
  /** Send the request once first, so that the failing one reuses a pooled connection. */
  readonly warmUp?: boolean;
}

const FAILURES: Failure[] = [
  {
    name: 'a refused connection',
    code: 'ECONNREFUSED',
    start: async () => ({ url: `http://127.0.0.1:${await closedPort()}`, close: async () => {} }),
  },
  { name: 'a reset connection', code: 'ECONNRESET', start: resettingServer },
  {
    // Node's parse error keeps what it received in rawPacket: here, the request itself.
    name: 'an answer that is not HTTP, echoing the request back',
    code: 'HPE_INVALID_CONSTANT',
    start: () => rawServer((socket) => onRequests(socket, (request) => socket.write(request))),
  },
  {
    name: 'no answer within the timeout',
    code: 'ETIMEDOUT',
    start: hungServer,
    options: () => ({ timeout: 200 }),
  },
  {
    name: 'an answer over 1 MiB echoing the request',
    code: 'ERESPONSETOOLARGE',
    start: () =>
      httpServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const echo = `${JSON.stringify(req.headers)} ${Buffer.concat(chunks).toString()} `;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ pad: echo.repeat(Math.ceil((1.1 * 1024 * 1024) / echo.length)) }));
        });
      }),
  },
  {
    name: 'a stale pooled connection whose retry is reset too',
    code: 'ECONNRESET',
    warmUp: true,
    // The first connection answers its first request, then resets; every later connection resets.
    start: () =>
      rawServer((socket, connection) => {
        let served = 0;
        onRequests(socket, () => {
          served += 1;
          if (connection === 1 && served === 1) socket.write(KEEP_ALIVE_ANSWER);
          else socket.resetAndDestroy();
        });
      }),
    options: () => ({ agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }),
  },
];

/** A request the package sends; resolves with the error it ends in. */
interface Operation {
  readonly name: string;
  run(options: EventpopClientOptions, verifiers: string[]): Promise<unknown>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'the code exchange',
    run: async (options, verifiers) => {
      const strategy = new Strategy(
        { ...options, callbackURL: 'https://app.example/auth/eventpop/callback' },
        verifyUser,
      );
      const session: Record<string, { state?: { code_verifier?: string } }> = {};
      const redirect = expectKind(await authenticate(strategy, fakeRequest({ session })), 'redirect');
      const verifier = session['oauth2:127.0.0.1']?.state?.code_verifier;
      if (verifier) verifiers.push(verifier);
      const query = new URLSearchParams({
        code: SECRET.code,
        state: new URL(redirect.url).searchParams.get('state') ?? '',
      });
      const outcome = await authenticate(
        strategy,
        fakeRequest({ url: `/auth/eventpop/callback?${query}`, session }),
      );
      return expectKind(outcome, 'error').err;
    },
  },
  { name: 'a refresh', run: (options) => refreshAccessToken(options, SECRET.refreshToken).catch((e) => e) },
  { name: 'the client credentials grant', run: (options) => getApplicationToken(options).catch((e) => e) },
  {
    name: 'a revocation',
    run: (options) => revokeToken(options, SECRET.accessToken, 'access_token').catch((e) => e),
  },
  { name: 'a profile request', run: (options) => fetchProfile(options, SECRET.accessToken).catch((e) => e) },
];

describe('transport failures as logs write them', () => {
  withoutNock();

  let target: Target | undefined;
  let agent: http.Agent | undefined;
  afterEach(async () => {
    agent?.destroy();
    await target?.close();
    target = undefined;
    agent = undefined;
  });

  for (const failure of FAILURES) {
    for (const operation of OPERATIONS) {
      it(`keeps every secret out of JSON.stringify, util.inspect and pino for ${failure.name} during ${operation.name}`, async () => {
        target = await failure.start();
        const extra = failure.options?.() ?? {};
        agent = extra.agent;
        const options: EventpopClientOptions = {
          clientID: CLIENT_ID,
          clientSecret: SECRET.clientSecret,
          baseURL: target.url,
          ...extra,
        };
        const verifiers: string[] = [];
        if (failure.warmUp) await operation.run(options, verifiers);
        const err = await operation.run(options, verifiers);

        if (err instanceof EventpopAPIError) {
          expect([failure.code, err.code]).to.deep.equal(['ERESPONSETOOLARGE', 'response_too_large']);
        } else {
          expect(err).to.be.instanceOf(InternalOAuthError);
          expect(err).to.have.property('code', failure.code);
        }
        expectNoSecrets(
          logRenderings(err),
          [...Object.values(SECRET), ...verifiers],
          basicSpellings(CLIENT_ID, SECRET.clientSecret),
        );
      });
    }
  }

  it("keeps only Node's code, syscall and message as cause and oauthError, not Node's error", async () => {
    target = await FAILURES[2]!.start();
    const err = (await refreshAccessToken(
      { clientID: CLIENT_ID, clientSecret: SECRET.clientSecret, baseURL: target.url },
      SECRET.refreshToken,
    ).catch((e: unknown) => e)) as InternalOAuthError & { cause?: unknown };
    expect(err.cause).to.not.be.instanceOf(Error);
    expect(err.cause).to.have.all.keys('code', 'message');
    expect(err.cause).to.include({ code: 'HPE_INVALID_CONSTANT' });
    expect((err.cause as { message: string }).message).to.match(/^Parse Error: Expected HTTP\//);
    expect(err.oauthError).to.equal(err.cause);
    expect(err.message).to.include('not well-formed HTTP');
  });
});
