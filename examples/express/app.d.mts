// Types of the demo app's createApp, for the TypeScript tests that start it in-process.
import type { Express } from 'express';
import type { Store } from 'express-session';
import type { PassportStatic } from 'passport';
import type { Strategy } from '../../dist/index.mjs';

/** Options of {@link createApp}. */
export interface DemoOptions {
  clientID: string;
  clientSecret: string;
  /** Absolute callback URL, registered with Eventpop (or the emulator). */
  callbackURL: string;
  /** Eventpop's base URL; default production. The emulator's `emu.url` for local runs. */
  baseURL?: string;
  /** A shared session store (e.g. connect-redis) for several instances; default express-session's MemoryStore. */
  sessionStore?: Store;
  /** Signs the session cookie; must be the same on every instance. Default: random per app. */
  sessionSecret?: string;
  /** PKCE (S256) on the authorization request. Default false. */
  pkce?: boolean;
  /** Milliseconds allowed for each request to Eventpop (the strategy's `timeout`). */
  timeout?: number;
  /** Where errors and rejected sign-ins are logged; default `console`. */
  logger?: Pick<Console, 'error' | 'warn'>;
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
}

/** What {@link createApp} returns. */
export interface Demo {
  app: Express;
  strategy: Strategy;
  passport: PassportStatic;
  refresh: {
    requestNewAccessToken(name: string, refreshToken: string, done: (...args: unknown[]) => void): void;
  };
}

/** The session cookie's name. */
export declare const SESSION_COOKIE: string;

/** Builds the demo app (one passport instance and refresh registry per call). */
export declare function createApp(options: DemoOptions): Demo;

/** When the access token expires, in Unix seconds: `created_at` + `expires_in`. */
export declare function expiryOf(
  params: { created_at?: number; expires_in?: number },
  nowMs?: number,
): number | undefined;
