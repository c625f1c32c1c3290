// The emulator's options: their types, defaults and validation, in one place.

import { isIP } from 'node:net';
import { hostName } from './hosts';
import { fail } from './option-error';
import { defaultClient, defaultEvents, defaultOrganizers, defaultTickets, defaultUsers } from './seed';
import type { EmulatorClient, EmulatorUser, StoreLifetimes, StoreLimits } from './store';
import {
  checkTicketData,
  type EmulatorEvent,
  type EmulatorOrganizer,
  type EmulatorTicket,
  type TicketData,
} from './tickets';

/** Options of {@link createEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Address to bind; default `'127.0.0.1'`. */
  host?: string;
  /** Registered applications; default `[defaultClient]`. */
  clients?: readonly EmulatorClient[];
  /** Users offered on the sign-in page, the first preselected; default `defaultUsers`. */
  users?: readonly EmulatorUser[];
  /**
   * Organizers, their events, and the users' tickets for the tickets list. Default, when none of
   * the three is given: `defaultOrganizers`, `defaultEvents` and `defaultTickets`; when any is
   * given, the others default to none.
   */
  organizers?: readonly EmulatorOrganizer[];
  /** Events, each of one of `organizers`. */
  events?: readonly EmulatorEvent[];
  /** Tickets, each for one of `events` and held by `user_id`. */
  tickets?: readonly EmulatorTicket[];
  /** The largest `per_page` the tickets list serves (Eventpop's is undocumented); default 100. */
  maxTicketsPerPage?: number;
  /**
   * Skip the consent page: `GET /oauth/authorize` redirects with a code at once, for the first user
   * (`true`) or the one named (`{ userId }`). For unattended tests and benchmarks.
   */
  autoApprove?: boolean | { userId: number };
  /** `/api/public/me` requests allowed per token per minute (Eventpop: 10). `0` or `Infinity`: no limit. */
  profileRateLimit?: number;
  /** Authorization code lifetime in seconds; default 600. */
  codeTTL?: number;
  /** Access token lifetime in seconds (`expires_in`); default 7200. */
  tokenTTL?: number;
  /** Refresh token lifetime in seconds (Doorkeeper's never end; the emulator's must, to bound memory); default 30 days. */
  refreshTokenTTL?: number;
  /** How many recent requests `emu.requests` keeps; default 1000, `0` keeps none (counts still count). */
  requestLogSize?: number;
  /**
   * Most authorization codes not yet exchanged, and most consent pages not yet answered, that the
   * emulator holds (each); default 1000. When full, the oldest is forgotten to make room, so a flood
   * of consent POSTs cannot grow its memory.
   */
  maxCodes?: number;
  /**
   * Most tokens the emulator holds (an access token and its refresh token count once; revoked and
   * expired ones it still remembers count too); default 10000. When full, the oldest is forgotten
   * (it then answers as unknown: `401` "is invalid", `400 invalid_grant`).
   */
  maxTokens?: number;
  /**
   * Host names the emulator answers to besides its own, e.g. `['emulator']` for docker-compose's
   * `http://emulator:4000`. It always answers requests whose `Host` is `localhost` (or a name
   * under `.localhost`), an IP address, or the `host` it binds; any other `Host` gets `403`, so a
   * web page cannot reach it through DNS rebinding (a name of the attacker's that resolves to
   * 127.0.0.1). Names only, no port: any port is accepted. Case does not matter.
   */
  allowedHosts?: readonly string[];
  /**
   * Serve the control routes under `/_emulator/` (faults and the request log, as JSON) so that
   * another process can inject faults: see the README's "Faults from another process". Off by
   * default; only clients on a loopback address may use them.
   */
  control?: boolean;
  /**
   * Serve HTTPS with this private key and certificate (PEM): `emu.url` is then
   * `https://127.0.0.1:<port>` and `emu.server` a `node:https` server. Clients must trust the
   * certificate, e.g. the strategy's `agent: new https.Agent({ ca: cert })`.
   */
  tls?: EmulatorTLSOptions;
}

/** The key pair of {@link EmulatorOptions.tls}, PEM-encoded, as `https.createServer` takes them. */
export interface EmulatorTLSOptions {
  key: string | Buffer;
  cert: string | Buffer;
}

/** @internal Options with defaults applied and checked. */
export interface ResolvedOptions {
  port: number;
  host: string;
  clients: readonly EmulatorClient[];
  users: readonly EmulatorUser[];
  ticketData: TicketData;
  autoApproveUserId: number | undefined;
  profileRateLimit: number;
  lifetimes: StoreLifetimes;
  requestLogSize: number;
  limits: StoreLimits;
  /** Lower-cased host names answered besides loopback names and IP addresses. */
  allowedHosts: ReadonlySet<string>;
  control: boolean;
  tls: Readonly<EmulatorTLSOptions> | undefined;
}

function positive(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    fail(option, 'a positive number of seconds');
  return value;
}

function count(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isSafeInteger(value) && value > 0)) fail(option, 'a positive integer');
  return value;
}

