// Entry of `npm run bench`: complete logins against the emulator, ours vs the hand-written alternative, through Express and through the strategy alone.
//
// Processes: this one is the load generator (virtual users with keep-alive connections and their
// own cookies); bench/emulator.mjs serves Eventpop (one counted listener per app); bench/app.mjs is
// the app under test, one process per contender, so CPU time and memory are the app's own; the
// strategy phase drives `strategy.authenticate()` without a framework in bench/strategy-app.mjs.
// `node bench/run.mjs` is the full run (writes bench/results.json and bench/results.svg);
// `node bench/run.mjs --quick` is a smoke run with small counts (writes under bench/out/);
// `--node=24` (a pinned line of scripts/node-lines.mjs) or `--node=/path/to/node` runs it all on that Node.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { reexecOnNodeArg } from '../scripts/node-lines.mjs';
import { mapLimit, runLogins, VirtualUser } from './browser.mjs';
import { connect, ready } from './ipc.mjs';
import { evaluateTargets, markdown, percentile, svg } from './report.mjs';
import { STRATEGY_CALLBACK_URL, strategyPhase } from './strategy-phase.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// --node: the same run, parent and children, on another Node (children are forked with the parent's).
await reexecOnNodeArg(fileURLToPath(import.meta.url), { log: console.log });
const quick = process.argv.includes('--quick');
const phasesArg = process.argv.find((a) => a.startsWith('--phases='));
const allPhases = ['steady', 'memory', 'tickets', 'down', 'strategy'];
/** Which parts to run (`--phases=steady,memory,tickets,down,strategy`); all by default. Partial runs write under bench/out/. */
const phases = new Set(phasesArg ? phasesArg.slice('--phases='.length).split(',') : allPhases);
for (const phase of phases) {
  if (!allPhases.includes(phase)) throw new Error(`unknown phase ${phase}: use ${allPhases.join(', ')}`);
}
const partial =
  phases.size < allPhases.length ||
  process.argv.some((a) => a.startsWith('--memory-logins=') || a.startsWith('--strategy-'));

/** Counts per mode. Full: under ~10 minutes on 2 cores, the 50,000-login memory check dominating. */
const plan = quick
  ? {
      rounds: 2,
      perRound: { 1: 60, 32: 400 },
      jitWarmup: 300,
      warmup: { 1: 10, 32: 64 },
      memory: { first: 1_000, total: 3_000, chunk: 1_000 },
      tickets: { delayMs: 50, rounds: 2, perRound: 10, warmup: 2 },
      down: { inFlight: 500, timeout: 2_000, alternativeCap: 5_000, rampMs: 1_500 },
      strategy: { logins: 100, warmupRounds: 1, minRounds: 2, maxRounds: 2, resolution: 0.03 },
    }
  : {
      rounds: 6,
      perRound: { 1: 200, 32: 1_000 },
      warmup: { 1: 20, 32: 96 },
      jitWarmup: 1_000,
      memory: { first: 1_000, total: 50_000, chunk: 7_000 },
      tickets: { delayMs: 50, rounds: 6, perRound: 40, warmup: 5 },
      down: { inFlight: 500, timeout: 2_000, alternativeCap: 15_000, rampMs: 1_500 },
      // Paired rounds until the 95% interval of the median ratio is at most 3% wide (or maxRounds).
      strategy: { logins: 1_500, warmupRounds: 3, minRounds: 10, maxRounds: 100, resolution: 0.03 },
    };
