// Child process: the app of the strategy phase, logins driven straight through strategy.authenticate() as passport calls it.
//
// Started as `node bench/strategy-app.mjs <ours|ours-nopkce|baseline|alternative> [dir]`, where `baseline`
// is ours with its defaults as built in another checkout `dir` (its dist/index.js), to measure a
// change against the code before it in the same run. No web framework and no session
// middleware: each login is two calls of `authenticate()` on a stub request that carries a plain
// session object, with the delegate's success/fail/error/redirect/pass set the way passport's
// middleware sets them (`Object.create(strategy)` per request). The parent plays the browser: it
// asks for a batch of authorize redirects, takes each to the emulator for a code, and sends the
// callbacks' queries back. This process counts its own CPU time (process.cpuUsage) around the two
// batches only, so neither the browser's work nor the IPC between the batches is in the figure.
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { alternativeOptions, HandWrittenEventpopStrategy } from './alternative.mjs';
import { mapLimit } from './browser.mjs';
import { serve } from './ipc.mjs';

const contender = process.argv[2];
if (!['ours', 'ours-nopkce', 'baseline', 'alternative'].includes(contender)) {
  throw new Error('usage: strategy-app.mjs ours|ours-nopkce|baseline|alternative [dir]');
}
const { Strategy } = await import(
  contender === 'baseline'
    ? pathToFileURL(`${process.argv[3]}/dist/index.js`).href
    : new URL('../dist/index.js', import.meta.url).href
);

let strategy;
let callbackPath;
const inspector = new Session();
/** The sessions of the batch whose authorize step ran and whose callbacks are still to come. */
let sessions = [];

const verify = (_accessToken, _refreshToken, profile, done) => {
  done(null, { id: profile.id, name: profile.displayName });
};

/** Installs a fresh strategy and says which options it runs with, as the instance holds them. */
function configure({ tokenBase, authorizationURL, clientID, clientSecret, callbackURL }) {
  callbackPath = new URL(callbackURL).pathname;
  let given;
  if (contender !== 'alternative') {
    // Default options: only what a user must give, and where Eventpop is. `ours-nopkce` turns
    // PKCE off, like for like with the alternative (which has none), to show what PKCE costs.
    given = { clientID, clientSecret: '<secret>', callbackURL, baseURL: tokenBase, authorizationURL };
    if (contender === 'ours-nopkce') given.pkce = false;
    strategy = new Strategy({ ...given, clientSecret }, verify);
  } else {
    const options = alternativeOptions({ clientID, clientSecret, callbackURL, authorizationURL, tokenBase });
    given = { ...options, clientSecret: '<secret>' };
    strategy = new HandWrittenEventpopStrategy(options, verify);
    strategy._oauth2.useAuthorizationHeaderforGET(true);
  }
  return {
    contender,
    node: process.version,
    given,
    // Read back from passport-oauth2's own fields, so that a changed default shows here.
    stateStore: strategy._stateStore?.constructor?.name ?? 'none',
    pkce: strategy._pkceMethod ?? false,
    useAuthorizationHeaderforGET: strategy._oauth2._useAuthorizationHeaderForGET === true,
  };
}

/** An Express-like request as the strategy reads it: path, host, parsed query and the session. */
function stubRequest(url, query, session) {
  return { method: 'GET', url, originalUrl: url, headers: { host: '127.0.0.1' }, query, session };
}

/** One call of `authenticate()` as passport's middleware makes it; resolves with the action it ended in. */
function attempt(req) {
  return new Promise((resolve) => {
    const delegate = Object.create(strategy);
    delegate.success = (user) => resolve({ action: 'success', user });
    delegate.fail = (challenge, status) => resolve({ action: 'fail', challenge, status });
    delegate.redirect = (url) => resolve({ action: 'redirect', url });
    delegate.pass = () => resolve({ action: 'pass' });
    delegate.error = (err) => resolve({ action: 'error', err });
    delegate.authenticate(req, {});
  });
}

/** Runs `fn` over `items` with `concurrency` of them in flight; returns the CPU time and wall time it took. */
async function measured(items, concurrency, fn) {
  // Event loop iterations (Node 22 and later; undefined on Node 20), for bench/profile.mjs.
  const loops0 = performance.nodeTiming.uvMetricsInfo?.loopCount;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapLimit(items, Math.min(concurrency, items.length), fn);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const loops = loops0 === undefined ? undefined : performance.nodeTiming.uvMetricsInfo.loopCount - loops0;
  return { cpuMicros: cpu.user + cpu.system, userMicros: cpu.user, systemMicros: cpu.system, ms, loops };
}

/** Counts an unexpected outcome by what it was, never keeping an error's message (it could echo a secret). */
function tally(outcomes, out) {
  const key = out.action === 'error' ? `error ${out.err?.name}/${out.err?.code}` : out.action;
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}

serve({
  configure,
  /** The first half of `n` logins: `authenticate()` on /auth/eventpop, each with a new session. */
  async authorize({ n, concurrency }) {
    sessions = Array.from({ length: n }, () => ({}));
    const requests = sessions.map((session) => stubRequest('/auth/eventpop', {}, session));
    const urls = new Array(n);
    const unexpected = {};
    const cost = await measured(requests, concurrency, async (req, i) => {
      const out = await attempt(req);
      if (out.action === 'redirect') urls[i] = out.url;
      else tally(unexpected, out);
    });
    if (Object.keys(unexpected).length) throw new Error(`authorize step: ${JSON.stringify(unexpected)}`);
    return { ...cost, urls };
  },
  /** The second half: `authenticate()` on the callback with Eventpop's query, in the same sessions. */
  async callback({ queries, concurrency }) {
    if (queries.length !== sessions.length)
      throw new Error('callback batch does not match the authorize batch');
    const requests = queries.map((query, i) =>
      stubRequest(`${callbackPath}?${new URLSearchParams(query)}`, query, sessions[i]),
    );
    const unexpected = {};
    const cost = await measured(requests, concurrency, async (req) => {
      const out = await attempt(req);
      if (out.action !== 'success' || typeof out.user?.id !== 'string') tally(unexpected, out);
    });
    sessions = [];
    if (Object.keys(unexpected).length) throw new Error(`callback step: ${JSON.stringify(unexpected)}`);
    return cost;
  },
  /**
   * bench/profile.mjs: V8's sampling CPU profiler (100 µs interval) or, with `heap-start`, its
   * sampling heap profiler (every 4 KiB allocated on average), around the rounds it profiles.
   */
  async profile(action) {
    const post = (method, params) =>
      new Promise((resolve, reject) =>
        inspector.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
      );
    if (action === 'start' || action === 'heap-start') {
      inspector.connect();
      if (action === 'heap-start') {
        await post('HeapProfiler.enable');
        // Every allocation, not only what is still alive when sampling stops.
        await post('HeapProfiler.startSampling', {
          samplingInterval: 4096,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
        return true;
      }
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
      return true;
    }
    const { profile } = await post(action === 'heap-stop' ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
    inspector.disconnect();
    return profile;
  },
  close() {
    setImmediate(() => process.exit(0));
    return true;
  },
});

process.send({ type: 'ready' });
