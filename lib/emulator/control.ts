// The control routes under /_emulator/: faults and the request log, in JSON, for tests in another process.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Endpoint, endpoints, type Fault, type FaultQueue, kindOf } from './faults';
import { contentType, readBody, sendJson } from './http';

/** The path prefix of the control routes. */
export const controlPrefix = '/_emulator/';

/** @internal What the control routes act on. */
export interface ControlTarget {
  readonly faults: FaultQueue;
  /** The request log and the counts, as `emu.requests` and `emu.counts` give them. */
  requests(): { counts: Readonly<Record<Endpoint, number>>; requests: readonly object[] };
  clearRequests(): void;
}

/** A refusal, as `{"error", "error_description"}` like the OAuth endpoints' answers. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The methods a route takes, for a 405's `Allow` header. */
    readonly allow?: string,
  ) {
    super(message);
  }
}

function methodNotAllowed(route: string, methods: readonly string[]): ControlError {
  return new ControlError(
    405,
    'method_not_allowed',
    `${route} takes ${methods.join(', ')}`,
    methods.join(', '),
  );
}

/** @internal Any loopback address, IPv4 (127.0.0.0/8, also IPv4-mapped) or IPv6 (::1). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function endpointOf(value: unknown): Endpoint {
  const found = endpoints.find((e) => e === value);
  if (found === undefined) {
    throw new ControlError(
      400,
      'invalid_request',
      `unknown endpoint ${JSON.stringify(value)}; the endpoints are ${endpoints.join(', ')}`,
    );
  }
  return found;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  // Requiring the JSON media type keeps web pages out: a cross-site POST of JSON needs a CORS
  // preflight, which this server never grants, where a form or text/plain POST would go through.
  if (contentType(req) !== 'application/json') {
    throw new ControlError(415, 'invalid_request', 'send the body as Content-Type: application/json');
  }
  const text = await readBody(req);
  if (text === 'too-large') throw new ControlError(413, 'invalid_request', 'the body is too large');
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlError(400, 'invalid_request', 'the body is not valid JSON');
  }
}

/** `POST /_emulator/faults` with `{"endpoint": "token", "fault": {"status": 503, "times": 1}}`. */
async function injectFault(req: IncomingMessage, target: ControlTarget): Promise<object> {
  const body = await readJson(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ControlError(400, 'invalid_request', 'send {"endpoint": "token", "fault": {"status": 503}}');
  }
  const { endpoint: raw, fault } = body as { endpoint?: unknown; fault?: unknown };
  const endpoint = endpointOf(raw);
  let kind: string;
  try {
    kind = kindOf(fault as Fault);
  } catch (error) {
    throw new ControlError(400, 'invalid_request', (error as Error).message);
  }
  target.faults.add(endpoint, fault as Fault);
  return { endpoint, kind };
}

/** Runs one control request and says what to answer. */
async function answer(
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
  target: ControlTarget,
): Promise<{ status: number; body: object }> {
  const method = req.method ?? 'GET';
  const route = path.slice(controlPrefix.length);
  if (route === 'faults') {
    if (method === 'GET') return { status: 200, body: { faults: target.faults.list() } };
    if (method === 'POST') return { status: 201, body: await injectFault(req, target) };
    if (method === 'DELETE') {
      const endpoint = query.get('endpoint');
      target.faults.clear(endpoint === null ? undefined : endpointOf(endpoint));
      return { status: 200, body: {} };
    }
    throw methodNotAllowed(path, ['GET', 'POST', 'DELETE']);
  }
  if (route === 'requests') {
    if (method === 'GET') return { status: 200, body: target.requests() };
    if (method === 'DELETE') {
      target.clearRequests();
      return { status: 200, body: {} };
    }
    throw methodNotAllowed(path, ['GET', 'DELETE']);
  }
  throw new ControlError(
    404,
    'not_found',
    'the control routes are /_emulator/faults and /_emulator/requests',
  );
}

/**
 * @internal Answers a request under {@link controlPrefix}: `404` while the `control` option is off,
 * `403` for a client that is not on a loopback address, else the route's JSON.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  target: ControlTarget | undefined,
): Promise<void> {
  try {
    if (target === undefined) {
      throw new ControlError(
        404,
        'not_found',
        'the control routes are off: start the emulator with --control (or createEmulator({ control: true }))',
      );
    }
    if (!isLoopback(req.socket.remoteAddress)) {
      throw new ControlError(
        403,
        'forbidden',
        'the control routes answer clients on a loopback address only',
      );
    }
    const { status, body } = await answer(req, path, query, target);
    sendJson(res, status, body, { 'Cache-Control': 'no-store' });
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    // Drain what the client sent, so the answer is not cut off by a reset.
    if (!req.readableEnded) req.resume();
    const headers = error.allow === undefined ? {} : { Allow: error.allow };
    sendJson(res, error.status, { error: error.code, error_description: error.message }, headers);
  }
}
