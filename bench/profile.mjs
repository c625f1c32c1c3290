// Where the strategy phase's CPU goes: logins of one contender under `--cpu-prof`, self time per function and per file.
//
// `node bench/profile.mjs <ours|ours-nopkce|alternative> [--logins=1500] [--rounds=8] [--concurrency=1]`
// runs the strategy phase's app (bench/strategy-app.mjs) under V8's sampling profiler against the
// emulator in another process, with the phase's browser in this one, so the profile holds the app's
// work only. It prints self time in microseconds per login, summed by file group (our dist/,
// passport-oauth2, node-oauth, Node's own modules, GC, native) and for the heaviest functions, and
// keeps the .cpuprofile under bench/out/ for Chrome DevTools. The first `--warmup` rounds run
// before the profiler starts, as the phase's warm-up rounds do. Add `--node=24` to run it on the
// pinned Node 24. Profiles of two contenders are comparable only from the same Node and machine.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reexecOnNodeArg } from '../scripts/node-lines.mjs';
import { connect, ready } from './ipc.mjs';
import { approve, STRATEGY_CALLBACK_URL, startStrategyApp } from './strategy-phase.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};

await reexecOnNodeArg(fileURLToPath(import.meta.url), { log: console.log });

const contender = process.argv[2];
const logins = Number(arg('logins', 1500));
const rounds = Number(arg('rounds', 8));
const warmup = Number(arg('warmup', 3));
const concurrency = Number(arg('concurrency', 1));
const top = Number(arg('top', 30));

const children = [];
const start = (script, args, label) => {
  const child = fork(join(here, script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return { call: connect(child, label), ready: ready(child, label) };
};

try {
  const emu = start('emulator.mjs', [], 'emulator');
  await emu.ready;
  const client = {
    clientId: 'profile-client',
    clientSecret: randomBytes(32).toString('hex'),
    name: 'Profile',
    redirectUris: [STRATEGY_CALLBACK_URL],
  };
  const { url: authorizeBase } = await emu.call('start', { clients: [client] });
  const app = await startStrategyApp(
    { start, emulator: emu.call, authorizeBase, client },
    [contender],
    'profile',
  );
  const { options } = app;

  const browser = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let cpuMicros = 0;
  let systemMicros = 0;
  let authorizeMicros = 0;
  let loops = 0;
  const round = async () => {
    const authorized = await app.call('authorize', { n: logins, concurrency });
    const queries = await approve(authorized.urls, browser);
    const called = await app.call('callback', { queries, concurrency });
    loops += called.loops ?? Number.NaN;
    return [
      authorized.cpuMicros + called.cpuMicros,
      authorized.systemMicros + called.systemMicros,
      authorized.cpuMicros,
    ];
  };
  for (let r = 0; r < warmup; r++) await round();
  loops = 0;
  // --v8=false: no V8 profiler, for a run under a system profiler (`perf record -a`) instead.
  const v8 = arg('v8', 'true') !== 'false';
  console.log(`app pid ${children.at(-1).pid}, emulator pid ${children[0].pid}`);
  // --heap: where the rounds allocate (V8's sampling heap profiler) instead of where they spend CPU.
  const heap = process.argv.includes('--heap');
  if (v8) await app.call('profile', heap ? 'heap-start' : 'start');
  const emulatorCPU = await emu.call('cpuUsage');
  for (let r = 0; r < rounds; r++) {
    const [cpu, system, authorize] = await round();
    cpuMicros += cpu;
    systemMicros += system;
    authorizeMicros += authorize;
  }
  const profile = v8
    ? await app.call('profile', heap ? 'heap-stop' : 'stop')
    : { nodes: [], samples: [], timeDeltas: [] };
  browser.destroy();
  await app.call('close');

  const n = logins * rounds;
  const emulatorAfter = await emu.call('cpuUsage');
  const emulatorMicros = emulatorAfter.user + emulatorAfter.system - emulatorCPU.user - emulatorCPU.system;
  console.log(
    `${contender} on Node ${options.node}, c=${concurrency}: ${n} logins profiled; process.cpuUsage ` +
      `${(cpuMicros / n).toFixed(1)} µs per login (authorize step ${(authorizeMicros / n).toFixed(1)}; ` +
      `${(systemMicros / n).toFixed(1)} in the kernel); the emulator ${(emulatorMicros / n).toFixed(1)} µs per login` +
      (Number.isNaN(loops) ? '' : `; ${(loops / n).toFixed(2)} event loop turns per login's callback`),
  );
  if (heap) printAllocations(profile, n, top);
  else printSelfTimes(profile, n);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill();
}

/** Self time per file group and per function, per login; the profile itself under bench/out/. */
function printSelfTimes(profile, n) {
  const outDir = join(here, 'out');
  mkdirSync(outDir, { recursive: true });
  const file = join(
    outDir,
    `profile-${contender}-c${concurrency}-node${process.versions.node.split('.')[0]}.cpuprofile`,
  );
  writeFileSync(file, JSON.stringify(profile));

  const { byGroup, byFunction, totalMicros } = selfTimes(profile);
  const perLogin = (us) => (us / n).toFixed(1).padStart(7);
  console.log(
    `profiler samples ${(totalMicros / n).toFixed(1)} µs per login (idle excluded, the IPC between batches included)`,
  );
  console.log('\nself µs/login  group');
  for (const [g, us] of [...byGroup].sort((a, b) => b[1] - a[1])) console.log(`${perLogin(us)}  ${g}`);
  console.log(`\nself µs/login  function (file:line), top ${top}`);
  for (const [f, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${perLogin(us)}  ${f}`);
  }
  console.log(`\nProfile: ${file}`);
}

/** Bytes allocated per login by function (self), from a sampling heap profile. */
function printAllocations(profile, n, top) {
  const byFunction = new Map();
  let total = 0;
  const walk = (node) => {
    const bytes = node.selfSize;
    if (bytes) {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url ? url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/') : '';
      const key = `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + bytes);
      total += bytes;
    }
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  console.log(`\n${(total / n).toFixed(0)} bytes allocated per login (sampled); by function, top ${top}:`);
  for (const [f, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(bytes / n).toFixed(0).padStart(7)}  ${f}`);
  }
}

/** Self time per file group and per function, from the samples' time deltas (idle left out). */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byGroup = new Map();
  const byFunction = new Map();
  let totalMicros = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    if (functionName === '(idle)') return;
    const us = profile.timeDeltas[i] ?? 0;
    totalMicros += us;
    const group = groupOf(url, functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
    const file = url ? url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/') : '';
    const key = `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  });
  return { byGroup, byFunction, totalMicros };
}

function groupOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : 'native (V8 builtins, C++)';
  if (url.includes('/dist/')) return `ours: ${url.slice(url.indexOf('/dist/') + 1)}`;
  if (url.includes('/node_modules/passport-oauth2/')) return 'passport-oauth2';
  if (url.includes('/node_modules/oauth/')) return 'node-oauth (oauth)';
  if (url.includes('/node_modules/')) return 'other node_modules';
  if (url.includes('/bench/')) return 'bench driver (strategy-app.mjs, ipc.mjs)';
  if (url.startsWith('node:')) return url.replace('node:internal/', 'node:');
  return url;
}