function checkAllowedHosts(value: readonly string[] | undefined, bindHost: string): Set<string> {
  if (value !== undefined && !Array.isArray(value)) fail('allowedHosts', 'an array of host names');
  const hosts = new Set<string>();
  const bound = hostName(bindHost);
  if (bound !== undefined) hosts.add(bound);
  for (const [i, name] of (value ?? []).entries()) {
    // IP addresses are always answered (they cannot be rebound), so listing one changes nothing.
    if (typeof name === 'string' && isIP(name) !== 0) continue;
    const host = typeof name === 'string' ? hostName(name) : undefined;
    if (host === undefined)
      fail(`allowedHosts[${i}]`, 'a host name without scheme, port or path, e.g. "emulator"');
    hosts.add(host);
  }
  return hosts;
}

function checkClient(c: EmulatorClient, i: number, seen: Set<string>): EmulatorClient {
  const at = `clients[${i}]`;
  if (typeof c?.clientId !== 'string' || c.clientId === '') fail(`${at}.clientId`, 'a non-empty string');
  if (seen.has(c.clientId)) fail(`${at}.clientId`, `unique (${JSON.stringify(c.clientId)} appears twice)`);
  seen.add(c.clientId);
  if (typeof c.clientSecret !== 'string' || c.clientSecret === '')
    fail(`${at}.clientSecret`, 'a non-empty string');
  if (typeof c.name !== 'string') fail(`${at}.name`, 'a string');
  if (c.organizerId !== undefined && !(Number.isSafeInteger(c.organizerId) && c.organizerId > 0)) {
    fail(`${at}.organizerId`, 'a positive integer');
  }
  if (!Array.isArray(c.redirectUris) || c.redirectUris.length === 0) {
    fail(`${at}.redirectUris`, 'a non-empty array of absolute URLs');
  }
  for (const uri of c.redirectUris) {
    if (typeof uri !== 'string' || !URL.canParse(uri)) fail(`${at}.redirectUris`, 'absolute URLs');
  }
  return Object.freeze({ ...c, redirectUris: Object.freeze([...c.redirectUris]) });
}

function checkUser(u: EmulatorUser, i: number, seen: Set<number>): EmulatorUser {
  if (!Number.isSafeInteger(u?.id)) fail(`users[${i}].id`, 'an integer');
  if (seen.has(u.id)) fail(`users[${i}].id`, `unique (${u.id} appears twice)`);
  seen.add(u.id);
  return structuredClone(u);
}

/** @internal Applies defaults and checks every option once, naming the option that is wrong. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) fail('port', 'an integer from 0 to 65535');
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') fail('host', 'a host name or IP address');

  const seenClients = new Set<string>();
  const clients = (options.clients ?? [defaultClient]).map((c, i) => checkClient(c, i, seenClients));
  const seenUsers = new Set<number>();
  const users = (options.users ?? defaultUsers).map((u, i) => checkUser(u, i, seenUsers));

  let autoApproveUserId: number | undefined;
  const auto = options.autoApprove;
  if (auto === true) {
    autoApproveUserId = users[0]?.id;
    if (autoApproveUserId === undefined) fail('autoApprove', 'used with at least one user');
  } else if (typeof auto === 'object' && auto !== null) {
    if (!seenUsers.has(auto.userId)) fail('autoApprove.userId', 'the id of one of `users`');
    autoApproveUserId = auto.userId;
  } else if (auto !== undefined && auto !== false) {
    fail('autoApprove', 'a boolean or { userId }');
  }

  let profileRateLimit = options.profileRateLimit ?? 10;
  if (!(typeof profileRateLimit === 'number' && profileRateLimit >= 0)) {
    fail('profileRateLimit', 'a number of requests per minute >= 0 (0 or Infinity: unlimited)');
  }
  if (profileRateLimit === 0) profileRateLimit = Number.POSITIVE_INFINITY;

  const requestLogSize = options.requestLogSize ?? 1000;
  if (!(Number.isInteger(requestLogSize) && requestLogSize >= 0)) fail('requestLogSize', 'an integer >= 0');

  if (options.control !== undefined && typeof options.control !== 'boolean') fail('control', 'a boolean');

  let tls: EmulatorTLSOptions | undefined;
  if (options.tls !== undefined) {
    const { key, cert } = options.tls ?? {};
    const pem = (v: unknown) => (typeof v === 'string' || Buffer.isBuffer(v)) && v.length > 0;
    if (!pem(key)) fail('tls.key', 'a PEM private key (string or Buffer)');
    if (!pem(cert)) fail('tls.cert', 'a PEM certificate (string or Buffer)');
    tls = Object.freeze({ key, cert });
  }

  const ticketData = {
    ...checkTicketData(
      options,
      { organizers: defaultOrganizers, events: defaultEvents, tickets: defaultTickets },
      clients,
    ),
    maxPerPage: count(options.maxTicketsPerPage, 'maxTicketsPerPage', 100),
  };

  return {
    port,
    host,
    tls,
    clients,
    users,
    ticketData,
    autoApproveUserId,
    profileRateLimit,
    requestLogSize,
    limits: {
      maxCodes: count(options.maxCodes, 'maxCodes', 1000),
      maxTokens: count(options.maxTokens, 'maxTokens', 10_000),
    },
    allowedHosts: checkAllowedHosts(options.allowedHosts, host),
    control: options.control ?? false,
    lifetimes: {
      codeTTL: positive(options.codeTTL, 'codeTTL', 600),
      tokenTTL: positive(options.tokenTTL, 'tokenTTL', 7200),
      refreshTokenTTL: positive(options.refreshTokenTTL, 'refreshTokenTTL', 30 * 24 * 3600),
    },
  };
}
