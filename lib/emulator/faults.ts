// Fault injection: the failures a test can make an endpoint answer with, and how each is played out.
import { type OutgoingHttpHeaders, type ServerResponse, STATUS_CODES } from 'node:http';
import { send } from './http';

/** The emulator's endpoints that faults can be injected into. */
export type Endpoint = 'authorize' | 'token' | 'me' | 'tickets' | 'revoke';

/** The endpoints, in the order of a login (`tickets`: any organizer's tickets list). */
export const endpoints: readonly Endpoint[] = ['authorize', 'token', 'me', 'tickets', 'revoke'];

/** A JSON value, for a fault's `body`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a faulty endpoint answers instead of its normal answer. */
export type FaultAnswer =
  /** Accepts the request and never answers; the socket stays open until the client gives up or `close()`. */
  | { hang: true }
  /** Destroys the socket without answering (the client sees a reset / "socket hang up"). */
  | { drop: true }
  /** This status, with `body` (a string as-is, anything else as JSON; none: empty) and extra headers. */
  | { status: number; body?: JsonValue; headers?: Record<string, string> }
  /** A proxy's HTML error page (`502 Bad Gateway` unless `status` says otherwise). */
  | { html: true; status?: number }
  /** `200`, `Content-Type: application/json`, and a JSON body cut off halfway. */
  | { malformedJSON: true }
  /** `200` and a valid JSON body of exactly this many bytes, streamed in chunks without `Content-Length`. */
  | { oversized: number }
  /** A `302` (or `status`) to this URL. */
  | { redirect: string; status?: 301 | 302 | 303 | 307 | 308 };

/**
 * A fault for {@link Emulator.inject}. `delayMs` waits that long first: alone, the normal answer then
 * follows; with a {@link FaultAnswer}, that answer does. `times` makes it one-shot (`1`) or n-shot;
 * without it the fault stays until `clearFaults()`.
 *
 * @example
 * ```ts
 * emu.inject('token', { hang: true, times: 1 });     // the next token request never gets an answer
 * emu.inject('me', { status: 503, body: 'down' });   // every profile request fails until cleared
 * emu.inject('token', { delayMs: 200 });             // slow, then normal
 * ```
 */
export type Fault = ({ delayMs: number } | FaultAnswer) & { delayMs?: number; times?: number };

/** The name of a fault's kind, as recorded in the request log. */
export type FaultKind =
  | 'delay'
  | 'hang'
  | 'drop'
  | 'status'
  | 'html'
  | 'malformedJSON'
  | 'oversized'
  | 'redirect';

/** Every field a fault may have; any other is a typo (`time`, `delay`) that must not pass unnoticed. */
const faultFields: ReadonlySet<string> = new Set([
  'delayMs',
  'times',
  'hang',
  'drop',
  'status',
  'body',
  'headers',
  'html',
  'malformedJSON',
  'oversized',
  'redirect',
]);

/** A header name as RFC 9110 section 5.6.2 allows it (a `token`), so that sending it cannot throw. */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeaders(headers: unknown): void {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new TypeError('Fault: `headers` must be an object of header names to string values');
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!headerName.test(name))
      throw new TypeError(`Fault: header name ${JSON.stringify(name)} is not valid`);
    if (typeof value !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      throw new TypeError(`Fault: header ${name} must be a string without control characters`);
    }
  }
}

/** @internal Names a fault's kind, and checks its fields (a test's typo should fail loudly). */
export function kindOf(fault: Fault): FaultKind {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault)) {
    throw new TypeError('Fault: must be an object such as { status: 503 }');
  }
  const f = fault as Partial<Record<string, unknown>>;
  const unknown = Object.keys(f).find((key) => !faultFields.has(key));
  if (unknown !== undefined) {
    throw new TypeError(
      `Fault: unknown field ${JSON.stringify(unknown)}; the fields are ${[...faultFields].join(', ')}`,
    );
  }
  if (f.headers !== undefined) checkHeaders(f.headers);
  if (f.status !== undefined) {
    if (!(Number.isInteger(f.status) && (f.status as number) >= 100 && (f.status as number) <= 599)) {
      throw new TypeError('Fault: `status` must be an HTTP status code (100-599)');
    }
  }
  if (f.body !== undefined) {
    try {
      JSON.stringify(f.body);
    } catch {
      throw new TypeError('Fault: `body` must be a string or a JSON value');
    }
  }
  if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) > 0)) {
    throw new TypeError('Fault: `times` must be a positive integer');
  }
  if (f.delayMs !== undefined && !(typeof f.delayMs === 'number' && f.delayMs >= 0)) {
    throw new TypeError('Fault: `delayMs` must be a number of milliseconds >= 0');
  }
  if (f.hang === true) return 'hang';
  if (f.drop === true) return 'drop';
  if (f.html === true) return 'html';
  if (f.malformedJSON === true) return 'malformedJSON';
  if (f.oversized !== undefined) {
    if (!(Number.isInteger(f.oversized) && (f.oversized as number) >= 0)) {
      throw new TypeError('Fault: `oversized` must be a byte count (a non-negative integer)');
    }
    return 'oversized';
  }
  if (f.redirect !== undefined) {
    if (typeof f.redirect !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(f.redirect)) {
      throw new TypeError('Fault: `redirect` must be a URL string without control characters');
    }
    if (f.status !== undefined && ![301, 302, 303, 307, 308].includes(f.status as number)) {
      throw new TypeError('Fault: the `status` of a `redirect` must be 301, 302, 303, 307 or 308');
    }
    return 'redirect';
  }
  if (f.status !== undefined) return 'status';
  if (f.delayMs !== undefined) return 'delay';
  throw new TypeError(
    'Fault: give one of delayMs, hang, drop, status, html, malformedJSON, oversized or redirect',
  );
}

