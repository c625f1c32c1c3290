// One instance of the demo app in its own process, its sessions in Redis (REDIS_URL) or in memory.
// Configured from the environment; prints one JSON line {"port": N} once it listens.
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { createApp } from '../../examples/express/app.mjs';

const env = process.env;
let redis;
let sessionStore;
if (env.REDIS_URL) {
  redis = createClient({ url: env.REDIS_URL });
  redis.on('error', (err) => console.error(`[instance ${env.INSTANCE}] redis: ${err.message}`));
  await redis.connect();
  sessionStore = new RedisStore({ client: redis, prefix: 'eventpop-demo:' });
}

const { app } = createApp({
  clientID: env.EVENTPOP_CLIENT_ID,
  clientSecret: env.EVENTPOP_CLIENT_SECRET,
  callbackURL: env.EVENTPOP_CALLBACK_URL,
  baseURL: env.EVENTPOP_BASE_URL,
  sessionSecret: env.SESSION_SECRET,
  ...(sessionStore ? { sessionStore } : {}),
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});

async function stop() {
  server.closeAllConnections();
  server.close();
  if (redis) await redis.quit().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
