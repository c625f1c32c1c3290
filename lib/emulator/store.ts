// The emulator's in-memory state: registered clients, users, authorization codes and tokens, and its clock.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A scope Eventpop knows: `public` (the user's profile, orders, tickets) or `organizer`. */
export type Scope = 'public' | 'organizer';

/** The scopes the emulator accepts, in the order its consent page lists them. */
export const knownScopes: readonly Scope[] = ['public', 'organizer'];

/** The four sizes of a user's picture, as in Eventpop's `/api/public/me`. */
export interface EmulatorAvatars {
  original?: string | null;
  medium?: string | null;
  thumb?: string | null;
  tiny?: string | null;
}

/**
 * A user as Eventpop's `/api/public/me` returns it inside `{"user": ...}`. Only `id` (an integer) is
 * required; every other field may be absent or `null`, and the emulator returns it exactly as given,
 * with one exception: an `avatar` or `avatars` value that is a path (starts with one `/`) is answered
 * as an absolute URL on the emulator's own origin, e.g. `/avatars/4242/medium.svg` becomes
 * `http://127.0.0.1:<port>/avatars/4242/medium.svg` (the host as the request named it in its `Host`
 * header, so a client that calls the emulator `localhost` gets `localhost` URLs; `emu.url`'s without one). The emulator serves a generated picture (the
 * user's initials) at `/avatars/<id>/<original|medium|thumb|tiny>.svg` for each of its users.
 * Absolute URLs are answered untouched.
 */
export interface EmulatorUser {
  id: number;
  full_name?: string | null;
  email?: string | null;
  avatar?: string | null;
  avatars?: EmulatorAvatars | null;
  birthday?: string | null;
  gender?: string | null;
  phone?: string | null;
}

/** An OAuth application registered with the emulator. */
export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; `/oauth/authorize` and `/oauth/token` compare them as strings. */
  redirectUris: readonly string[];
  /** Shown on the consent page. */
  name: string;
  /**
   * `true` (the default): the token endpoint requires the secret. `false`: a public client, which may
   * exchange codes and refresh tokens with its `client_id` alone (PKCE advised), but not use
   * `client_credentials`.
   */
  confidential?: boolean;
  /**
   * The organizer the application was issued for (Eventpop issues one per organizer): its tokens
   * read that organizer's tickets list and get `401` on any other's. Default: the first organizer.
   */
  organizerId?: number;
}

/** @internal An authorization code waiting to be exchanged. */
export interface CodeGrant {
  readonly clientId: string;
  readonly userId: number;
  readonly scopes: readonly Scope[];
  /** The redirect URI the authorize step used (sent, or defaulted to the client's only one). */
  readonly redirectUri: string;
  /** Whether the authorize request carried `redirect_uri` (RFC 6749 4.1.3 then requires it again). */
  readonly redirectUriSent: boolean;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: 'plain' | 'S256' | undefined;
  readonly expiresAt: number;
}

/**
 * @internal One issued token, like a Doorkeeper `oauth_access_tokens` row: the access token and its
 * refresh token live and die together.
 */
export interface TokenRecord {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly clientId: string;
  /** `undefined` for an app token from `client_credentials`. */
  readonly userId: number | undefined;
  readonly scopes: readonly Scope[];
  /** Milliseconds on the emulator's clock. */
  readonly createdAt: number;
  expiresAt: number;
  revokedAt: number | undefined;
  /** Set on a refreshed token until its first use, which revokes the token it replaced. */
  previousRefreshToken: string | undefined;
  /**
   * The access token of the pair last issued from this refresh token, while that pair was never
   * used: a replay of this refresh token replaces it (see {@link Store.issueToken}).
   */
  successor: string | undefined;
  /** Start of the current `/api/public/me` rate-limit window and the requests counted in it. */
  rateWindowStart: number;
  rateCount: number;
}

/** @internal What a lookup of an access token found. */
export type TokenState = 'valid' | 'expired' | 'revoked';

/** @internal Lifetimes in seconds. */
export interface StoreLifetimes {
  codeTTL: number;
  tokenTTL: number;
  refreshTokenTTL: number;
}

