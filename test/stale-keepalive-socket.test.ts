// A pooled keep-alive connection that Eventpop closed while it sat idle: sent again once, on a new socket.
import { once } from 'node:events';
import * as http from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { fetchProfile, InternalOAuthError } from '../lib';

const BODY = JSON.stringify({ user: { id: 4242, email: 'somchai@example.com' } });
const ANSWER =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n' +
  `Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;

/**
 * A raw server whose `plan` decides, per connection and per request on it, whether to answer or
 * to reset the connection (an RST, as a server that closed an idle connection does).
 */
async function rawServer(plan: (connection: number, request: number) => 'answer' | 'reset') {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const connection = ++connections;
    let onThisSocket = 0;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
      requests += 1;
      onThisSocket += 1;
      if (plan(connection, onThisSocket) === 'reset') socket.resetAndDestroy();
      else socket.write(ANSWER);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ connections, requests }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('a keep-alive connection that Eventpop closed while idle', () => {
  let agent: http.Agent;
  beforeEach(() => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(() => agent.destroy());

  it('sends the request again on a new connection and succeeds', async () => {
    // The first connection answers once, then resets when it is reused; later connections answer.
    const server = await rawServer((connection, request) =>
      connection === 1 && request === 2 ? 'reset' : 'answer',
    );
    try {
      const options = { clientID: 'id', clientSecret: 'secret', baseURL: server.url, agent, timeout: 2000 };
      expect((await fetchProfile(options, 'token-1')).id).to.equal('4242');
      expect((await fetchProfile(options, 'token-2')).id).to.equal('4242');
      expect(server.counts()).to.deep.equal({ connections: 2, requests: 3 });
    } finally {
      await server.close();
    }
  });

  it('does not send again when a new connection is reset: InternalOAuthError ECONNRESET', async () => {
    const server = await rawServer(() => 'reset');
    try {
      const options = { clientID: 'id', clientSecret: 'secret', baseURL: server.url, agent, timeout: 2000 };
      const err = await fetchProfile(options, 'token').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err).to.have.property('code', 'ECONNRESET');
      expect(server.counts()).to.deep.equal({ connections: 1, requests: 1 });
    } finally {
      await server.close();
    }
  });

  it('sends again only once: when the retry also lands on a closed pooled connection, that is the error', async () => {
    // Two pooled connections, each answering its first request and resetting when reused.
    const server = await rawServer((_connection, request) => (request === 1 ? 'answer' : 'reset'));
    const twoSockets = new http.Agent({ keepAlive: true, maxSockets: 2 });
    try {
      const options = {
        clientID: 'id',
        clientSecret: 'secret',
        baseURL: server.url,
        agent: twoSockets,
        timeout: 2000,
      };
      await Promise.all([fetchProfile(options, 'token-1'), fetchProfile(options, 'token-2')]);
      const err = await fetchProfile(options, 'token-3').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err).to.have.property('code', 'ECONNRESET');
      expect(server.counts()).to.deep.equal({ connections: 2, requests: 4 });
    } finally {
      twoSockets.destroy();
      await server.close();
    }
  });
});
