// The benchmark's outputs: percentiles, the targets' verdicts, the Markdown tables and the SVG chart.

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** "No worse than the alternative" allows this much above it: the run-to-run noise seen on this machine. */
export const NOISE = 0.05;
const CONNECTIONS_TARGET = 0.05;
const RSS_TARGET_MB = 10;
const HEALTH_P99_TARGET_MS = 50;

const fmt = (x, digits = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? '-' : Number(x).toFixed(digits);
const thousands = (n) => n.toLocaleString('en-US');

function row(results, protocol, agent, contender) {
  return results.steady.find(
    (r) => r.protocol === protocol && r.agent === agent && r.contender === contender,
  );
}

/** Each target of the issue with the figures that decide it: `met` true or false. */
export function evaluateTargets(results) {
  const targets = [];
  for (const protocol of ['http', 'https']) {
    for (const agent of ['default', 'caller']) {
      const ours = row(results, protocol, agent, 'ours');
      if (!ours) continue;
      const figures = [ours.c1, ours.c32].flatMap((c) =>
        protocol === 'https' ? [c.connectionsPerLogin, c.handshakesPerLogin] : [c.connectionsPerLogin],
      );
      targets.push({
        target: `<= ${CONNECTIONS_TARGET} new connections${protocol === 'https' ? ' and TLS handshakes' : ''} per login, ${protocol.toUpperCase()}, ${agent} agent, c=1 and c=32`,
        met: figures.every((x) => x <= CONNECTIONS_TARGET),
        detail:
          `connections ${fmt(ours.c1.connectionsPerLogin, 3)} / ${fmt(ours.c32.connectionsPerLogin, 3)}` +
          (protocol === 'https'
            ? `, handshakes ${fmt(ours.c1.handshakesPerLogin, 3)} / ${fmt(ours.c32.handshakesPerLogin, 3)}`
            : ''),
      });
    }
  }
  for (const protocol of ['http', 'https']) {
    for (const agent of ['default', 'caller']) {
      const ours = row(results, protocol, agent, 'ours');
      const alt = row(results, protocol, agent, 'alternative');
      if (!ours || !alt) continue;
      for (const c of ['c1', 'c32']) {
        const v = ours[c].vsAlternative;
        targets.push({
          target: `CPU per login and callback p50 no worse than the alternative's (median of ${v.rounds} paired rounds within +${NOISE * 100}%), ${protocol.toUpperCase()}, ${agent} agent, ${c.replace('c', 'c=')}`,
          met: v.cpuRatioMedian <= 1 + NOISE && v.p50RatioMedian <= 1 + NOISE,
          detail:
            `CPU ${fmt(ours[c].cpuMsPerLogin, 3)} vs ${fmt(alt[c].cpuMsPerLogin, 3)} ms, ours/alternative median x${fmt(v.cpuRatioMedian)} ` +
            `(rounds x${fmt(v.cpuRatioRange[0])} to x${fmt(v.cpuRatioRange[1])}); p50 ${fmt(ours[c].callbackP50ms)} vs ` +
            `${fmt(alt[c].callbackP50ms)} ms, median x${fmt(v.p50RatioMedian)} (x${fmt(v.p50RatioRange[0])} to x${fmt(v.p50RatioRange[1])})`,
        });
      }
    }
  }
  for (const c of [results.strategy?.c1, results.strategy?.c32]) {
    if (!c?.ratio) continue;
    const r = c.ratio;
    targets.push({
      target: `Strategy alone: CPU per login at or below the alternative's (median of ${c.rounds} paired rounds <= x1.00), c=${c.concurrency}`,
      met: r.median <= 1,
      detail:
        `${fmt(c.cpuMsPerLogin.ours, 3)} vs ${fmt(c.cpuMsPerLogin.alternative, 3)} ms, x${fmt(r.median, 3)} ` +
        `(95% interval x${fmt(r.interval95[0], 3)} to x${fmt(r.interval95[1], 3)})`,
    });
  }
  if (results.memory) {
    const m = results.memory.contenders.ours;
    const a = results.memory.contenders.alternative;
    targets.push({
      target: `RSS growth <= ${RSS_TARGET_MB} MB between ${thousands(m.first)} and ${thousands(m.last)} logins`,
      met: m.rssGrowthMB <= RSS_TARGET_MB,
      detail:
        `ours ${fmt(m.rssGrowthMB, 1)} MB (heapUsed ${fmt(m.heapGrowthMB, 1)} MB); ` +
        `alternative ${fmt(a.rssGrowthMB, 1)} MB (heapUsed ${fmt(a.heapGrowthMB, 1)} MB)`,
    });
  }
  if (results.tickets) {
    const { delayMs, variants } = results.tickets;
    const [plain, onePage] = variants;
    const extra = onePage.callbackP50ms - plain.callbackP50ms;
    targets.push({
      target: `A login with tickets (all on one page) costs the same sequential round trips as one without: callback p50 less than half a delay (${delayMs / 2} ms) above, with ${delayMs} ms per answer`,
      met: extra < delayMs / 2,
      detail:
        `p50 ${fmt(onePage.callbackP50ms)} vs ${fmt(plain.callbackP50ms)} ms (+${fmt(extra)} ms, ${fmt(onePage.p50InDelays)} vs ${fmt(plain.p50InDelays)} delays); ` +
        `requests to Eventpop per login ${fmt(onePage.requestsToEventpopPerLogin, 2)} vs ${fmt(plain.requestsToEventpopPerLogin, 2)}`,
    });
  }
  for (const d of results.down.filter((r) => r.contender === 'ours')) {
    const within = d.timeoutMs + 1000;
    targets.push({
      target: `Eventpop down, ${d.protocol.toUpperCase()}, ${d.arrival === 'ramp' ? `started over ${d.rampMs} ms` : 'started all at once'}: ${d.inFlight} logins in flight all end with the timeout error within ${within} ms, sockets back to 0, /health p99 < ${HEALTH_P99_TARGET_MS} ms`,
      met:
        d.endedWithinTimeoutPlus1s === d.inFlight &&
        d.msToZeroOpenSockets !== null &&
        d.health.p99ms < HEALTH_P99_TARGET_MS &&
        d.health.failed === 0,
      detail:
        `${d.endedWithinTimeoutPlus1s}/${d.inFlight} ETIMEDOUT within ${within} ms (slowest ${d.slowestMs} ms), ` +
        `open sockets ${d.openSocketsAtEnd} when the last login ended, 0 after ${d.msToZeroOpenSockets ?? 'never'} ms, ` +
        `/health p99 ${fmt(d.health.p99ms)} ms (max ${fmt(d.health.maxMs)} ms, ${d.health.probes} probes; ` +
        `the app's event loop was blocked for up to ${d.appEventLoopDelay.maxMs} ms)`,
    });
  }
  return targets;
}

/** The report as Markdown: machine, steady-state table, memory, Eventpop down, targets. */
export function markdown(results) {
  const m = results.machine;
  const lines = [];
  lines.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ${m.date.slice(0, 10)} (${results.mode} run, ${results.seconds} s).`,
  );
  if (results.steady.length) {
    lines.push(
      '',
      '**Steady state** (complete logins, app and emulator on loopback; "c=1 / c=32" are the two concurrencies):',
      '',
      '| Eventpop over | Agent | Contender | Logins/s c=1 / c=32 | Callback p50 c=1 / c=32 (ms) | Callback p99 c=1 / c=32 (ms) | App CPU per login c=1 / c=32 (ms) | New connections per login c=1 / c=32 | TLS handshakes per login c=1 / c=32 |',
      '|---|---|---|---|---|---|---|---|---|',
    );
  }
  for (const r of results.steady) {
    const tls =
      r.protocol === 'https'
        ? `${fmt(r.c1.handshakesPerLogin, 3)} / ${fmt(r.c32.handshakesPerLogin, 3)}`
        : 'n/a';
    lines.push(
      `| ${r.protocol.toUpperCase()} | ${r.agent === 'caller' ? 'caller keep-alive agent' : "Node's default"} | ${r.contender} | ` +
        `${fmt(r.c1.loginsPerSecond, 0)} / ${fmt(r.c32.loginsPerSecond, 0)} | ${fmt(r.c1.callbackP50ms)} / ${fmt(r.c32.callbackP50ms)} | ` +
        `${fmt(r.c1.callbackP99ms)} / ${fmt(r.c32.callbackP99ms)} | ${fmt(r.c1.cpuMsPerLogin, 3)} / ${fmt(r.c32.cpuMsPerLogin, 3)} | ` +
        `${fmt(r.c1.connectionsPerLogin, 3)} / ${fmt(r.c32.connectionsPerLogin, 3)} | ${tls} |`,
    );
  }
  if (results.memory) {
    const mem = results.memory;
    const any = mem.contenders.ours;
    lines.push(
      '',
      `**Memory** of the app process (HTTP, c=32, after two forced full GCs; the check took ${mem.seconds} s for both contenders):`,
      '',
      `| Contender | RSS after ${thousands(any.first)} (MB) | RSS after ${thousands(any.last)} (MB) | RSS growth (MB) | heapUsed after ${thousands(any.first)} (MB) | heapUsed after ${thousands(any.last)} (MB) | heapUsed growth (MB) |`,
      '|---|---|---|---|---|---|---|',
    );
    for (const [name, c] of Object.entries(mem.contenders)) {
      const a = c.after[c.first];
      const b = c.after[c.last];
      lines.push(
        `| ${name} | ${fmt(a.rssMB, 1)} | ${fmt(b.rssMB, 1)} | ${fmt(c.rssGrowthMB, 1)} | ${fmt(a.heapUsedMB, 1)} | ${fmt(b.heapUsedMB, 1)} | ${fmt(c.heapGrowthMB, 1)} |`,
      );
    }
  }
  if (results.tickets) {
    const tk = results.tickets;
    lines.push(
      '',
      `**Ticket holders** (one app, our strategy with and without the \`tickets\` option, c=1, ${tk.rounds} alternating rounds of ${tk.perRound} logins; ` +
        `every answer of the token endpoint, /api/public/me and the tickets list delayed ${tk.delayMs} ms at the emulator; user 4242 holds 12 tickets; the check took ${tk.seconds} s):`,
      '',
      '| Login | Callback p50 (ms) | p50 in delays | Round p50s (ms) | Callback p90 (ms) | Requests to Eventpop per login: token + /me + tickets |',
      '|---|---|---|---|---|---|',
    );
    for (const v of tk.variants) {
      const r = v.requestsPerLogin;
      lines.push(
        `| ${v.name} | ${fmt(v.callbackP50ms)} | ${fmt(v.p50InDelays)} | ${fmt(v.roundP50Range[0])} to ${fmt(v.roundP50Range[1])} | ${fmt(v.callbackP90ms)} | ` +
          `${fmt(v.requestsToEventpopPerLogin, 2)} = ${fmt(r.token, 2)} + ${fmt(r.me, 2)} + ${fmt(r.tickets, 2)} |`,
      );
    }
  }
  if (results.down.length) {
    lines.push(
      '',
      '**Eventpop down** (the token endpoint accepts connections and never answers; the logins start all at once (burst) or ' +
        `spread over ${results.plan.down.rampMs} ms (ramp); /health probed every 10 ms from another process):`,
      '',
      '| Eventpop over | Logins start | Contender | Peak in flight | Ended with ETIMEDOUT (within timeout + 1 s) | Still hanging at the cap | Slowest (ms) | Sockets to Eventpop: peak / open when the last login ended / zero after (ms) | /health p50 / p99 / max (ms) | App event loop blocked, max (ms) |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const d of results.down) {
      const ended = d.timeoutMs
        ? `${d.endedWithTimeoutError} (${d.endedWithinTimeoutPlus1s})`
        : `${d.endedWithTimeoutError} (no timeout)`;
      lines.push(
        `| ${d.protocol.toUpperCase()} | ${d.arrival === 'ramp' ? `over ${thousands(d.rampMs)} ms` : 'all at once'} | ${d.contender}${d.timeoutMs ? ` (timeout ${d.timeoutMs} ms)` : ''} | ${d.peakInFlight} | ${ended} | ` +
          `${d.stillHangingAtCap} at ${thousands(d.capMs)} ms | ${thousands(d.slowestMs)} | ${d.peakOpenSockets} / ${d.openSocketsAtEnd} / ${d.msToZeroOpenSockets ?? 'never'} | ` +
          `${fmt(d.health.p50ms)} / ${fmt(d.health.p99ms)} / ${fmt(d.health.maxMs)} | ${d.appEventLoopDelay.maxMs} |`,
      );
    }
  }
  if (results.strategy) lines.push('', ...strategyMarkdown(results.strategy));
  lines.push('', '**Targets**:', '');
  for (const t of results.targets) lines.push(`- ${t.met ? 'Met' : 'MISSED'}: ${t.target}: ${t.detail}.`);
  return lines.join('\n');
}