/** @internal How many of each the store holds at most; the oldest goes first to make room. */
export interface StoreLimits {
  /** Live authorization codes, and consent forms waiting for an answer (each kind up to this). */
  maxCodes: number;
  /** Issued tokens (an access token with its refresh token counts once), revoked ones included. */
  maxTokens: number;
}

/** How many codes, consent forms and tokens the emulator holds, to check that it prunes. */
export interface EmulatorStats {
  /** Authorization codes not yet exchanged (at most `maxCodes`). */
  codes: number;
  /** Consent pages shown and not yet answered (at most `maxCodes`). */
  consents: number;
  /** Token pairs and app tokens it still knows, revoked and expired ones included (at most `maxTokens`). */
  tokens: number;
}

/** How long a consent page's form can be answered: a person may leave the tab open a while. */
const consentTTLms = 60 * 60 * 1000;

/** A random 64-hex string (256 bits), the shape of Eventpop's codes and tokens. */
export function randomToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compares two secrets in constant time whatever their lengths (hashing first equalizes them). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Makes room for one more entry: deletes the oldest ones (a `Map` iterates in insertion order). */
function makeRoom<K, V>(map: Map<K, V>, max: number, forget: (key: K, value: V) => void): void {
  for (const [key, value] of map) {
    if (map.size < max) return;
    forget(key, value);
  }
}

/** @internal The emulator's state; every time is read from its own clock so tests can move it. */
export class Store {
  readonly clients = new Map<string, EmulatorClient>();
  readonly users = new Map<number, EmulatorUser>();
  private readonly codes = new Map<string, CodeGrant>();
  /** Consent forms shown: their one-time token -> the request they were shown for, and until when. */
  private readonly consents = new Map<string, { request: string; expiresAt: number }>();
  private readonly byAccess = new Map<string, TokenRecord>();
  private readonly byRefresh = new Map<string, TokenRecord>();
  private offsetMs = 0;

  constructor(
    clients: readonly EmulatorClient[],
    users: readonly EmulatorUser[],
    readonly lifetimes: StoreLifetimes,
    private readonly limits: StoreLimits,
  ) {
    for (const c of clients) this.clients.set(c.clientId, c);
    for (const u of users) this.users.set(u.id, u);
  }

  /** Milliseconds since the epoch, on the emulator's (movable) clock. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock forward, then drops what expired. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
    this.sweep();
  }

  issueCode(grant: Omit<CodeGrant, 'expiresAt'>): string {
    const code = randomToken();
    makeRoom(this.codes, this.limits.maxCodes, (key) => this.codes.delete(key));
    this.codes.set(code, { ...grant, expiresAt: this.now() + this.lifetimes.codeTTL * 1000 });
    return code;
  }

  /** A live code, or `undefined` for an unknown, used or expired one. */
  findCode(code: string): CodeGrant | undefined {
    const grant = this.codes.get(code);
    if (grant === undefined) return undefined;
    if (grant.expiresAt <= this.now()) {
      this.codes.delete(code);
      return undefined;
    }
    return grant;
  }

  /**
   * Uses up a code. Like Doorkeeper, a used code is forgotten (a reuse is `invalid_grant`) and the
   * tokens issued from it stay valid.
   */
  consumeCode(code: string): void {
    this.codes.delete(code);
  }

  /**
   * A one-time token for a consent form shown for `request` (the form's parameters, serialized), so
   * that only a form this emulator served can be answered (a cross-site POST cannot read one).
   */
  issueConsent(request: string): string {
    const token = randomToken();
    makeRoom(this.consents, this.limits.maxCodes, (key) => this.consents.delete(key));
    this.consents.set(token, { request, expiresAt: this.now() + consentTTLms });
    return token;
  }

  /** Whether `token` is a live consent token issued for `request`; a match uses it up. */
  takeConsent(token: string, request: string): boolean {
    const consent = this.consents.get(token);
    if (consent === undefined || consent.expiresAt <= this.now() || consent.request !== request) return false;
    this.consents.delete(token);
    return true;
  }