/** @internal The faults waiting on each endpoint: the first one applies, one-shot ones run out. */
export class FaultQueue {
  private readonly queues = new Map<Endpoint, { fault: Fault; kind: FaultKind; left: number }[]>();

  add(endpoint: Endpoint, fault: Fault): void {
    if (!endpoints.includes(endpoint))
      throw new TypeError(`inject: unknown endpoint ${JSON.stringify(endpoint)}`);
    const kind = kindOf(fault);
    const queue = this.queues.get(endpoint) ?? [];
    queue.push({ fault: { ...fault }, kind, left: fault.times ?? Number.POSITIVE_INFINITY });
    this.queues.set(endpoint, queue);
  }

  clear(endpoint?: Endpoint): void {
    if (endpoint === undefined) this.queues.clear();
    else this.queues.delete(endpoint);
  }

  /** The faults waiting on each endpoint that has any, in the order they apply. */
  list(): Partial<Record<Endpoint, { fault: Fault; kind: FaultKind; remaining: number | null }[]>> {
    const listed: Partial<Record<Endpoint, { fault: Fault; kind: FaultKind; remaining: number | null }[]>> =
      {};
    for (const [endpoint, queue] of this.queues) {
      if (queue.length === 0) continue;
      listed[endpoint] = queue.map(({ fault, kind, left }) => ({
        fault: { ...fault },
        kind,
        remaining: Number.isFinite(left) ? left : null,
      }));
    }
    return listed;
  }

  /** The fault for this request, counting it against `times`. */
  take(endpoint: Endpoint): { fault: Fault; kind: FaultKind } | undefined {
    const queue = this.queues.get(endpoint);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.left -= 1;
    if (head.left <= 0) queue.shift();
    return { fault: head.fault, kind: head.kind };
  }
}

/** A plausible, well-formed body for each endpoint, which `malformedJSON` cuts in half. */
const sampleBodies: Readonly<Record<Endpoint, string>> = {
  authorize: '{"error":"server_error","error_description":"The authorization server encountered an error."}',
  token: `{"access_token":"${'a'.repeat(64)}","token_type":"Bearer","expires_in":7200,"refresh_token":"${'b'.repeat(64)}","scope":"public","created_at":1552036500}`,
  me: '{"user":{"id":4242,"full_name":"Somchai Jaidee","email":"somchai@example.com"}}',
  tickets:
    '{"success":true,"count":1,"total":1,"page":1,"per_page":10,"tickets":[{"id":901,"event_id":7210,"status":"active"}]}',
  revoke: '{}',
};

const chunkBytes = 64 * 1024;

/**
 * Plays a fault's answer (a bare `delayMs` has none). `hang` leaves the response open (the server's `close()` destroys it);
 * `oversized` streams fixed chunks and honours back-pressure, so megabytes cost no big strings.
 */
export async function answerWithFault(res: ServerResponse, endpoint: Endpoint, fault: Fault): Promise<void> {
  if ('hang' in fault) return;
  if ('drop' in fault) {
    res.socket?.destroy();
    return;
  }
  if ('html' in fault) {
    const status = fault.status ?? 502;
    const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
    const html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
    send(res, status, html, { 'Content-Type': 'text/html' });
    return;
  }
  if ('malformedJSON' in fault) {
    const body = sampleBodies[endpoint];
    send(res, 200, body.slice(0, Math.floor(body.length / 2)), {
      'Content-Type': 'application/json; charset=utf-8',
    });
    return;
  }
  if ('redirect' in fault) {
    send(res, fault.status ?? 302, '', { Location: fault.redirect });
    return;
  }
  if ('oversized' in fault) {
    await streamOversized(res, fault.oversized);
    return;
  }
  if (!('status' in fault)) return;
  const headers: OutgoingHttpHeaders = {};
  let body = '';
  if (typeof fault.body === 'string') {
    body = fault.body;
    headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else if (fault.body !== undefined) {
    body = JSON.stringify(fault.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  send(res, fault.status, body, { ...headers, ...fault.headers });
}

/** Writes `{"data":"xxx…"}` of exactly `bytes` bytes (at least `{}`), chunk by chunk. */
async function streamOversized(res: ServerResponse, bytes: number): Promise<void> {
  const head = '{"data":"';
  const tail = '"}';
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  if (bytes < head.length + tail.length) {
    res.end(' '.repeat(Math.max(0, bytes - 2)) + '{}');
    return;
  }
  const filler = Buffer.alloc(chunkBytes, 'x');
  let left = bytes - head.length - tail.length;
  res.write(head);
  while (left > 0 && !res.destroyed) {
    const n = Math.min(left, chunkBytes);
    left -= n;
    if (!res.write(n === chunkBytes ? filler : filler.subarray(0, n))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    }
  }
  if (!res.destroyed) res.end(tail);
}