/** The options a contender ran with, in a line: what was passed, and what the instance resolved. */
export function describeOptions(o) {
  const given = Object.entries(o.given)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const header =
    o.contender === 'alternative' && o.useAuthorizationHeaderforGET
      ? ', useAuthorizationHeaderforGET(true)'
      : '';
  return `{ ${given} }${header}; state store ${o.stateStore}, PKCE ${o.pkce || 'off'}`;
}

/** The strategy phase's table: median CPU per login of each contender, the ratio and its spread. */
function strategyMarkdown(s) {
  const mine = Object.keys(s.c1?.ratios ?? s.c32?.ratios ?? {});
  const lines = [
    `**The strategy alone** (\`strategy.authenticate()\` on a stub request, no framework; CPU of the app process only; ` +
      `${thousands(s.loginsPerRound)} logins per round, paired rounds alternating; Eventpop over ${s.protocol.toUpperCase()}, Node's default agent; ` +
      'ours-nopkce is ours with `pkce: false`, like for like with the alternative):',
    '',
    '| Concurrency | Ours | Paired rounds | CPU per login, ours (ms) | CPU per login, alternative (ms) | Ours ÷ alternative, median of rounds | 95% interval of the median (bootstrap) | Quartiles of rounds | Range of rounds |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of [s.c1, s.c32]) {
    if (!c) continue;
    for (const m of mine) {
      const r = c.ratios[m];
      lines.push(
        `| ${c.concurrency} | ${m} | ${c.rounds}${c.resolved ? '' : ` (an interval wider than ${s.resolution * 100}%)`} | ${fmt(c.cpuMsPerLogin[m], 3)} | ` +
          `${fmt(c.cpuMsPerLogin.alternative, 3)} | x${fmt(r.median, 3)} | x${fmt(r.interval95[0], 3)} to x${fmt(r.interval95[1], 3)} | ` +
          `x${fmt(r.q1, 3)} to x${fmt(r.q3, 3)} | x${fmt(r.min, 3)} to x${fmt(r.max, 3)} |`,
      );
    }
  }
  lines.push('', 'Options:');
  for (const o of Object.values(s.options)) lines.push(`- ${o.contender}: ${describeOptions(o)}`);
  return lines;
}

