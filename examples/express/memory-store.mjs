// The demo's default session store: in memory, each session gone when its cookie expires, and never more than a fixed number.
import session from 'express-session';

/** How often, at most, a write sweeps every expired session out (milliseconds). */
const SWEEP_EVERY_MS = 60_000;

/**
 * When a stored session expires, in milliseconds since the epoch; `Infinity` for a browser-session
 * cookie (no `expires`).
 * @param {import('express-session').SessionData} sess
 */
function expiresAt(sess) {
  const expires = sess?.cookie?.expires;
  if (expires === undefined || expires === null) return Number.POSITIVE_INFINITY;
  const ms = new Date(expires).getTime();
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/**
 * express-session's own MemoryStore frees an expired session only when that session is read again,
 * so sessions that nobody comes back for (an anonymous `GET /auth/eventpop`, sent by a script a
 * million times) stay in memory for as long as the process runs. This store drops a session once it
 * has expired, sweeps all expired ones at most once a minute on writes, and holds at most
 * `maxSessions`: past that, the least recently written session goes first. For several instances,
 * use a shared store (connect-redis) instead: it expires sessions by itself.
 */
export class BoundedMemoryStore extends session.Store {
  /** @type {Map<string, { json: string, expiresAt: number }>} in write order, oldest first */
  #sessions = new Map();
  #maxSessions;
  #now;
  #nextSweep = 0;

  /**
   * @param {{ maxSessions?: number, now?: () => number }} [options] `now` in milliseconds, for tests
   */
  constructor({ maxSessions = 10_000, now = Date.now } = {}) {
    super();
    if (!Number.isInteger(maxSessions) || maxSessions < 1) {
      throw new TypeError(`maxSessions must be a positive integer, got ${String(maxSessions)}`);
    }
    this.#maxSessions = maxSessions;
    this.#now = now;
  }

  /** How many sessions are held now, expired ones not yet swept included. */
  get size() {
    return this.#sessions.size;
  }

  /** @param {string} sid @param {(err: unknown, session?: unknown) => void} callback */
  get(sid, callback) {
    let entry = this.#sessions.get(sid);
    if (entry !== undefined && entry.expiresAt <= this.#now()) {
      this.#sessions.delete(sid);
      entry = undefined;
    }
    setImmediate(callback, null, entry === undefined ? null : JSON.parse(entry.json));
  }

  /** @param {string} sid @param {import('express-session').SessionData} sess @param {(err?: unknown) => void} [callback] */
  set(sid, sess, callback) {
    this.#sessions.delete(sid);
    this.#sessions.set(sid, { json: JSON.stringify(sess), expiresAt: expiresAt(sess) });
    this.#prune();
    if (callback) setImmediate(callback, null);
  }

  /** @param {string} sid @param {import('express-session').SessionData} sess @param {(err?: unknown) => void} [callback] */
  touch(sid, sess, callback) {
    const entry = this.#sessions.get(sid);
    if (entry !== undefined) entry.expiresAt = expiresAt(sess);
    if (callback) setImmediate(callback, null);
  }

  /** @param {string} sid @param {(err?: unknown) => void} [callback] */
  destroy(sid, callback) {
    this.#sessions.delete(sid);
    if (callback) setImmediate(callback, null);
  }

  /** @param {(err: unknown, length?: number) => void} callback */
  length(callback) {
    setImmediate(callback, null, this.#sessions.size);
  }

  /** @param {(err?: unknown) => void} [callback] */
  clear(callback) {
    this.#sessions.clear();
    if (callback) setImmediate(callback, null);
  }

  #prune() {
    const now = this.#now();
    if (now >= this.#nextSweep) {
      this.#nextSweep = now + SWEEP_EVERY_MS;
      for (const [sid, entry] of this.#sessions) if (entry.expiresAt <= now) this.#sessions.delete(sid);
    }
    for (const sid of this.#sessions.keys()) {
      if (this.#sessions.size <= this.#maxSessions) break;
      this.#sessions.delete(sid);
    }
  }
}
