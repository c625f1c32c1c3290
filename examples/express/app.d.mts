// Types of the demo app's createApp, for the TypeScript tests that start it in-process.
import type { Express } from 'express';
import type { Store } from 'express-session';
import type { PassportStatic } from 'passport';
import type { Strategy } from '../../dist/index.mjs';
import type { BoundedMemoryStore } from './memory-store.mjs';

/** Options of {@link createApp}. */
export interface DemoOptions {
  clientID: string;
  clientSecret: string;
  /** Absolute callback URL, registered with Eventpop (or the emulator). */
  callbackURL: string;
  /** Eventpop's base URL; default production. The emulator's `emu.url` for local runs. */
  baseURL?: string;
  /**
   * A shared session store (e.g. connect-redis) for several instances. Default: a
   * {@link BoundedMemoryStore} of this app's own (sessions expire, at most 10,000 at a time).
   */
  sessionStore?: Store;
  /** Signs the session cookie; must be the same on every instance. Default: random per app. */
  sessionSecret?: string;
  /** PKCE (S256) on the authorization request. Default: the strategy's default. `false` opts out. */
  pkce?: boolean;
  /** Milliseconds allowed for each request to Eventpop (the strategy's `timeout`). */
  timeout?: number;
  /**
   * Express's `trust proxy` setting, for a TLS-terminating proxy in front of the app: the number
   * of proxies (`1`), their addresses (`'loopback'`, `'10.0.0.0/8'`) or `true`. With it,
   * `X-Forwarded-Proto: https` makes the session cookie `Secure`. Default: unset (no proxy trusted).
   */
  trustProxy?: boolean | number | string;
  /**
   * Fetch the user's tickets for this organizer at sign-in and open `/holders` to holders of a
   * ticket for `eventId`; `events` names events on the pages. Default: no tickets.
   */
  tickets?: DemoTickets;
  /** Where errors and rejected requests are logged, one JSON object per line; default `console`. */
  logger?: Pick<Console, 'error' | 'warn'>;
}

/** The demo's ticket settings. */
export interface DemoTickets {
  organizerId: number;
  eventId: number;
  events?: Record<number, string>;
}

/** A ticket, as the demo keeps it in the session. */
export interface DemoTicket {
  id: number;
  eventId: number;
  type?: string;
  referenceCode?: string;
  status?: string;
}

/** A session's user, as the demo keeps it. */
export interface DemoUser {
  id: string;
  name: string;
  email?: string;
  photo?: string;
  accessToken: string;
  refreshToken?: string;
  /** Unix seconds. */
  expiresAt?: number;
  /** The tickets that count, with the `tickets` option. */
  tickets?: DemoTicket[];
}

/** What {@link createApp} returns. */
export interface Demo {
  app: Express;
  strategy: Strategy;
  passport: PassportStatic;
  refresh: {
    requestNewAccessToken(name: string, refreshToken: string, done: (...args: unknown[]) => void): void;
  };
  /** The session store in use (the one passed in, or the default {@link BoundedMemoryStore}). */
  sessionStore: Store;
}

/** The session cookie's name. */
export declare const SESSION_COOKIE: string;

/** How long a signed-in session lasts, in milliseconds (8 hours). */
export declare const SESSION_MAX_AGE_MS: number;

/** How long a session started by `GET /auth/eventpop` lasts before sign-in, in milliseconds (10 minutes). */
export declare const SIGN_IN_MAX_AGE_MS: number;

/** Builds the demo app (one passport instance and refresh registry per call). */
export declare function createApp(options: DemoOptions): Demo;

/** When the access token expires, in Unix seconds: `created_at` + `expires_in`. */
export declare function expiryOf(
  params: { created_at?: number; expires_in?: number },
  nowMs?: number,
): number | undefined;