  /**
   * Issues a token (with a refresh token when `withRefresh`). When it replaces `previous` (a
   * refresh), `previous` keeps working until the new pair is first used (eventpop-api.md), and a
   * refresh token has at most one such never-used successor: refreshing `previous` again forgets
   * the pair its last refresh issued if that pair was never used, so replaying one refresh token
   * leaves one live pair, not one per replay.
   */
  issueToken(fields: {
    clientId: string;
    userId: number | undefined;
    scopes: readonly Scope[];
    withRefresh: boolean;
    previous?: TokenRecord;
  }): TokenRecord {
    const { previous } = fields;
    if (previous?.successor !== undefined) {
      const unused = this.byAccess.get(previous.successor);
      if (unused?.previousRefreshToken !== undefined) this.forget(unused);
    }
    makeRoom(this.byAccess, this.limits.maxTokens, (_, record) => this.forget(record));
    const now = this.now();
    const record: TokenRecord = {
      accessToken: randomToken(),
      refreshToken: fields.withRefresh ? randomToken() : undefined,
      clientId: fields.clientId,
      userId: fields.userId,
      scopes: fields.scopes,
      createdAt: now,
      expiresAt: now + this.lifetimes.tokenTTL * 1000,
      revokedAt: undefined,
      previousRefreshToken: previous?.refreshToken,
      successor: undefined,
      rateWindowStart: 0,
      rateCount: 0,
    };
    this.byAccess.set(record.accessToken, record);
    if (record.refreshToken !== undefined) this.byRefresh.set(record.refreshToken, record);
    if (previous !== undefined) previous.successor = record.accessToken;
    return record;
  }

  findByAccess(token: string): TokenRecord | undefined {
    return this.byAccess.get(token);
  }

  /** The token a live refresh token belongs to, or `undefined` for an unknown, revoked or expired one. */
  findByRefresh(token: string): TokenRecord | undefined {
    const record = this.byRefresh.get(token);
    if (record === undefined || record.revokedAt !== undefined) return undefined;
    if (this.refreshExpiresAt(record) <= this.now()) return undefined;
    return record;
  }

  stateOf(record: TokenRecord): TokenState {
    if (record.revokedAt !== undefined) return 'revoked';
    return record.expiresAt <= this.now() ? 'expired' : 'valid';
  }

  /**
   * Records the first use of a refreshed token: the token it replaced (access and refresh) is revoked
   * now, as Doorkeeper does with `refresh_token_revoked_on_use`.
   */
  markUsed(record: TokenRecord): void {
    const previous = record.previousRefreshToken;
    if (previous === undefined) return;
    record.previousRefreshToken = undefined;
    const old = this.byRefresh.get(previous);
    if (old !== undefined) this.revoke(old);
  }

  revoke(record: TokenRecord): void {
    if (record.revokedAt === undefined) record.revokedAt = this.now();
  }

  /** Makes an access token expire now; `false` when the token is unknown. */
  expireAccessToken(token: string): boolean {
    const record = this.byAccess.get(token);
    if (record === undefined) return false;
    record.expiresAt = Math.min(record.expiresAt, this.now());
    return true;
  }

  /**
   * Forgets expired codes, and tokens that can no longer be used in any way. A revoked or expired
   * access token is kept while its refresh token lives or its original lifetime runs, so `/me` can
   * still say "was revoked" or "expired" rather than "is invalid".
   */
  sweep(): void {
    const now = this.now();
    for (const [code, grant] of this.codes) if (grant.expiresAt <= now) this.codes.delete(code);
    for (const [token, consent] of this.consents) if (consent.expiresAt <= now) this.consents.delete(token);
    for (const record of this.byAccess.values()) {
      const accessDead = record.expiresAt <= now && record.createdAt + this.lifetimes.tokenTTL * 1000 <= now;
      const refreshDead =
        record.refreshToken === undefined ||
        record.revokedAt !== undefined ||
        this.refreshExpiresAt(record) <= now;
      if (accessDead && refreshDead) this.forget(record);
    }
  }

  stats(): EmulatorStats {
    return { codes: this.codes.size, consents: this.consents.size, tokens: this.byAccess.size };
  }

  /** Drops a token and its refresh token: from now on both are unknown. */
  private forget(record: TokenRecord): void {
    this.byAccess.delete(record.accessToken);
    if (record.refreshToken !== undefined) this.byRefresh.delete(record.refreshToken);
  }

  private refreshExpiresAt(record: TokenRecord): number {
    return record.createdAt + this.lifetimes.refreshTokenTTL * 1000;
  }
}
