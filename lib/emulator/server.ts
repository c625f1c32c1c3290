// The emulator's HTTP server: createEmulator, routing, the request log, faults and shutdown.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleMe } from './api';
import { decideAuthorize, showAuthorize } from './authorize';
import { handleAvatar, parseAvatarPath, requestOrigin } from './avatars';
import { type ControlTarget, controlPrefix, handleControl } from './control';
import { answerWithFault, type Endpoint, type Fault, type FaultKind, FaultQueue } from './faults';
import { hostRefusal, isAllowedHost } from './hosts';
import { send, sendJson } from './http';
import { handleRevoke, handleToken } from './oauth';
import { type EmulatorOptions, resolveOptions } from './options';
import { type EmulatorClient, type EmulatorStats, type EmulatorUser, Store } from './store';
import { handleTickets, ticketsPathOrganizer } from './tickets';

/**
 * One request that reached the emulator. It never holds secrets: no query string, no body, no
 * headers; only the grant type of token requests.
 */
export interface RequestLogEntry {
  /** The endpoint the path belongs to; `undefined` for any other path. */
  readonly endpoint: Endpoint | undefined;
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** `grant_type` of a `/oauth/token` request that got as far as being read (not with a fault). */
  readonly grantType?: string;
  /** The kind of fault injected into this request, if any. */
  readonly fault?: FaultKind;
  /** The status sent, once the answer has been written (absent for hung or dropped requests). */
  readonly status?: number;
}

/** A running emulator; see {@link createEmulator}. */
export interface Emulator {
  /**
   * Base URL, e.g. `http://127.0.0.1:54321` (`https://...` with the `tls` option): authorize at
   * `${url}/oauth/authorize`, and so on.
   */
  readonly url: string;
  readonly port: number;
  /**
   * The `node:http` server, e.g. to count `'connection'` events; with the `tls` option a
   * `node:https` server (a subclass in Node's typings), whose `'secureConnection'` events count
   * TLS handshakes.
   */
  readonly server: Server;
  /** The registered clients. */
  readonly clients: readonly EmulatorClient[];
  /** The users, in sign-in page order. */
  readonly users: readonly EmulatorUser[];
  /**
   * The most recent requests (up to `requestLogSize`), oldest first. Requests refused for their
   * `Host` and requests to the control routes are not in it.
   */
  readonly requests: readonly RequestLogEntry[];
  /** Requests per endpoint since start or `clearRequests()`, never capped. */
  readonly counts: Readonly<Record<Endpoint, number>>;
  /** Queues a fault on an endpoint; the first queued fault applies until its `times` run out. */
  inject(endpoint: Endpoint, fault: Fault): void;
  /** Removes the faults of one endpoint, or of all. */
  clearFaults(endpoint?: Endpoint): void;
  /** Empties `requests` and zeroes `counts`. */
  clearRequests(): void;
  /** Makes an access token expire now (its refresh token still works); `false` if unknown. */
  expireToken(accessToken: string): boolean;
  /** Moves the emulator's clock forward, expiring codes, tokens and rate-limit windows without sleeping. */
  advanceTime(seconds: number): void;
  /** The emulator's clock, in milliseconds since the epoch. */
  now(): number;
  /** Counts of live codes, consent forms and tokens, after pruning what expired. */
  stats(): EmulatorStats;
  /** Stops listening and destroys every open socket, hung ones included. */
  close(): Promise<void>;
}

function emptyCounts(): Record<Endpoint, number> {
  return { authorize: 0, token: 0, me: 0, tickets: 0, revoke: 0 };
}

const routes: Readonly<Record<string, Endpoint>> = {
  '/oauth/authorize': 'authorize',
  '/oauth/token': 'token',
  '/api/public/me': 'me',
  '/oauth/revoke': 'revoke',
};

const sweepEveryMs = 30_000;

