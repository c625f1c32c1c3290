// The demo's command-line entry: reads the environment, starts the local emulator when no Eventpop client is configured, listens.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as http from 'node:http';
import {
  createEmulator,
  defaultClient,
  defaultEvents,
  defaultOrganizers,
} from '../../dist/emulator/index.mjs';
import { createApp } from './app.mjs';

const env = process.env;

/** Stops with a message that says what to set. */
function fail(message) {
  console.error(message);
  process.exit(1);
}

/**
 * TRUST_PROXY as Express's `trust proxy` value: unset or empty for none, `true`/`false`, a number
 * of proxies, or addresses (`loopback`, `10.0.0.0/8`, comma-separated).
 * @param {string | undefined} value
 */
function trustProxyFrom(value) {
  if (value === undefined || value.trim() === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** A positive integer from the environment, or undefined when unset; stops on anything else. */
function idFromEnv(name) {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9]\d{0,14}$/.test(value)) {
    fail(`${name} must be an Eventpop id (a positive integer), got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

const port = Number(env.PORT ?? 3000);
const host = env.HOST || '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  fail(`PORT must be a port number (0 picks a free one), got ${JSON.stringify(env.PORT)}`);
}
if (env.EVENTPOP_CLIENT_ID && !env.EVENTPOP_CLIENT_SECRET) {
  fail(
    'EVENTPOP_CLIENT_ID is set but EVENTPOP_CLIENT_SECRET is not: set both (or neither, for the emulator).',
  );
}

let sessionSecret = env.SESSION_SECRET;
if (!sessionSecret) {
  sessionSecret = randomBytes(32).toString('hex');
  console.warn('SESSION_SECRET is not set: using a random one, so sessions end when the server restarts.');
}

// Listen first: with PORT=0 the callback URL (and the emulator's registered redirect URI) can only
// name the port once the system has picked it. Until the app is built, requests get a 503.
/** @type {import('express').Express | undefined} */
let app;
const server = http.createServer((req, res) => {
  if (app) return app(req, res);
  res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '1' }).end('Starting up, try again.');
});
server.listen(port, host);
try {
  await once(server, 'listening'); // rejects with the server's 'error' (EADDRINUSE, EACCES)
} catch (err) {
  fail(`Could not listen on ${host}:${port}: ${err.message}`);
}
const boundPort = server.address().port;

// The address a browser uses: localhost, so the cookie host matches the callback URL's host.
const publicHost = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
const appURL = `http://${publicHost}:${boundPort}`;
const callbackURL = env.EVENTPOP_CALLBACK_URL || `${appURL}/auth/eventpop/callback`;

let emulator;
let client;
let tickets;
if (env.EVENTPOP_CLIENT_ID) {
  client = {
    clientID: env.EVENTPOP_CLIENT_ID,
    clientSecret: env.EVENTPOP_CLIENT_SECRET,
    ...(env.EVENTPOP_BASE_URL ? { baseURL: env.EVENTPOP_BASE_URL } : {}),
  };
  const organizerId = idFromEnv('EVENTPOP_ORGANIZER_ID');
  const eventId = idFromEnv('EVENTPOP_EVENT_ID');
  if ((organizerId === undefined) !== (eventId === undefined)) {
    fail('Set both EVENTPOP_ORGANIZER_ID and EVENTPOP_EVENT_ID (or neither, for no tickets).');
  }
  if (organizerId !== undefined && eventId !== undefined) {
    tickets = {
      organizerId,
      eventId,
      ...(env.EVENTPOP_EVENT_NAME ? { events: { [eventId]: env.EVENTPOP_EVENT_NAME } } : {}),
    };
  }
} else {
  // No credentials: run a local Eventpop in this process, with the demo client registered for
  // this app's callback URL (the seed's redirect URI is http://localhost:3000/auth/eventpop/callback).
  emulator = await createEmulator({
    port: 0,
    clients: [{ ...defaultClient, redirectUris: [callbackURL] }],
  });
  client = {
    clientID: defaultClient.clientId,
    clientSecret: defaultClient.clientSecret,
    baseURL: emulator.url,
  };
  // The emulator's organizer and its first event; user 4242 holds tickets for it, 4343 none.
  tickets = {
    organizerId: defaultOrganizers[0].id,
    eventId: defaultEvents[0].id,
    events: Object.fromEntries(defaultEvents.map((event) => [event.id, event.name])),
  };
  console.log(`No EVENTPOP_CLIENT_ID set: using the local Eventpop emulator at ${emulator.url}`);
}

const trustProxy = trustProxyFrom(env.TRUST_PROXY);
({ app } = createApp({
  ...client,
  callbackURL,
  sessionSecret,
  ...(trustProxy === undefined ? {} : { trustProxy }),
  ...(tickets === undefined ? {} : { tickets }),
}));
console.log(`Eventpop login demo: open ${appURL}`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  emulator?.close().catch(() => {});
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
