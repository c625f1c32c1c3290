// Servers for tests: one listening on 127.0.0.1 port 0, and a close that does not wait on keep-alive connections.
import { once } from 'node:events';
import * as http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';

/** A server listening on 127.0.0.1 port 0, with no handler yet, and its base URL. */
export async function listeningServer(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes a server and every connection still open on it (keep-alive ones included). */
export async function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return;
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}

/**
 * A loopback port that nothing listens on: a server was bound to 127.0.0.1:0 and closed again. For a
 * connection that must be refused, or a process that must be told its port up front.
 */
export function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