const memoryArg = process.argv.find((a) => a.startsWith('--memory-logins='));
if (memoryArg) {
  // e.g. --memory-logins=1000,20000 to look at the memory check alone with other counts.
  const [first, total] = memoryArg.slice('--memory-logins='.length).split(',').map(Number);
  Object.assign(plan.memory, { first, total });
}
const strategyRoundsArg = process.argv.find((a) => a.startsWith('--strategy-rounds='));
if (strategyRoundsArg) {
  // e.g. --strategy-rounds=20 for exactly 20 paired rounds, --strategy-rounds=10,60 for 10 to 60.
  const [min, max = min] = strategyRoundsArg.slice('--strategy-rounds='.length).split(',').map(Number);
  Object.assign(plan.strategy, { minRounds: min, maxRounds: max });
}
const strategyContendersArg = process.argv.find((a) => a.startsWith('--strategy-contenders='));
if (strategyContendersArg) {
  // e.g. --strategy-contenders=ours,alternative to leave out ours-nopkce (the alternative runs last).
  plan.strategy.contenders = strategyContendersArg.slice('--strategy-contenders='.length).split(',');
}
const strategyBaselineArg = process.argv.find((a) => a.startsWith('--strategy-baseline='));
// e.g. --strategy-baseline=/tmp/before: a built checkout of another commit, run as the `baseline` contender.
if (strategyBaselineArg) plan.strategy.baseline = strategyBaselineArg.slice('--strategy-baseline='.length);
const strategyLoginsArg = process.argv.find((a) => a.startsWith('--strategy-logins='));
if (strategyLoginsArg) plan.strategy.logins = Number(strategyLoginsArg.slice('--strategy-logins='.length));
const contenders = ['ours', 'alternative'];
const protocols = ['http', 'https'];
const concurrencies = [1, 32];
const outDir = quick || partial ? join(here, 'out') : here;
// Partial and quick runs name the Node line, so that runs on two Nodes can be kept side by side.
const nodeLine = `node${process.versions.node.split('.')[0]}`;
const resultsName = quick
  ? `results-quick-${nodeLine}`
  : partial
    ? `results-${[...phases].join('-')}-${nodeLine}`
    : 'results';

const log = (line) => process.stdout.write(`${line}\n`);
const started = performance.now();
const seconds = (from) => (performance.now() - from) / 1000;

// A throwaway certificate for 127.0.0.1, trusted by the app processes through NODE_EXTRA_CA_CERTS
// (how Node's global agents trust it, as they would trust Eventpop's public CA) and through the
// `ca` of the caller-supplied agents.
const tmp = mkdtempSync(join(os.tmpdir(), 'passport-eventpop-bench-'));
const keyPath = join(tmp, 'key.pem');
const certPath = join(tmp, 'cert.pem');
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ],
  { stdio: 'ignore' },
);

const children = [];
function start(script, args, label, options = {}) {
  const child = fork(join(here, script), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...options,
  });
  children.push(child);
  return { child, call: connect(child, label), ready: ready(child, label) };
}

async function startApp(contender, role) {
  const p = start('app.mjs', [contender], `${role} app (${contender})`, {
    execArgv: ['--expose-gc'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
  });
  const { port } = await p.ready;
  return { contender, role, call: p.call, url: `http://127.0.0.1:${port}` };
}

function cpuMicros(stats) {
  return stats.cpu.user + stats.cpu.system;
}

const results = {
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  },
  mode: quick ? 'quick' : 'full',
  plan,
  steady: [],
  memory: undefined,
  tickets: undefined,
  down: [],
  strategy: undefined,
  targets: [],
  seconds: 0,
};

