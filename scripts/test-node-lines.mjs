// Runs the README's test command (`npm test`) once per supported Node line, newest first, each on its pinned binary.
//
// `npm run test:node-lines` (and `.ci/run`, after install, build, typecheck and lint) runs every
// line in scripts/node-lines.mjs; `-- --lines=26,20` picks some. Each pass puts that line's binary
// first on PATH, so `node`, npm itself, every child process and `process.execPath` are that Node.
// Every line runs even when one fails; the summary says which passed, and the exit code is 1 if any
// did not.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findPin, NODE_LINES, pinnedNode } from './node-lines.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const pins = arg('lines') ? arg('lines').split(',').map(findPin) : NODE_LINES;
// A pass that outlives the suite's own three-minute budget is stopped, so that four passes stay
// within CI's 15 minutes even when one of them hangs.
const passLimitMs = Number(arg('timeout-ms') ?? 180_000);

const log = (line) => process.stdout.write(`${line}\n`);
let current; // the pass in progress, stopped with its whole process group if this process is

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current?.pid) process.kill(-current.pid, 'SIGKILL');
    process.exit(130);
  });
}

const results = [];
for (const pin of pins) {
  log(`\n==== Node ${pin.line} (pinned ${pin.version}) ====`);
  let t0 = performance.now();
  let outcome;
  try {
    const binary = await pinnedNode(pin, { log });
    const env = envFor(binary);
    checkRuntime(pin, env);
    t0 = performance.now(); // the duration is the suite's, not the first run's download
    outcome = await npmTest(env);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    outcome = 'failed (could not set up this Node)';
  }
  const seconds = (performance.now() - t0) / 1000;
  results.push({ pin, outcome, seconds });
  log(`==== Node ${pin.line} (${pin.version}): ${outcome} in ${seconds.toFixed(1)} s ====`);
}

log('\nnpm test on each supported Node line:\n');
log('| Node line | version | result | duration |');
log('|---|---|---|---|');
for (const { pin, outcome, seconds } of results) {
  log(`| ${pin.line} | ${pin.version} | ${outcome} | ${seconds.toFixed(1)} s |`);
}
const failed = results.filter((r) => r.outcome !== 'passed');
log(
  failed.length
    ? `\n${failed.length} of ${results.length} Node lines failed.`
    : `\nAll ${results.length} Node lines passed.`,
);
process.exitCode = failed.length ? 1 : 0;

/** This process's environment with `binary`'s directory first on PATH and npm's record of its own Node dropped. */
function envFor(binary) {
  const env = { ...process.env, PATH: `${dirname(binary)}:${process.env.PATH ?? ''}` };
  // Set by an npm that started this script (`npm run`); the npm of the pass sets its own.
  delete env.NODE;
  delete env.npm_node_execpath;
  return env;
}

/** Checks that `node` and npm's own Node in `env` are the pinned version, and says where they are. */
function checkRuntime(pin, env) {
  const node = spawnSync('node', ['-p', 'process.version + " " + process.execPath'], {
    env,
    encoding: 'utf8',
  });
  const [nodeVersion, execPath] = node.stdout.trim().split(' ');
  const npm = spawnSync('npm', ['version', '--json'], { cwd: root, env, encoding: 'utf8' });
  const versions = npm.status === 0 ? JSON.parse(npm.stdout) : {};
  log(`node ${nodeVersion} at ${execPath}; npm ${versions.npm} running on Node v${versions.node}`);
  if (nodeVersion !== `v${pin.version}` || versions.node !== pin.version) {
    throw new Error(`expected Node v${pin.version} for both node and npm; PATH gave the ones above`);
  }
}

/** `npm test` in its own process group (so a stuck pass can be stopped whole); resolves with the outcome. */
function npmTest(env) {
  return new Promise((done) => {
    const child = spawn('npm', ['test'], { cwd: root, env, stdio: 'inherit', detached: true });
    current = child;
    let stopped = false;
    const timer = setTimeout(() => {
      log(`\nnpm test did not finish within ${passLimitMs / 1000} s; stopping it.`);
      stopped = true;
      process.kill(-child.pid, 'SIGKILL');
    }, passLimitMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      done(`failed (${err.message})`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      if (code === 0) done('passed');
      else if (stopped) done(`failed (stopped after ${passLimitMs / 1000} s)`);
      else done(`failed (exit ${code ?? signal})`);
    });
  });
}
