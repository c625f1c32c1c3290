// Types of the demo's bounded in-memory session store, for the TypeScript tests.
import session from 'express-session';

/** Options of {@link BoundedMemoryStore}. */
export interface BoundedMemoryStoreOptions {
  /** The most sessions held at once; past it, the least recently written goes first. Default 10,000. */
  maxSessions?: number;
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/** An express-session store in memory whose sessions expire with their cookie, never more than `maxSessions`. */
export declare class BoundedMemoryStore extends session.Store {
  constructor(options?: BoundedMemoryStoreOptions);
  /** How many sessions are held now, expired ones not yet swept included. */
  readonly size: number;
  get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void;
  set(sid: string, session: session.SessionData, callback?: (err?: unknown) => void): void;
  destroy(sid: string, callback?: (err?: unknown) => void): void;
}
