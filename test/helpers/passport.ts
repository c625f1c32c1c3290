// Test helpers: run a strategy's authenticate() the way passport does, mock requests, and loopback servers.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import * as path from 'node:path';
import nock from 'nock';
import { type EventpopStrategyOptions, type EventpopVerifyFunction, Strategy } from '../../lib';

/** What a strategy ended with: one of passport's five actions. */
export type Outcome =
  | { readonly kind: 'success'; readonly user: unknown; readonly info: unknown }
  | { readonly kind: 'fail'; readonly challenge: unknown; readonly status: number | undefined }
  | { readonly kind: 'error'; readonly err: unknown }
  | { readonly kind: 'redirect'; readonly url: string; readonly status: number | undefined }
  | { readonly kind: 'pass' };

/** The part of a strategy this helper drives. */
export interface Authenticating {
  authenticate(req: unknown, options?: unknown): void;
}

/** A started authentication: every action taken so far, and the first one as a promise. */
export interface Run {
  /** All actions in the order they were taken (a correct strategy takes exactly one). */
  readonly outcomes: Outcome[];
  /** Resolves with the first action; rejects when none comes within `waitMs`. */
  readonly first: Promise<Outcome>;
}

/**
 * Starts `strategy.authenticate(req, options)` as passport does: on an `Object.create(strategy)`
 * with `success`, `fail`, `error`, `redirect` and `pass` attached.
 */
export function start(strategy: Authenticating, req: unknown, options: unknown = {}, waitMs = 10_000): Run {
  const outcomes: Outcome[] = [];
  let settle!: (outcome: Outcome) => void;
  let timer: NodeJS.Timeout | undefined;
  const first = new Promise<Outcome>((resolve, reject) => {
    settle = resolve;
    timer = setTimeout(() => reject(new Error(`the strategy took no action within ${waitMs} ms`)), waitMs);
  });
  const record = (outcome: Outcome) => {
    outcomes.push(outcome);
    if (outcomes.length === 1) {
      clearTimeout(timer);
      settle(outcome);
    }
  };
  const delegate = Object.create(strategy) as Authenticating & Record<string, unknown>;
  delegate.success = (user: unknown, info: unknown) => record({ kind: 'success', user, info });
  delegate.fail = (challenge: unknown, status: unknown) => {
    // passport's fail(status) form: a number alone is the status.
    if (typeof challenge === 'number' && status === undefined)
      record({ kind: 'fail', challenge: undefined, status: challenge });
    else record({ kind: 'fail', challenge, status: typeof status === 'number' ? status : undefined });
  };
  delegate.error = (err: unknown) => record({ kind: 'error', err });
  delegate.redirect = (url: string, status?: number) => record({ kind: 'redirect', url, status });
  delegate.pass = () => record({ kind: 'pass' });
  try {
    delegate.authenticate(req, options);
  } catch (err) {
    // passport does not catch a throw from authenticate(); surface it as a test failure.
    clearTimeout(timer);
    return { outcomes, first: Promise.reject(err) };
  }
  return { outcomes, first };
}

/** Runs `strategy.authenticate(req, options)` as passport does and resolves with its first action. */
export function authenticate(
  strategy: Authenticating,
  req: unknown,
  options: unknown = {},
): Promise<Outcome> {
  return start(strategy, req, options).first;
}

/** The request fields passport-oauth2 reads. */
export interface FakeRequest {
  method: string;
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  session: Record<string, unknown> | undefined;
  connection: { encrypted: boolean };
  socket: { encrypted: boolean };
  body?: unknown;
}

/**
 * A request as Express would hand it to passport: `query` decoded as a query string (`+` is a
 * space), `session` an object unless given `null`, `Host: app.example` unless set.
 */
export function fakeRequest(
  init: {
    url?: string;
    headers?: Record<string, string>;
    session?: Record<string, unknown> | null;
    encrypted?: boolean;
  } = {},
): FakeRequest {
  const url = init.url ?? '/auth/eventpop';
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const encrypted = init.encrypted ?? false;
  return {
    method: 'GET',
    url,
    query: Object.fromEntries(new URLSearchParams(search)),
    headers: { host: 'app.example', ...init.headers },
    session: init.session === null ? undefined : (init.session ?? {}),
    connection: { encrypted },
    socket: { encrypted },
  };
}

/** Asserts an outcome's kind and narrows it (for readable test bodies). */
export function expectKind<K extends Outcome['kind']>(
  outcome: Outcome,
  kind: K,
): Extract<Outcome, { kind: K }> {
  if (outcome.kind !== kind) {
    const detail =
      outcome.kind === 'error' ? `: ${String((outcome.err as Error)?.stack ?? outcome.err)}` : '';
    throw new Error(`expected the strategy to ${kind}, but it took ${outcome.kind}${detail}`);
  }
  return outcome as Extract<Outcome, { kind: K }>;
}

/** The two steps of a sign-in: the redirect to Eventpop and the return to the callback. */
export interface SignIn {
  /** The authorize URL the strategy redirected to. */
  readonly authorizeURL: URL;
  /** The session shared by both requests (holds the state, and the PKCE verifier). */
  readonly session: Record<string, unknown>;
  /** How the callback request ended. */
  readonly outcome: Outcome;
}

/**
 * Runs a whole sign-in against a strategy: the authorize step (state kept in a session), then
 * the callback with `code` and the state Eventpop would echo (or `callbackQuery` instead; as a
 * function, it gets the state Eventpop would echo).
 */
