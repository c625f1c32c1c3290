// The demo's command-line entry: reads the environment, starts the local emulator when no Eventpop client is configured, listens.
import { randomBytes } from 'node:crypto';
import { createEmulator, defaultClient } from '../../dist/emulator/index.mjs';
import { createApp } from './app.mjs';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST || '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  process.exit(1);
}
// The address a browser uses: localhost, so the cookie host matches the callback URL's host.
const publicHost = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
const appURL = `http://${publicHost}:${port}`;
const callbackURL = env.EVENTPOP_CALLBACK_URL || `${appURL}/auth/eventpop/callback`;

let sessionSecret = env.SESSION_SECRET;
if (!sessionSecret) {
  sessionSecret = randomBytes(32).toString('hex');
  console.warn('SESSION_SECRET is not set: using a random one, so sessions end when the server restarts.');
}

let emulator;
let client;
if (env.EVENTPOP_CLIENT_ID) {
  if (!env.EVENTPOP_CLIENT_SECRET) {
    console.error(
      'EVENTPOP_CLIENT_ID is set but EVENTPOP_CLIENT_SECRET is not: set both (or neither, for the emulator).',
    );
    process.exit(1);
  }
  client = {
    clientID: env.EVENTPOP_CLIENT_ID,
    clientSecret: env.EVENTPOP_CLIENT_SECRET,
    ...(env.EVENTPOP_BASE_URL ? { baseURL: env.EVENTPOP_BASE_URL } : {}),
  };
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
  console.log(`No EVENTPOP_CLIENT_ID set: using the local Eventpop emulator at ${emulator.url}`);
}

const { app } = createApp({ ...client, callbackURL, sessionSecret });
const server = app.listen(port, host, (err) => {
  if (err) {
    console.error(`Could not listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  }
  const actual = server.address().port;
  const url = port === 0 ? `http://${publicHost}:${actual}` : appURL;
  console.log(`Eventpop login demo: open ${url}`);
  if (port === 0)
    console.warn('PORT=0: the callback URL names port 0, so logins will not come back; pick a port.');
});

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