const COLORS = { ours: '#1f6fb4', alternative: '#e07b1a' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A two-panel chart, hand-written SVG: callback latency p50 (bar) and p99 (tick) on a log scale, and
 * new connections and TLS handshakes per login on a linear scale with the 0.05 target drawn.
 */
export function svg(results) {
  const W = 1000;
  const H = 430;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-labelledby="title">`,
    '<title id="title">Callback latency and new connections per login: passport-eventpop vs a hand-written passport-oauth2 strategy</title>',
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
  );
  const steady = results.steady.filter((r) => r.agent === 'default');
  const groups = [];
  for (const protocol of ['http', 'https']) {
    for (const c of ['c1', 'c32'])
      groups.push({ label: `${protocol.toUpperCase()} ${c.replace('c', 'c=')}`, protocol, c });
  }

  // Panel 1: latency, log scale.
  {
    const x0 = 60;
    const y0 = 50;
    const w = 400;
    const h = 300;
    const values = steady.flatMap((r) => [
      r.c1.callbackP50ms,
      r.c1.callbackP99ms,
      r.c32.callbackP50ms,
      r.c32.callbackP99ms,
    ]);
    // The largest 1-2-5 step below the smallest value, so that the shortest bar still shows.
    const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50];
    const lo = steps.filter((v) => v <= Math.min(...values) * 0.8).at(-1) ?? 0.1;
    const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
    const y = (v) => y0 + h - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * h;
    out.push(
      `<text x="${x0}" y="25" font-size="14" font-weight="bold">Callback latency, ms (log scale): bar p50, tick p99</text>`,
      `<text x="${x0}" y="40" fill="#555">Node's default agent; the value printed is the p50.</text>`,
    );
    for (let d = 0.1; d <= hi; d *= 10) {
      for (const k of [1, 2, 5]) {
        const v = Math.round(d * k * 10) / 10;
        if (v > hi) break;
        if (v < lo) continue;
        out.push(
          `<line x1="${x0}" x2="${x0 + w}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
          `<text x="${x0 - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${v}</text>`,
        );
      }
    }
    const gw = w / groups.length;
    groups.forEach((g, i) => {
      ['ours', 'alternative'].forEach((name, j) => {
        const r = steady.find((s) => s.protocol === g.protocol && s.contender === name);
        if (!r) return;
        const bx = x0 + i * gw + 14 + j * 36;
        const p50 = r[g.c].callbackP50ms;
        const p99 = r[g.c].callbackP99ms;
        out.push(
          `<rect x="${bx}" y="${y(p50).toFixed(1)}" width="30" height="${(y0 + h - y(p50)).toFixed(1)}" fill="${COLORS[name]}"><title>${name} ${esc(g.label)} p50 ${p50} ms</title></rect>`,
          // The whisker starts above the p50 label, so that it does not strike through it.
          `<line x1="${bx + 15}" x2="${bx + 15}" y1="${Math.max(y(p99), y(p50) - 13).toFixed(1)}" y2="${y(p99).toFixed(1)}" stroke="#333"/>`,
          `<line x1="${bx + 5}" x2="${bx + 25}" y1="${y(p99).toFixed(1)}" y2="${y(p99).toFixed(1)}" stroke="#333" stroke-width="2"><title>${name} ${esc(g.label)} p99 ${p99} ms</title></line>`,
          `<text x="${bx + 15}" y="${(y(p50) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${fmt(p50, p50 < 10 ? 1 : 0)}</text>`,
        );
      });
      out.push(
        `<text x="${x0 + i * gw + gw / 2}" y="${y0 + h + 16}" text-anchor="middle">${esc(g.label)}</text>`,
      );
    });
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y0 + h}" y2="${y0 + h}" stroke="#333"/>`);
  }

  // Panel 2: connections and handshakes per login, linear scale, default and caller agents.
  {
    const x0 = 560;
    const y0 = 50;
    const w = 420;
    const h = 300;
    const series = [];
    for (const g of groups) {
      for (const name of ['ours', 'alternative']) {
        for (const agent of ['default', 'caller']) {
          const r = results.steady.find(
            (s) => s.protocol === g.protocol && s.contender === name && s.agent === agent,
          );
          if (r)
            series.push({ g, name, agent, conn: r[g.c].connectionsPerLogin, tls: r[g.c].handshakesPerLogin });
        }
      }
    }
    const max = Math.max(0.1, ...series.map((s) => Math.max(s.conn, s.tls))) * 1.15;
    const y = (v) => y0 + h - (v / max) * h;
    out.push(
      `<text x="${x0}" y="25" font-size="14" font-weight="bold">New connections and TLS handshakes per login</text>`,
    );
    for (let i = 0; i <= 4; i++) {
      const v = (max / 4) * i;
      out.push(
        `<line x1="${x0}" x2="${x0 + w}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
        `<text x="${x0 - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${fmt(v, 2)}</text>`,
      );
    }
    out.push(
      `<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="4" fill="#555"/></pattern></defs>`,
    );
    const gw = w / groups.length;
    groups.forEach((g, i) => {
      const inGroup = series.filter((s) => s.g === g);
      const bw = (gw - 12) / inGroup.length;
      inGroup.forEach((s, j) => {
        const bx = x0 + i * gw + 6 + j * bw;
        const bar = Math.max(s.conn, 0);
        out.push(
          `<rect x="${bx.toFixed(1)}" y="${y(bar).toFixed(1)}" width="${(bw * 0.45).toFixed(1)}" height="${(y0 + h - y(bar)).toFixed(1)}" fill="${COLORS[s.name]}" opacity="${s.agent === 'caller' ? 0.55 : 1}"><title>${s.name}, ${s.agent} agent, ${esc(g.label)}: ${s.conn} connections per login</title></rect>`,
        );
        if (g.protocol === 'https') {
          out.push(
            `<rect x="${(bx + bw * 0.45).toFixed(1)}" y="${y(s.tls).toFixed(1)}" width="${(bw * 0.45).toFixed(1)}" height="${(y0 + h - y(s.tls)).toFixed(1)}" fill="url(#hatch)" stroke="${COLORS[s.name]}"><title>${s.name}, ${s.agent} agent, ${esc(g.label)}: ${s.tls} TLS handshakes per login</title></rect>`,
          );
        }
      });
      // The bars are often too small to see against the target: print the group's largest value.
      const top = Math.max(...inGroup.map((s) => Math.max(s.conn, s.tls)));
      out.push(
        `<text x="${x0 + i * gw + gw / 2}" y="${(y(top) - 5).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">max ${fmt(top, 3)}</text>`,
        `<text x="${x0 + i * gw + gw / 2}" y="${y0 + h + 16}" text-anchor="middle">${esc(g.label)}</text>`,
      );
    });
    out.push(
      `<line x1="${x0}" x2="${x0 + w}" y1="${y(CONNECTIONS_TARGET).toFixed(1)}" y2="${y(CONNECTIONS_TARGET).toFixed(1)}" stroke="#c00" stroke-dasharray="4 3"/>`,
      `<text x="${x0 + w}" y="${(y(CONNECTIONS_TARGET) - 4).toFixed(1)}" text-anchor="end" fill="#c00">target ${CONNECTIONS_TARGET}</text>`,
      `<line x1="${x0}" x2="${x0 + w}" y1="${y0 + h}" y2="${y0 + h}" stroke="#333"/>`,
      `<text x="${x0}" y="${y0 + h + 34}" fill="#555">Per group: ours, ours + caller agent (pale), alternative, alternative + caller</text>`,
      `<text x="${x0}" y="${y0 + h + 48}" fill="#555">agent (pale); solid: new connections, hatched: TLS handshakes.</text>`,
    );
  }

  // Legend and machine.
  const m = results.machine;
  out.push(
    `<rect x="60" y="${H - 38}" width="12" height="12" fill="${COLORS.ours}"/><text x="78" y="${H - 28}">ours (passport-eventpop)</text>`,
    `<rect x="240" y="${H - 38}" width="12" height="12" fill="${COLORS.alternative}"/><text x="258" y="${H - 28}">alternative (passport-oauth2 + this._oauth2.get)</text>`,
    `<text x="60" y="${H - 10}" fill="#555">${esc(`${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date.slice(0, 10)}; ${results.mode} run; Express 5 + express-session, emulator on loopback.`)}</text>`,
    '</svg>',
    '',
  );
  return out.join('\n');
}
