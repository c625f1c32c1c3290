// The strategy phase of `npm run bench`: CPU per login of the strategy alone, ours vs the hand-written one, in alternating rounds.
//
// Each contender runs in its own process (bench/strategy-app.mjs), which drives logins straight
// through `strategy.authenticate()` and counts only its own CPU time. Both reach the emulator (another
// process) over HTTP on loopback with Node's default agent, each through a listener of its own.
// This process is the browser: it takes each authorize redirect to the emulator (autoApprove) and
// hands the callback's query back. A round is `logins` complete logins of one contender; rounds
// alternate between the contenders (the order flipped every round) until the 95% interval of
// every median per-round ratio is at most `resolution` wide, or `maxRounds` is reached. The
// contenders are ours with its defaults (`ours`), ours with `pkce: false` (`ours-nopkce`, like
// for like with the alternative, which has no PKCE) and the alternative; each of ours is paired
// with the alternative's round next to it. With `plan.baseline` (a directory holding a built
// checkout of another commit), `baseline` runs that build with its defaults, and the log also gives
// ours ÷ baseline, paired the same way: what a change bought, measured in one run.
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { get, mapLimit } from './browser.mjs';
import { describeOptions } from './report.mjs';
import { bootstrapMedianInterval, median, quantile } from './stats.mjs';

/** The callback URL both contenders register; nothing listens there, the browser never follows it. */
export const STRATEGY_CALLBACK_URL = 'http://localhost:3000/auth/eventpop/callback';

/** The contenders the phase can run; `plan.contenders` picks among them (the alternative always runs). */
export const STRATEGY_CONTENDERS = ['ours', 'ours-nopkce', 'baseline', 'alternative'];

/**
 * Starts a strategy app (`args`: its contender, and a baseline's directory) with a listener of the
 * emulator of its own named `listener`, and configures it for `client`; resolves with its IPC call
 * and the options it reports.
 */
export async function startStrategyApp({ start, emulator, authorizeBase, client }, args, listener) {
  const p = start('strategy-app.mjs', args, `strategy app (${args[0]})`);
  await p.ready;
  const tokenBase = await emulator('listen', { name: listener, protocol: 'http' });
  const options = await p.call('configure', {
    tokenBase,
    authorizationURL: `${authorizeBase}/oauth/authorize`,
    clientID: client.clientId,
    clientSecret: client.clientSecret,
    callbackURL: STRATEGY_CALLBACK_URL,
  });
  return { call: p.call, options };
}

/** The browser's part of a round: each authorize URL taken to the emulator, the callback's query of each. */
export function approve(urls, agent) {
  return mapLimit(urls, 32, async (url) => {
    const res = await get(url, { agent });
    if (res.status !== 302)
      throw new Error(`/oauth/authorize answered ${res.status}: ${res.body.slice(0, 200)}`);
    return Object.fromEntries(new URL(res.headers.location).searchParams);
  });
}

/**
 * Runs the phase. `start(script, args, label)` forks a child as bench/run.mjs does; `emulator` calls
 * the emulator child; `client` is the emulator's registered client. Returns the results' `strategy` entry.
 */
