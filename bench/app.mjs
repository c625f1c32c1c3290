// Child process: the app under test, an Express 5 app with sessions and one Eventpop strategy (ours or the alternative).
//
// Started as `node --expose-gc bench/app.mjs <ours|alternative>`; it reports its port, then the parent
// configures the strategy (endpoints, timeout, agent) over IPC and reads the process's own CPU time,
// memory and sockets to Eventpop the same way, so that none of the load generator's work is counted.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy } from '../dist/index.js';
import { alternativeOptions, HandWrittenEventpopStrategy } from './alternative.mjs';
import { serve } from './ipc.mjs';

const contender = process.argv[2];
if (contender !== 'ours' && contender !== 'alternative') throw new Error('usage: app.mjs ours|alternative');

const outcomes = { logins: 0, errors: {} };
// How long the app's event loop was blocked (ms): a stalled loop is what makes /health slow.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
/** When callback requests reached the app and when their answers left, since the last reset (ms since reset). */
let since = performance.now();
const timeline = { callbacks: 0, firstCallback: null, lastCallback: null, firstError: null, lastError: null };
function mark(key) {
  const t = Math.round(performance.now() - since);
  if (key === 'callback') {
    timeline.callbacks += 1;
    timeline.firstCallback ??= t;
    timeline.lastCallback = t;
  } else {
    timeline.firstError ??= t;
    timeline.lastError = t;
  }
}
let agent; // the agent whose sockets reach Eventpop: the caller's, or Node's global one

const verify = (_accessToken, _refreshToken, profile, done) => {
  outcomes.logins += 1;
  done(null, { id: profile.id, name: profile.displayName });
};
passport.serializeUser((user, done) => done(null, user.id));
passport.deserializeUser((id, done) => done(null, { id }));

const app = express();
app.use(session({ secret: 'bench-session-secret', resave: false, saveUninitialized: false, name: 'sid' }));
app.use(passport.initialize());
app.use(passport.session());
app.get('/health', (_req, res) => {
  res.type('text').send('ok');
});
app.get('/auth/eventpop', passport.authenticate('eventpop'));
app.get('/auth/eventpop/callback', (_req, _res, next) => {
  mark('callback');
  next();
});
app.get(
  '/auth/eventpop/callback',
  passport.authenticate('eventpop', { failureRedirect: '/login-failed' }),
  (_req, res) => res.redirect('/'),
);
app.use((err, _req, res, _next) => {
  const code = err.code ?? err.name ?? 'error';
  outcomes.errors[code] = (outcomes.errors[code] ?? 0) + 1;
  mark('error');
  // Only the error's name and code: never its message, which could carry a provider's echo.
  res.status(502).json({ name: err.name, code: err.code });
});

const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));

function count(pool) {
  return Object.values(pool).reduce((n, list) => n + list.length, 0);
}

/**
 * Installs a fresh strategy. `agentMode` 'default' leaves the agent to Node's global agents (which
 * keep connections alive since Node 19); 'caller' passes `new http(s).Agent({ keepAlive: true })`,
 * through the `agent` option for ours and through the undocumented `_oauth2.setAgent` for the
 * alternative (its only way). `tickets` is our strategy's option of that name (the tickets phase).
 */
function configure({
  protocol,
  tokenBase,
  authorizationURL,
  clientID,
  clientSecret,
  timeout,
  agentMode,
  caPath,
  tickets,
}) {
  if (agent && agent !== http.globalAgent && agent !== https.globalAgent) agent.destroy();
  const callbackURL = `http://127.0.0.1:${server.address().port}/auth/eventpop/callback`;
  let callerAgent;
  if (agentMode === 'caller') {
    callerAgent =
      protocol === 'https'
        ? new https.Agent({ ca: readFileSync(caPath), keepAlive: true })
        : new http.Agent({ keepAlive: true });
  }
  agent = callerAgent ?? (protocol === 'https' ? https.globalAgent : http.globalAgent);
  let strategy;
  if (contender === 'ours') {
    strategy = new Strategy(
      {
        clientID,
        clientSecret,
        callbackURL,
        baseURL: tokenBase,
        authorizationURL,
        ...(timeout ? { timeout } : {}),
        ...(callerAgent ? { agent: callerAgent } : {}),
        ...(tickets ? { tickets } : {}),
      },
      verify,
    );
  } else {
    strategy = new HandWrittenEventpopStrategy(
      alternativeOptions({ clientID, clientSecret, callbackURL, authorizationURL, tokenBase }),
      verify,
    );
    if (callerAgent) strategy._oauth2.setAgent(callerAgent);
  }
  passport.use('eventpop', strategy);
  return { callbackURL };
}

serve({
  configure,
  stats() {
    return {
      cpu: process.cpuUsage(),
      memory: process.memoryUsage(),
      sockets: { active: count(agent?.sockets ?? {}), free: count(agent?.freeSockets ?? {}) },
      outcomes: structuredClone(outcomes),
      loop: { maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 },
      timeline: { ...timeline },
    };
  },
  /** Starts a new observation window for the event loop delay and the callback timeline. */
  resetWindow() {
    loopDelay.reset();
    since = performance.now();
    Object.assign(timeline, {
      callbacks: 0,
      firstCallback: null,
      lastCallback: null,
      firstError: null,
      lastError: null,
    });
    return true;
  },
  /** Full garbage collection (twice, so that finalizers' garbage goes too), then memory. */
  gc() {
    global.gc();
    global.gc();
    return process.memoryUsage();
  },
  close() {
    server.closeAllConnections();
    server.close();
    setImmediate(() => process.exit(0));
    return true;
  },
});

process.send({ type: 'ready', port: server.address().port });
