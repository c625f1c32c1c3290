// The load generator's virtual users: each a keep-alive connection and a cookie, driving complete logins.
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * GET with a bounded wait; resolves with status, headers and body. `signal`-less on purpose: the
 * caller destroys the agent to abandon requests.
 */
export function get(url, { agent, cookie, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: cookie ? { cookie } : {} }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(err) {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
  });
}

/** A browser: one keep-alive connection per host (as a tab would reuse) and the app's session cookie. */
export class VirtualUser {
  constructor() {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.cookie = '';
  }

  keep(res) {
    const set = res.headers['set-cookie'];
    if (set?.[0]) this.cookie = set[0].split(';')[0];
  }

  /**
   * The two steps before the callback: the app redirects to Eventpop's authorize endpoint, which
   * (autoApprove) redirects back with a code. Returns the callback URL the browser is sent to.
   */
  async startLogin(appURL) {
    const start = await get(`${appURL}/auth/eventpop`, { agent: this.agent, cookie: this.cookie });
    if (start.status !== 302) throw new Error(`/auth/eventpop answered ${start.status}`);
    this.keep(start);
    const authorize = await get(start.headers.location, { agent: this.agent });
    if (authorize.status !== 302) throw new Error(`/oauth/authorize answered ${authorize.status}`);
    return authorize.headers.location;
  }

  /** The callback request, timed as the browser sees it (request sent to last byte). */
  async finishLogin(callbackURL, timeoutMs) {
    const t0 = performance.now();
    const res = await get(callbackURL, { agent: this.agent, cookie: this.cookie, timeoutMs });
    const ms = performance.now() - t0;
    this.keep(res);
    return { ms, res };
  }

  /** One complete login; throws unless it ended signed in (302 to `/`). Returns the callback's latency. */
  async login(appURL) {
    const callbackURL = await this.startLogin(appURL);
    const { ms, res } = await this.finishLogin(callbackURL);
    if (res.status !== 302 || res.headers.location !== '/') {
      throw new Error(`callback answered ${res.status} ${res.headers.location ?? res.body.slice(0, 200)}`);
    }
    return ms;
  }

  close() {
    this.agent.destroy();
  }
}

/**
 * Runs `total` logins with `users.length` of them in flight at any time; returns the callback
 * latencies and the wall time from the first request to the last answer.
 */
export async function runLogins(users, appURL, total) {
  const latencies = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    users.map(async (user) => {
      while (started < total) {
        started += 1;
        latencies.push(await user.login(appURL));
      }
    }),
  );
  return { latencies, ms: performance.now() - t0 };
}

/** Maps `items` through the async `fn` with at most `limit` calls in flight; keeps the order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