export async function strategyPhase({ start, emulator, authorizeBase, client, plan, log }) {
  const t = performance.now();
  const contenders =
    plan.contenders ?? STRATEGY_CONTENDERS.filter((c) => c !== 'baseline' || plan.baseline !== undefined);
  if (contenders.includes('baseline') && plan.baseline === undefined)
    throw new Error('the baseline contender needs --strategy-baseline=<dir>');
  if (contenders.at(-1) !== 'alternative' || contenders.some((c) => !STRATEGY_CONTENDERS.includes(c)))
    throw new Error(`strategy contenders: some of ${STRATEGY_CONTENDERS.join(', ')}, the alternative last`);
  /** Ours, in each of its settings: each compared with the alternative. */
  const mine = contenders.slice(0, -1);
  const apps = {};
  const options = {};
  for (const c of contenders) {
    const args = c === 'baseline' ? [c, plan.baseline] : [c];
    const app = await startStrategyApp({ start, emulator, authorizeBase, client }, args, `strategy-${c}`);
    apps[c] = app.call;
    options[c] = app.options;
    log(`strategy ${c} on Node ${options[c].node}: ${describeOptions(options[c])}`);
  }

  const browser = new http.Agent({ keepAlive: true, maxSockets: 32 });
  /** One round: `n` logins of contender `c` at `concurrency`; the app's CPU for both of its steps. */
  async function round(c, n, concurrency) {
    const authorized = await apps[c]('authorize', { n, concurrency });
    const queries = await approve(authorized.urls, browser);
    const called = await apps[c]('callback', { queries, concurrency });
    return { cpuMicros: authorized.cpuMicros + called.cpuMicros, callbackMs: called.ms, logins: n };
  }

  const { logins, warmupRounds, minRounds, maxRounds, resolution } = plan;
  const result = {
    protocol: 'http',
    agent: 'default',
    loginsPerRound: logins,
    resolution,
    contenders,
    options,
  };
  try {
    for (const concurrency of [1, 32]) {
      const tc = performance.now();
      // Not counted: lets V8 optimize both contenders' paths at this concurrency first (one round
      // was not enough: CPU per login still fell over the next five or so).
      for (let w = 0; w < warmupRounds; w++) for (const c of contenders) await round(c, logins, concurrency);
      const perLogin = Object.fromEntries(contenders.map((c) => [c, []]));
      const ratios = Object.fromEntries(mine.map((c) => [c, []]));
      const intervals = {};
      const resolved = () => mine.every((c) => intervals[c][1] - intervals[c][0] <= resolution);
      for (let r = 0; r < maxRounds; r++) {
        // Reversed every other round: each of ours runs as often before the alternative as after it.
        const order = r % 2 === 0 ? contenders : [...contenders].reverse();
        for (const c of order) {
          const x = await round(c, logins, concurrency);
          perLogin[c].push(x.cpuMicros / 1000 / x.logins);
        }
        // Paired: round r of ours ran next to round r of the alternative, so their ratio cancels
        // the slow drifts of a shared machine.
        for (const c of mine) ratios[c].push(perLogin[c][r] / perLogin.alternative[r]);
        if (r + 1 < minRounds) continue;
        for (const c of mine) intervals[c] = bootstrapMedianInterval(ratios[c]);
        if (resolved()) break;
      }
      const summary = (c) => {
        const sorted = [...ratios[c]].sort((a, b) => a - b);
        return {
          median: round3(median(sorted)),
          q1: round3(quantile(sorted, 0.25)),
          q3: round3(quantile(sorted, 0.75)),
          min: round3(sorted[0]),
          max: round3(sorted.at(-1)),
          interval95: intervals[c].map(round3),
        };
      };
      const rounds = perLogin.alternative.length;
      const entry = {
        concurrency,
        rounds,
        resolved: resolved(),
        seconds: Math.round((performance.now() - tc) / 1000),
        cpuMsPerLogin: Object.fromEntries(contenders.map((c) => [c, round3(median(perLogin[c]))])),
        // `ratio` is ours with its defaults; `ratios` has each of ours (defaults and like for like).
        ratio: mine.includes('ours') ? summary('ours') : undefined,
        ratios: Object.fromEntries(mine.map((c) => [c, summary(c)])),
        perRound: {
          ...Object.fromEntries(contenders.map((c) => [c, perLogin[c].map(round3)])),
          ratios: Object.fromEntries(mine.map((c) => [c, ratios[c].map(round3)])),
        },
      };
      result[`c${concurrency}`] = entry;
      if (ratios.ours && ratios.baseline) {
        const change = ratios.ours.map((x, i) => x / ratios.baseline[i]);
        entry.oursOverBaseline = {
          median: round3(median(change)),
          interval95: bootstrapMedianInterval(change).map(round3),
        };
        log(
          `strategy c=${concurrency}: ours ÷ baseline (${plan.baseline}), paired: x${entry.oursOverBaseline.median} ` +
            `(95% interval x${entry.oursOverBaseline.interval95[0]}-x${entry.oursOverBaseline.interval95[1]})`,
        );
      }
      for (const c of mine) {
        const x = entry.ratios[c];
        log(
          `strategy c=${concurrency}: ${rounds} paired rounds of ${logins} logins, ${entry.seconds} s; CPU per login ` +
            `${c} ${entry.cpuMsPerLogin[c]} ms vs alternative ${entry.cpuMsPerLogin.alternative} ms, ratio x${x.median} ` +
            `(95% interval x${x.interval95[0]}-x${x.interval95[1]}, quartiles x${x.q1}-x${x.q3})`,
        );
      }
    }
  } finally {
    browser.destroy();
    for (const c of contenders) await apps[c]('close').catch(() => {});
  }
  result.seconds = Math.round((performance.now() - t) / 1000);
  return result;
}

const round3 = (x) => Math.round(x * 1000) / 1000;
