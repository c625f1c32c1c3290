// Child process: asks the app's /health at a fixed rate, as a monitoring system would, away from the load generator.
//
// Fixed rate (not one after another), so a stalled app shows up in many probes instead of one; each
// probe has its own slot on a keep-alive pool and is bounded at 5 s.
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { get } from './browser.mjs';
import { serve } from './ipc.mjs';

let run;

serve({
  start({ url, everyMs }) {
    const agent = new http.Agent({ keepAlive: true });
    const latencies = [];
    const pending = new Set();
    const timer = setInterval(() => {
      const t0 = performance.now();
      const p = get(`${url}/health`, { agent, timeoutMs: 5_000 }).then(
        (res) => latencies.push(res.status === 200 ? performance.now() - t0 : Number.POSITIVE_INFINITY),
        () => latencies.push(Number.POSITIVE_INFINITY),
      );
      pending.add(p);
      p.finally(() => pending.delete(p));
    }, everyMs);
    run = { agent, latencies, pending, timer };
    return true;
  },
  /** Stops probing, waits for the probes in flight, and returns every latency (Infinity: failed). */
  async stop() {
    clearInterval(run.timer);
    await Promise.all(run.pending);
    run.agent.destroy();
    // JSON has no Infinity: failed probes travel as null.
    return run.latencies.map((x) => (Number.isFinite(x) ? x : null));
  },
});

process.send({ type: 'ready' });