/**
 * Starts a local Eventpop: the OAuth 2.0 authorization and token endpoints of its Doorkeeper server,
 * token revocation, `GET /api/public/me` and the user's tickets list
 * (`GET /api/public/organizers/{id}/tickets`), all in memory, with fault injection for tests (from
 * this process with `inject`, from another through the `control` routes).
 *
 * @example
 * ```ts
 * import { createEmulator } from 'passport-eventpop/emulator';
 *
 * const emu = await createEmulator({ autoApprove: true });
 * // new Strategy({ clientID: 'demo-client', clientSecret: 'demo-secret',
 * //   authorizationURL: `${emu.url}/oauth/authorize`, tokenURL: `${emu.url}/oauth/token`,
 * //   profileURL: `${emu.url}/api/public/me`, ... })
 * await emu.close();
 * ```
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const opts = resolveOptions(options);
  const store = new Store(opts.clients, opts.users, opts.lifetimes, opts.limits);
  const faults = new FaultQueue();
  const timers = new Set<NodeJS.Timeout>();
  let log: RequestLogEntry[] = [];
  let counts = emptyCounts();
  const authorizeContext = { store, autoApproveUserId: opts.autoApproveUserId };
  /** The emulator's own origin (`emu.url`), known once it listens. */
  let origin = '';

  function record(entry: RequestLogEntry): void {
    if (opts.requestLogSize === 0) return;
    log.push(entry);
    if (log.length > opts.requestLogSize) log.shift();
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: Endpoint | undefined,
    path: string,
    query: URLSearchParams,
    entry: { grantType?: string },
    organizerId: number | undefined,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    if (endpoint === 'authorize' && method === 'GET') return showAuthorize(res, query, authorizeContext);
    if (endpoint === 'authorize' && method === 'POST') return decideAuthorize(req, res, authorizeContext);
    if (endpoint === 'token' && method === 'POST') return handleToken(req, res, store, entry);
    if (endpoint === 'revoke' && method === 'POST') return handleRevoke(req, res, store);
    if (endpoint === 'me' && method === 'GET')
      return handleMe(req, res, query, store, opts.profileRateLimit, requestOrigin(req.headers.host, origin));
    if (endpoint === 'tickets' && organizerId !== undefined && method === 'GET')
      return handleTickets(req, res, query, store, opts.ticketData, organizerId);
    const avatar = endpoint === undefined ? parseAvatarPath(path) : undefined;
    if (avatar !== undefined && (method === 'GET' || method === 'HEAD'))
      return handleAvatar(res, store.users.get(avatar.userId), avatar.size);
    sendJson(res, 404, { status: 404, error: 'Not Found' });
  }

  const control: ControlTarget | undefined = opts.control
    ? {
        faults,
        requests: () => ({ counts, requests: log }),
        clearRequests,
      }
    : undefined;

  function clearRequests(): void {
    log = [];
    counts = emptyCounts();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { host } = req.headers;
    if (!isAllowedHost(host, opts.allowedHosts)) {
      req.resume();
      send(res, 403, hostRefusal(host ?? ''), {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
      return;
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    // Control requests are the test talking to the emulator, not traffic to Eventpop: not logged.
    if (path.startsWith(controlPrefix)) return handleControl(req, res, path, query, control);
    const fixed = Object.hasOwn(routes, path) ? routes[path] : undefined;
    // The one route with a parameter: matched once, its organizer id handed to route().
    const organizerId = fixed === undefined ? ticketsPathOrganizer(path) : undefined;
    const endpoint = fixed ?? (organizerId === undefined ? undefined : 'tickets');
    const entry: { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] } = {
      endpoint,
      method: req.method ?? 'GET',
      path,
    };
    record(entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
    });
    if (endpoint === undefined) return route(req, res, endpoint, path, query, entry, organizerId);
    counts[endpoint] += 1;

    const injected = faults.take(endpoint);
    if (injected !== undefined) {
      entry.fault = injected.kind;
      const { fault } = injected;
      if (fault.delayMs !== undefined && fault.delayMs > 0) await delay(fault.delayMs);
      if (res.destroyed) return;
      if (injected.kind !== 'delay') return answerWithFault(res, endpoint, fault);
    }
    return route(req, res, endpoint, path, query, entry, organizerId);
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent && !res.destroyed)
        sendJson(res, 500, { status: 500, error: 'Internal Server Error', message });
      else res.destroy();
    });
  };
  // https.Server has every method of http.Server that is used here (Node's typings say so too).
  const server: Server =
    opts.tls === undefined ? createServer(listener) : createHttpsServer({ ...opts.tls }, listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const sweeper = setInterval(() => store.sweep(), sweepEveryMs);
  sweeper.unref();

  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  origin = `${opts.tls === undefined ? 'http' : 'https'}://${host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: origin,
    port,
    server,
    clients: Object.freeze([...opts.clients]),
    users: Object.freeze([...opts.users]),
    get requests() {
      return log;
    },
    get counts() {
      return counts;
    },
    inject: (endpoint, fault) => faults.add(endpoint, fault),
    clearFaults: (endpoint) => faults.clear(endpoint),
    clearRequests,
    expireToken: (accessToken) => store.expireAccessToken(accessToken),
    advanceTime: (seconds) => {
      if (!(typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0)) {
        throw new TypeError('advanceTime: seconds must be a finite number >= 0');
      }
      store.advance(seconds);
    },
    now: () => store.now(),
    stats: () => {
      store.sweep();
      return store.stats();
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        clearInterval(sweeper);
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
