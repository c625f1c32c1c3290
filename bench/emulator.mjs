// Child process: the Eventpop emulator, with one counted HTTP or HTTPS listener per app under test.
//
// The browser reaches the emulator's own listener (emu.url) for /oauth/authorize. Each app reaches
// the token and profile endpoints through a listener of its own, so the connections and TLS
// handshakes counted there are that app's and no one else's. createEmulator has no TLS option, so
// the emulator's request handler (the one 'request' listener of emu.server) is mounted on a
// node:https server here: same handler, no proxy hop.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createEmulator } from '../dist/emulator/index.js';
import { serve } from './ipc.mjs';

let emu;
let handler;
/** @type {Map<string, { server: http.Server, url: string, sockets: Set<import('node:net').Socket>, counts: Record<string, number> }>} */
const listeners = new Map();

async function listen({ name, protocol, keyPath, certPath }) {
  const existing = listeners.get(name);
  if (existing) return existing.url;
  const server =
    protocol === 'https'
      ? https.createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, handler)
      : http.createServer(handler);
  const sockets = new Set();
  const counts = { connections: 0, handshakes: 0, resumed: 0, peakOpen: 0 };
  server.on('connection', (socket) => {
    counts.connections += 1;
    sockets.add(socket);
    counts.peakOpen = Math.max(counts.peakOpen, sockets.size);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (tlsSocket) => {
    counts.handshakes += 1;
    if (tlsSocket.isSessionReused()) counts.resumed += 1;
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `${protocol}://127.0.0.1:${server.address().port}`;
  listeners.set(name, { server, url, sockets, counts });
  return url;
}

function counters(name) {
  const l = listeners.get(name);
  if (!l) throw new Error(`no listener ${name}`);
  return { ...l.counts, open: l.sockets.size };
}

serve({
  async start({ clients }) {
    emu = await createEmulator({
      port: 0,
      clients,
      autoApprove: true,
      profileRateLimit: 0,
      requestLogSize: 0,
      // The strategy phase takes a whole round's codes (1,500) before it redeems the first one;
      // the default 1,000 would forget the oldest.
      maxCodes: 10_000,
    });
    const listenersOf = emu.server.listeners('request');
    if (listenersOf.length !== 1) throw new Error('expected exactly one request listener on emu.server');
    handler = listenersOf[0];
    return { url: emu.url };
  },
  listen,
  counters,
  /** This process's CPU time so far (bench/profile.mjs: the emulator's share of a login). */
  cpuUsage() {
    return process.cpuUsage();
  },
  resetPeak(name) {
    const l = listeners.get(name);
    l.counts.peakOpen = l.sockets.size;
    return true;
  },
  inject({ endpoint, fault }) {
    emu.inject(endpoint, fault);
    return true;
  },
  clearFaults() {
    emu.clearFaults();
    return true;
  },
  /** Requests per endpoint so far (every listener), for requests-per-login figures. */
  counts() {
    return { ...emu.counts };
  },
  /** Destroys every open socket of one listener (idle keep-alive and hung ones alike). */
  destroyConnections(name) {
    const l = listeners.get(name);
    for (const socket of l.sockets) socket.destroy();
    return true;
  },
  stats() {
    return { ...emu.stats(), rss: process.memoryUsage().rss };
  },
  async close() {
    for (const l of listeners.values()) {
      l.server.closeAllConnections();
      l.server.close();
    }
    await emu.close();
    setImmediate(() => process.exit(0));
    return true;
  },
});

process.send({ type: 'ready' });
