// What every interop test app shares: its options, the user it keeps in the session, and its error body.
import type { Server } from 'node:http';
import {
  AuthorizationError,
  EventpopAPIError,
  type EventpopProfile,
  type EventpopStrategyOptions,
  InternalOAuthError,
  TokenError,
} from '../../lib';

/** The user each app's verify callback stores in the session and `GET /me` returns. */
export interface SessionUser {
  id: string;
  displayName: string;
  email: string | null;
}

/** The typed profile, reduced to what the session keeps. */
export function toSessionUser(profile: EventpopProfile): SessionUser {
  return { id: profile.id, displayName: profile.displayName, email: profile.emails?.[0].value ?? null };
}

/**
 * The JSON body each app's error handler answers a failed login with (status 502): the error's
 * class name and machine-readable code, never its message (which names Eventpop's endpoints).
 */
export interface LoginErrorBody {
  error: string;
  code: string | null;
}

/**
 * The errors a login fails with because of Eventpop: it sent the user back with an error other
 * than a refusal (`AuthorizationError`: `temporarily_unavailable`, `server_error`, ...), refused
 * the code, or could not be reached or answered badly. One list for every app, Nest's `@Catch` too.
 */
export const EVENTPOP_FAILURES = [
  AuthorizationError,
  TokenError,
  InternalOAuthError,
  EventpopAPIError,
] as const;

/** Whether a login failed because of Eventpop: an instance of one of {@link EVENTPOP_FAILURES}. */
export function isEventpopFailure(err: unknown): err is Error & { code?: unknown } {
  return EVENTPOP_FAILURES.some((failure) => err instanceof failure);
}

/** Builds the {@link LoginErrorBody} for any thrown value. */
export function loginErrorBody(err: unknown): LoginErrorBody {
  const name = err instanceof Error ? err.name : 'Error';
  const code = (err as { code?: unknown } | null)?.code;
  return { error: name, code: typeof code === 'string' ? code : null };
}

/** The session secret of the test apps (a test value, not a real secret). */
export const SESSION_SECRET = 'interop-test-session-secret-at-least-32-chars';

/** What the test hands an app: the strategy's options, pointed at the emulator. */
export interface AppOptions {
  /** Options for `new Strategy(...)`, with `baseURL` at the emulator and the app's absolute callback URL. */
  strategy: EventpopStrategyOptions;
}

/**
 * Starts an app on an already listening server, so that its port (and so its callback URL) is
 * known before the emulator registers the client. Routes: `GET /auth/eventpop` (login),
 * `GET /auth/eventpop/callback` (success: 302 to `/`; refusal: 302 to `/login`; error: 502 with a
 * {@link LoginErrorBody}), `GET /me` (the session's {@link SessionUser}, or 401).
 */
export type StartApp = (server: Server, options: AppOptions) => Promise<{ close(): Promise<void> }>;