let emulator;
try {
  const emu = start('emulator.mjs', [], 'emulator');
  await emu.ready;
  emulator = emu.call;
  // Only the app processes the chosen phases use (the tickets and down phases reuse the steady apps).
  const startApps = async (role, needed) =>
    needed
      ? Object.fromEntries(await Promise.all(contenders.map(async (c) => [c, await startApp(c, role)])))
      : {};
  const steadyApps = await startApps(
    'steady',
    ['steady', 'tickets', 'down'].some((p) => phases.has(p)),
  );
  const memoryApps = await startApps('memory', phases.has('memory'));
  const allApps = [...Object.values(steadyApps), ...Object.values(memoryApps)];

  const client = {
    clientId: 'bench-client',
    clientSecret: randomBytes(32).toString('hex'),
    name: 'Benchmark',
    redirectUris: [...allApps.map((a) => `${a.url}/auth/eventpop/callback`), STRATEGY_CALLBACK_URL],
  };
  const { url: authorizeBase } = await emulator('start', { clients: [client] });

  /** Points an app at its own emulator listener, with a fresh strategy (`tickets`: its option). */
  async function configure(app, protocol, agentMode, timeout, tickets) {
    const listener = `${app.role}-${app.contender}-${protocol}`;
    const tokenBase = await emulator('listen', { name: listener, protocol, keyPath, certPath });
    await app.call('configure', {
      protocol,
      tokenBase,
      authorizationURL: `${authorizeBase}/oauth/authorize`,
      clientID: client.clientId,
      clientSecret: client.clientSecret,
      timeout,
      agentMode,
      caPath: certPath,
      tickets,
    });
    app.listener = listener;
  }

  /** Runs `n` logins and returns what they cost the app: CPU, connections and handshakes to Eventpop. */
  async function segment(app, users, n) {
    const [a0, e0] = await Promise.all([app.call('stats'), emulator('counters', app.listener)]);
    const { latencies, ms } = await runLogins(users, app.url, n);
    const [a1, e1] = await Promise.all([app.call('stats'), emulator('counters', app.listener)]);
    return {
      logins: n,
      ms,
      latencies,
      cpuMicros: cpuMicros(a1) - cpuMicros(a0),
      connections: e1.connections - e0.connections,
      handshakes: e1.handshakes - e0.handshakes,
      resumed: e1.resumed - e0.resumed,
    };
  }

  function summarize(segments, others) {
    const sum = (key) => segments.reduce((n, s) => n + s[key], 0);
    // Rounds alternate, so round r of one contender ran next to round r of the other: their ratio
    // cancels slow drifts of the (shared, 2-core) machine.
    const ratios = (f) =>
      others ? segments.map((s, i) => f(s) / f(others[i])).sort((a, b) => a - b) : undefined;
    const median = (list) =>
      list
        ? Math.round(((list[(list.length - 1) >> 1] + list[list.length >> 1]) / 2) * 1000) / 1000
        : undefined;
    const cpuRatios = ratios((s) => s.cpuMicros / s.logins);
    const p50Ratios = ratios((s) =>
      percentile(
        [...s.latencies].sort((a, b) => a - b),
        50,
      ),
    );
    const logins = sum('logins');
    const latencies = segments.flatMap((s) => s.latencies).sort((a, b) => a - b);
    const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
    return {
      logins,
      loginsPerSecond: round(logins / (sum('ms') / 1000), 1),
      callbackP50ms: round(percentile(latencies, 50), 2),
      callbackP99ms: round(percentile(latencies, 99), 2),
      cpuMsPerLogin: round(sum('cpuMicros') / 1000 / logins),
      connectionsPerLogin: round(sum('connections') / logins, 4),
      handshakesPerLogin: round(sum('handshakes') / logins, 4),
      resumedPerLogin: round(sum('resumed') / logins, 4),
      ...(others
        ? {
            vsAlternative: {
              cpuRatioMedian: median(cpuRatios),
              cpuRatioRange: [round(cpuRatios[0]), round(cpuRatios.at(-1))],
              p50RatioMedian: median(p50Ratios),
              p50RatioRange: [round(p50Ratios[0]), round(p50Ratios.at(-1))],
              rounds: segments.length,
            },
          }
        : {}),
    };
  }

  // Steady state: per protocol and agent, the contenders alternate round by round (the order flips
  // each round), each round preceded by a warm-up that is not counted (idle keep-alive sockets
  // time out during the other contender's round, as they would on a quiet site).
  for (const protocol of phases.has('steady') ? protocols : []) {
    for (const agentMode of ['default', 'caller']) {
      const t = performance.now();
      for (const c of contenders) await configure(steadyApps[c], protocol, agentMode);
      if (agentMode === 'default') {
        // Not counted: lets V8 optimize the code paths of this protocol before anything is measured.
        for (const c of contenders) {
          const users = Array.from({ length: 32 }, () => new VirtualUser());
          await runLogins(users, steadyApps[c].url, plan.jitWarmup);
          for (const u of users) u.close();
        }
      }
      const rows = Object.fromEntries(
        contenders.map((c) => [c, { protocol, agent: agentMode, contender: c }]),
      );
      for (const concurrency of concurrencies) {
        const users = Object.fromEntries(
          contenders.map((c) => [c, Array.from({ length: concurrency }, () => new VirtualUser())]),
        );
        const segments = Object.fromEntries(contenders.map((c) => [c, []]));
        for (let r = 0; r < plan.rounds; r++) {
          const order = r % 2 === 0 ? contenders : [...contenders].reverse();
          for (const c of order) {
            await runLogins(users[c], steadyApps[c].url, plan.warmup[concurrency]);
            segments[c].push(await segment(steadyApps[c], users[c], plan.perRound[concurrency]));
          }
        }
        for (const c of contenders) {
          rows[c][`c${concurrency}`] = summarize(
            segments[c],
            c === 'ours' ? segments.alternative : undefined,
          );
          for (const u of users[c]) u.close();
        }
      }
      for (const c of contenders) results.steady.push(rows[c]);
      log(`steady ${protocol}, ${agentMode} agent: ${seconds(t).toFixed(1)} s`);
      for (const c of contenders) {
        const { c1, c32 } = rows[c];
        log(
          `  ${c.padEnd(11)} c1 ${c1.loginsPerSecond}/s p50 ${c1.callbackP50ms} ms, conn ${c1.connectionsPerLogin}` +
            ` | c32 ${c32.loginsPerSecond}/s p50 ${c32.callbackP50ms} p99 ${c32.callbackP99ms} ms,` +
            ` cpu ${c32.cpuMsPerLogin} ms, conn ${c32.connectionsPerLogin}, tls ${c32.handshakesPerLogin}`,
        );
      }
    }
  }

  // The strategy alone: no framework, only the app's CPU per login, ours vs the alternative.
  if (phases.has('strategy')) {
    results.strategy = await strategyPhase({
      start,
      emulator,
      authorizeBase,
      client,
      plan: plan.strategy,
      log,
    });
    log(`strategy phase: ${results.strategy.seconds} s`);
  }

  // Memory: fresh app processes, HTTP, Node's default agent, 32 users each; the contenders alternate
  // in chunks. RSS and heap are read after two full collections.
  if (phases.has('memory')) {
    const t = performance.now();
    const { first, total, chunk } = plan.memory;
    for (const c of contenders) await configure(memoryApps[c], 'http', 'default');
    const users = Object.fromEntries(
      contenders.map((c) => [c, Array.from({ length: 32 }, () => new VirtualUser())]),
    );
    const done = Object.fromEntries(contenders.map((c) => [c, 0]));
    const loginMs = Object.fromEntries(contenders.map((c) => [c, 0]));
    const snapshots = Object.fromEntries(contenders.map((c) => [c, {}]));
    const runTo = async (target) => {
      while (contenders.some((c) => done[c] < target)) {
        for (const c of contenders) {
          const n = Math.min(chunk, target - done[c]);
          if (n <= 0) continue;
          const { ms } = await runLogins(users[c], memoryApps[c].url, n);
          done[c] += n;
          loginMs[c] += ms;
        }
      }
    };
    const snapshot = async (label) => {
      for (const c of contenders) {
        const m = await memoryApps[c].call('gc');
        const e = await emulator('counters', memoryApps[c].listener);
        snapshots[c][label] = {
          logins: done[c],
          rssMB: m.rss / 2 ** 20,
          heapUsedMB: m.heapUsed / 2 ** 20,
          heapTotalMB: m.heapTotal / 2 ** 20,
          externalMB: m.external / 2 ** 20,
          connections: e.connections,
        };
      }
    };
    await runTo(first);
    await snapshot('first');
    await runTo(total);
    await snapshot('last');
    for (const c of contenders) for (const u of users[c]) u.close();
    const mb = (x) => Math.round(x * 10) / 10;
    results.memory = {
      protocol: 'http',
      concurrency: 32,
      seconds: Math.round(seconds(t)),
      contenders: Object.fromEntries(
        contenders.map((c) => {
          const { first: a, last: b } = snapshots[c];
          const outcomes = { loginsPerSecond: Math.round((total / loginMs[c]) * 1000) };
          return [
            c,
            {
              after: Object.fromEntries(
                [a, b].map((x) => [
                  x.logins,
                  {
                    rssMB: mb(x.rssMB),
                    heapUsedMB: mb(x.heapUsedMB),
                    heapTotalMB: mb(x.heapTotalMB),
                    externalMB: mb(x.externalMB),
                  },
                ]),
              ),
              first: a.logins,
              last: b.logins,
              rssGrowthMB: mb(b.rssMB - a.rssMB),
              heapGrowthMB: mb(b.heapUsedMB - a.heapUsedMB),
              connectionsPerLogin:
                Math.round(((b.connections - a.connections) / (b.logins - a.logins)) * 10_000) / 10_000,
              ...outcomes,
            },
          ];
        }),
      ),
    };
    for (const c of contenders) {
      const m = results.memory.contenders[c];
      log(
        `memory ${c}: RSS ${m.after[first].rssMB} -> ${m.after[total].rssMB} MB (${m.rssGrowthMB >= 0 ? '+' : ''}${m.rssGrowthMB}),` +
          ` heap ${m.after[first].heapUsedMB} -> ${m.after[total].heapUsedMB} MB`,
      );
    }
    log(`memory check (${total} logins per contender, alternating): ${results.memory.seconds} s`);
  }

  // Tickets: the same app and strategy, a login with the tickets option against one without, at
  // c=1 with every answer of the token endpoint, /api/public/me and the tickets list delayed by
  // `delayMs` at the emulator, so that the callback's p50 counts sequential round trips. The
  // emulator's first user (4242) holds twelve tickets, seven for event 7210. Variants alternate
  // round by round; requests per login are read from the emulator's per-endpoint counters.
  if (phases.has('tickets')) {
    const t = performance.now();
    const { delayMs, rounds, perRound, warmup } = plan.tickets;
    const app = steadyApps.ours;
    const check = { organizerId: 1017, eventId: 7210, required: true };
    const variants = [
      { name: 'without tickets', tickets: undefined },
      { name: 'with tickets (all on one page of 100)', tickets: check },
      { name: 'with tickets, perPage 10 (two pages)', tickets: { ...check, perPage: 10 } },
    ];
    for (const endpoint of ['token', 'me', 'tickets']) {
      await emulator('inject', { endpoint, fault: { delayMs } });
    }
    const users = [new VirtualUser()];
    const segments = variants.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const order = variants.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order) {
        await configure(app, 'http', 'default', undefined, variants[i].tickets);
        await runLogins(users, app.url, warmup);
        const before = await emulator('counts');
        const { latencies } = await runLogins(users, app.url, perRound);
        const after = await emulator('counts');
        const requests = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
        segments[i].push({ latencies, requests });
      }
    }
    await emulator('clearFaults');
    for (const u of users) u.close();
    const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
    results.tickets = {
      delayMs,
      concurrency: 1,
      rounds,
      perRound,
      seconds: Math.round(seconds(t)),
      variants: variants.map((v, i) => {
        const all = segments[i].flatMap((s) => s.latencies).sort((a, b) => a - b);
        const roundP50s = segments[i].map((s) =>
          percentile(
            [...s.latencies].sort((a, b) => a - b),
            50,
          ),
        );
        const logins = all.length;
        const per = (endpoint) =>
          round(segments[i].reduce((n, s) => n + s.requests[endpoint], 0) / logins, 3);
        const requestsPerLogin = { token: per('token'), me: per('me'), tickets: per('tickets') };
        return {
          name: v.name,
          option: v.tickets ?? null,
          logins,
          callbackP50ms: round(percentile(all, 50)),
          callbackP90ms: round(percentile(all, 90)),
          roundP50Range: [round(Math.min(...roundP50s)), round(Math.max(...roundP50s))],
          p50InDelays: round(percentile(all, 50) / delayMs),
          requestsPerLogin,
          requestsToEventpopPerLogin: round(
            requestsPerLogin.token + requestsPerLogin.me + requestsPerLogin.tickets,
            3,
          ),
        };
      }),
    };
    log(`tickets (delay ${delayMs} ms per answer, c=1): ${results.tickets.seconds} s`);
    for (const v of results.tickets.variants) {
      log(
        `  ${v.name.padEnd(40)} p50 ${v.callbackP50ms} ms (${v.p50InDelays} delays), p90 ${v.callbackP90ms} ms, ` +
          `requests to Eventpop per login ${v.requestsToEventpopPerLogin} (token ${v.requestsPerLogin.token}, me ${v.requestsPerLogin.me}, tickets ${v.requestsPerLogin.tickets})`,
      );
    }
  }

  // Eventpop down: the token endpoint accepts and never answers. `inFlight` logins are started either
  // all at once ("burst") or spread over `rampMs` ("ramp", so that all are in flight together but the
  // app is not also absorbing a 500-request spike), while a separate process probes /health every 10 ms.
  const probe = phases.has('down') ? start('probe.mjs', [], 'health probe') : undefined;
  await probe?.ready;
  for (const protocol of phases.has('down') ? protocols : []) {
    for (const arrival of ['burst', 'ramp']) {
      for (const c of contenders) {
        const row = await down(steadyApps[c], protocol, arrival);
        results.down.push(row);
        log(
          `down ${protocol} ${arrival} ${c}: ${row.endedWithTimeoutError}/${row.inFlight} ETIMEDOUT (${row.endedWithinTimeoutPlus1s} within ` +
            `${plan.down.timeout + 1000} ms), ${row.stillHangingAtCap} hanging at ${row.capMs} ms, peak in flight ${row.peakInFlight}, ` +
            `open sockets at end ${row.openSocketsAtEnd} (zero after ${row.msToZeroOpenSockets ?? '-'} ms), ` +
            `health p99 ${row.health.p99ms} ms, app loop delay max ${row.appEventLoopDelay.maxMs} ms`,
        );
      }
    }
  }

  async function down(app, protocol, arrival) {
    const c = app.contender;
    const { inFlight, timeout, alternativeCap, rampMs } = plan.down;
    await configure(app, protocol, 'default', c === 'ours' ? timeout : undefined);
    await emulator('destroyConnections', app.listener);
    await waitFor(async () => (await emulator('counters', app.listener)).open === 0, 2_000);
    const users = Array.from({ length: inFlight }, () => new VirtualUser());
    const callbackURLs = await mapLimit(users, 50, (u) => u.startLogin(app.url));
    await emulator('inject', { endpoint: 'token', fault: { hang: true } });
    await emulator('resetPeak', app.listener);
    const cap = c === 'ours' ? timeout + 5_000 : alternativeCap;
    await app.call('resetWindow');
    await probe.call('start', { url: app.url, everyMs: 10 });
    const t0 = performance.now();
    let now = 0;
    let peakInFlight = 0;
    const outcomes = await Promise.all(
      users.map(async (u, i) => {
        if (arrival === 'ramp') await new Promise((resolve) => setTimeout(resolve, (i / inFlight) * rampMs));
        peakInFlight = Math.max(peakInFlight, ++now);
        const t = performance.now();
        try {
          const { ms, res } = await u.finishLogin(callbackURLs[i], cap);
          return { ms, status: res.status, code: safeCode(res.body) };
        } catch {
          return { ms: performance.now() - t, status: 0, code: 'still hanging' };
        } finally {
          now -= 1;
        }
      }),
    );
    const settledMs = performance.now() - t0;
    // Sockets to Eventpop: open at the emulator right after the last login ended, then how long
    // until none is left (bounded).
    const openAtEnd = (await emulator('counters', app.listener)).open;
    const appAtEnd = await app.call('stats');
    const tz = performance.now();
    const zero = await waitFor(async () => (await emulator('counters', app.listener)).open === 0, 2_000);
    const msToZero = zero ? Math.round(performance.now() - tz) : undefined;
    const health = (await probe.call('stop')).map((x) => x ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const counters = await emulator('counters', app.listener);
    await emulator('clearFaults');
    // The alternative's requests hang until the emulator drops them; drop them now so the app recovers.
    await emulator('destroyConnections', app.listener);
    for (const u of users) u.close();

    const timedOut = outcomes.filter((o) => o.status === 502 && o.code === 'ETIMEDOUT');
    const hanging = outcomes.filter((o) => o.status === 0).length;
    const round2 = (x) => Math.round(x * 100) / 100;
    return {
      protocol,
      arrival,
      contender: c,
      inFlight,
      rampMs: arrival === 'ramp' ? rampMs : 0,
      peakInFlight,
      timeoutMs: c === 'ours' ? timeout : null,
      capMs: cap,
      endedWithTimeoutError: timedOut.length,
      endedWithinTimeoutPlus1s: timedOut.filter((o) => o.ms <= timeout + 1_000).length,
      stillHangingAtCap: hanging,
      otherOutcomes: outcomes.length - timedOut.length - hanging,
      slowestMs: Math.round(Math.max(...outcomes.map((o) => o.ms))),
      allSettledMs: Math.round(settledMs),
      peakOpenSockets: counters.peakOpen,
      openSocketsAtEnd: openAtEnd,
      appAgentSocketsAtEnd: appAtEnd.sockets.active + appAtEnd.sockets.free,
      msToZeroOpenSockets: msToZero ?? null,
      appEventLoopDelay: { maxMs: Math.round(appAtEnd.loop.maxMs), p99Ms: Math.round(appAtEnd.loop.p99Ms) },
      appTimeline: appAtEnd.timeline,
      health: {
        probes: health.length,
        p50ms: round2(percentile(health, 50)),
        p99ms: round2(percentile(health, 99)),
        maxMs: round2(health.at(-1)),
        failed: health.filter((x) => !Number.isFinite(x)).length,
      },
    };
  }

  results.targets = evaluateTargets(results);
  results.seconds = Math.round(seconds(started));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${resultsName}.json`), `${JSON.stringify(results, null, 2)}\n`);
  // The chart shows the steady state; a run without that phase has nothing to draw.
  if (results.steady.length) writeFileSync(join(outDir, `${resultsName}.svg`), svg(results));
  log('');
  log(markdown(results));
  log(
    `\nWrote ${join(outDir, `${resultsName}.json`)}${results.steady.length ? ` and ${resultsName}.svg` : ''}; total ${results.seconds} s.`,
  );
} finally {
  for (const child of children) if (child.exitCode === null) child.kill();
  rmSync(tmp, { recursive: true, force: true });
}

/** Polls `check` every 20 ms until it holds or `limitMs` passes; returns whether it held. */
async function waitFor(check, limitMs) {
  const end = performance.now() + limitMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function safeCode(body) {
  try {
    return JSON.parse(body).code ?? 'none';
  } catch {
    return 'not json';
  }
}
