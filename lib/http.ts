// The one place that talks to Eventpop over the network: timeout, agent, body size cap, User-Agent.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Callback } from './callback';
import { Deadlines } from './deadlines';

/** How every request to Eventpop is sent; resolved once from the strategy's options. */
export interface HttpSettings {
  /** Milliseconds from sending the request to the last byte of the answer. */
  readonly timeout: number;
  /** Agent for both protocols' requests; Node's global agents when undefined. */
  readonly agent: http.Agent | undefined;
  /** Headers sent on every request (User-Agent included). */
  readonly headers: Readonly<Record<string, string>>;
}

/** An answer from Eventpop, read whole (up to {@link MAX_BODY_BYTES}). */
export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request to send. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Eventpop's answers are small JSON documents; anything past 1 MiB is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The request got no complete answer within the timeout; the socket was destroyed. */
export class HttpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeout: number) {
    super(`no complete answer within ${timeout} ms`);
    this.name = 'HttpTimeoutError';
  }
}

/** The answer's body was larger than {@link MAX_BODY_BYTES}; reading stopped there. */
export class HttpBodyTooLargeError extends Error {
  readonly code = 'ERESPONSETOOLARGE';
  constructor(
    readonly status: number,
    readonly limit: number,
  ) {
    super(`the answer's body is larger than ${limit} bytes`);
    this.name = 'HttpBodyTooLargeError';
  }
}

/** The endpoint as it may appear in a message: no user-info, no query, no fragment. */
export function describeURL(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Where a request goes, in the fields of Node's request options. */
interface Target {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string | number;
  readonly path: string;
}

// Node converts a URL argument into request options on every call; the endpoints are fixed at
// construction, so convert each once.
const targets = new WeakMap<URL, Target>();
function target(url: URL): Target {
  let found = targets.get(url);
  if (!found) {
    found = {
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
    };
    targets.set(url, found);
  }
  return found;
}

/** Every request's deadline, in one timer (see lib/deadlines.ts for why). */
const deadlines = new Deadlines();

/** How a request whose pooled socket the server had closed ends its attempt (see {@link attempt}). */
const STALE = Symbol('stale keep-alive socket');

/** How a request ends: `(null, response)` with any HTTP status, or `(err)` for a transport failure. */
export type HttpCallback = Callback<HttpResponse>;

/**
 * Sends one request and reads the whole answer. Calls back with any HTTP status (the caller
 * decides what a status means), or with an error only for transport failures: a network error
 * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, ...), {@link HttpTimeoutError} or
 * {@link HttpBodyTooLargeError}. A request that failed only because the pooled connection it
 * reused had been closed by the server is sent once more, within the same deadline. The
 * callback runs once, never before this function has returned.
 *
 * A callback rather than a promise: the strategy's two requests per login then cost no promise
 * and no microtask of their own (docs/performance.md).
 */
export function send(settings: HttpSettings, request: HttpRequest, callback: HttpCallback): void {
  const deadline = Date.now() + settings.timeout;
  attempt(settings, request, settings.timeout, callback, () => {
    const left = deadline - Date.now();
    if (left <= 0) callback(new HttpTimeoutError(settings.timeout));
    else attempt(settings, request, left, callback, undefined);
  });
}

/**
 * One try at a request within `budget` ms. When the pooled keep-alive socket it reused turns out
 * to have been closed by the server (`ECONNRESET` before any answer; Node's documentation
 * advises sending again on a new socket), it calls `stale` instead of `callback`, if given.
 */
function attempt(
  settings: HttpSettings,
  request: HttpRequest,
  budget: number,
  callback: HttpCallback,
  stale: (() => void) | undefined,
): void {
  const to = target(request.url);
  const transport = to.protocol === 'https:' ? https : http;
  // Object.assign, not a spread: 0.06 µs against 0.65 on Node 20 for these few headers.
  const headers: Record<string, string> = Object.assign({}, settings.headers, request.headers);
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));

  let req: http.ClientRequest;
  try {
    // Field by field rather than spread from the target: Node 20's V8 copies an object spread
    // into a literal with more keys some 40 times slower than Node 24's (about 1 µs a request,
    // docs/performance.md). An undefined agent is Node's global agent, as an absent one is.
    req = transport.request({
      protocol: to.protocol,
      hostname: to.hostname,
      port: to.port,
      path: to.path,
      method: request.method,
      headers,
      agent: settings.agent,
    });
  } catch (err) {
    // e.g. an https.Agent given for an http: URL; Node throws before any I/O. Called back on the
    // next tick, as every other ending is, so no caller is called back before it has returned.
    process.nextTick(callback, err);
    return;
  }

  // The attempt ends once, with whichever of answer, error or timeout comes first.
  let settled = false;
  const finish = (err: unknown, response?: HttpResponse) => {
    if (settled) return;
    settled = true;
    deadlines.remove(deadline);
    // Node gives a keep-alive socket back to the agent on the tick after the answer's end: called
    // back at once, a next request (the profile after the token) would find no free socket and
    // open another connection. After that tick it takes the same one.
    if (response) process.nextTick(callback, null, response);
    else if (err === STALE && stale) stale();
    else callback(err);
  };

  // One deadline for the whole exchange (connect, headers and body): a provider that
  // accepts the connection and never answers must not hold the login or the socket.
  const deadline = deadlines.add(budget, () => {
    const err = new HttpTimeoutError(settings.timeout);
    req.destroy(err);
    finish(err);
  });

  let answered = false;
  req.on('error', (err: NodeJS.ErrnoException) => {
    finish(stale && req.reusedSocket && !answered && err.code === 'ECONNRESET' ? STALE : err);
  });
  req.on('response', (res) => {
    answered = true;
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        const err = new HttpBodyTooLargeError(res.statusCode ?? 0, MAX_BODY_BYTES);
        req.destroy(err);
        finish(err);
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (err) => finish(err));
    res.on('end', () => {
      finish(null, {
        status: res.statusCode ?? 0,
        headers: res.headers,
        // Eventpop's answers fit in one chunk: decode it where it lies rather than copy it first.
        // Several chunks are joined before decoding, so a character split across two stays whole.
        body: (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)).toString('utf8'),
      });
    });
  });
  req.end(request.body);
}