export async function signIn(
  strategy: Authenticating,
  init: {
    code?: string;
    callbackQuery?: Record<string, string> | ((state: string) => Record<string, string>);
    options?: unknown;
  } = {},
): Promise<SignIn> {
  const session: Record<string, unknown> = {};
  const redirect = expectKind(
    await authenticate(strategy, fakeRequest({ session }), init.options),
    'redirect',
  );
  const authorizeURL = new URL(redirect.url);
  const state = authorizeURL.searchParams.get('state') ?? '';
  const query = new URLSearchParams(
    typeof init.callbackQuery === 'function'
      ? init.callbackQuery(state)
      : (init.callbackQuery ?? { code: init.code ?? 'the-authorization-code', state }),
  );
  const outcome = await authenticate(
    strategy,
    fakeRequest({ url: `/auth/eventpop/callback?${query}`, session }),
    init.options,
  );
  return { authorizeURL, session, outcome };
}

// Importing nock switches interception on for the whole process, which changes how real
// sockets behave for every other test file (keep-alive, for one). Keep it off except inside
// the describe blocks that ask for it with useNock().
if (nock.isActive()) nock.restore();

/**
 * Registers mocha hooks that give a describe block nock, with no real network but loopback,
 * and switch it off again afterwards; mocks left over are dropped after each test.
 */
export function useNock(): void {
  let wasActive = false;
  before(() => {
    wasActive = nock.isActive();
    if (!wasActive) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
  });
  afterEach(() => {
    nock.cleanAll();
  });
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    if (!wasActive) nock.restore();
  });
}

/** Registers mocha hooks that make sure nock is off for a describe block that needs real sockets. */
export function withoutNock(): void {
  let wasActive = false;
  before(() => {
    wasActive = nock.isActive();
    if (wasActive) nock.restore();
  });
  after(() => {
    if (wasActive) nock.activate();
  });
}

/** A server on 127.0.0.1 with a random port, its sockets tracked so that it closes at once. */
export interface LoopbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Resolves when the server has seen a connection close (from either side). */
  readonly socketClosed: Promise<void>;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

function track(server: net.Server): LoopbackServer {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let onClosed!: () => void;
  const socketClosed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  server.on('connection', (socket: net.Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      onClosed();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    socketClosed,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listening<S extends net.Server>(server: S): Promise<S> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** An HTTP server on 127.0.0.1:0 answering with `handler`. */
export async function httpServer(handler: http.RequestListener): Promise<LoopbackServer> {
  return track(await listening(http.createServer(handler)));
}

/** A server that accepts connections and reads requests but never answers. */
export function hungServer(): Promise<LoopbackServer> {
  return httpServer(() => {});
}

/** A server that resets each connection as soon as a request arrives (ECONNRESET for the client). */
export async function resettingServer(): Promise<LoopbackServer> {
  return track(
    await listening(net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy()))),
  );
}

/** A loopback port that nothing listens on (a server was bound there, then closed). */
export { unusedPort as closedPort } from './listening';

/** The client credentials most tests use; the secret is recognisable so that leaks show. */
export const CLIENT = {
  clientID: 'test-client-id',
  clientSecret: 'test-client-secret-DO-NOT-LEAK',
  callbackURL: 'https://app.example/auth/eventpop/callback',
} as const;

/** Eventpop's production origin, the default baseURL (nock answers for it in unit tests). */
export const EVENTPOP = 'https://www.eventpop.me';

/** A token endpoint success in Doorkeeper's shape (eventpop-api.md, step 5). */
export const TOKEN_RESPONSE = {
  access_token: 'a'.repeat(64),
  token_type: 'Bearer',
  expires_in: 7200,
  refresh_token: 'b'.repeat(64),
  scope: 'public',
  created_at: 1552036500,
} as const;

/** A /api/public/me success body. */
export const ME_RESPONSE = {
  user: { id: 4242, full_name: 'Somchai Jaidee', email: 'somchai@example.com' },
} as const;

/**
 * Answers one sign-in's token and profile requests on Eventpop's origin with success (nock), and
 * records the value of `header` on each, in order.
 */
export function recordHeader(header: string): (string | undefined)[] {
  const seen: (string | undefined)[] = [];
  nock(EVENTPOP)
    .post('/oauth/token')
    .reply(function () {
      seen.push(this.req.headers[header.toLowerCase()]);
      return [200, TOKEN_RESPONSE];
    })
    .get('/api/public/me')
    .reply(function () {
      seen.push(this.req.headers[header.toLowerCase()]);
      return [200, ME_RESPONSE];
    });
  return seen;
}

/** A verify that signs in `{ id: profile.id }`. */
export const verifyUser: EventpopVerifyFunction = (_accessToken, _refreshToken, profile, done) =>
  done(null, { id: profile.id });

/** A strategy with {@link CLIENT}'s credentials and `options` on top. */
export function makeStrategy(
  options: Partial<EventpopStrategyOptions> = {},
  verify: EventpopVerifyFunction = verifyUser,
): Strategy {
  return new Strategy({ ...CLIENT, ...options }, verify);
}

/** The text of test/fixtures/profile/<name>.json, exactly as stored. */
export function profileFixture(name: string): string {
  return readFileSync(path.join(__dirname, '..', 'fixtures', 'profile', `${name}.json`), 'utf8');
}
