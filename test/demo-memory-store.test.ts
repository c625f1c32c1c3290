// The demo's default session store: sessions expire with their cookie, and the store never holds more than its cap.
import { expect } from 'chai';
import type { SessionData } from 'express-session';

type Store = import('../examples/express/memory-store.mjs').BoundedMemoryStore;

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A stored session whose cookie expires `inMs` from `now`, carrying a marker to read back. */
function sessionExpiring(now: number, inMs: number | undefined, marker: string): SessionData {
  const expires = inMs === undefined ? null : new Date(now + inMs);
  return { cookie: { originalMaxAge: inMs ?? null, expires }, marker } as unknown as SessionData;
}

function read(store: Store, sid: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    store.get(sid, (err, session) => (err ? reject(err) : resolve(session)));
  });
}

function write(store: Store, sid: string, session: SessionData): Promise<void> {
  return new Promise((resolve, reject) => {
    store.set(sid, session, (err) => (err ? reject(err) : resolve()));
  });
}

describe('the demo session store (BoundedMemoryStore)', () => {
  let BoundedMemoryStore: typeof import('../examples/express/memory-store.mjs').BoundedMemoryStore;

  before(async () => {
    ({ BoundedMemoryStore } = await import('../examples/express/memory-store.mjs'));
  });

  it('gives a session back, as stored, until its cookie expires', async () => {
    const clock = manualClock();
    const store = new BoundedMemoryStore({ now: clock.now });
    await write(store, 'a', sessionExpiring(clock.now(), 600_000, 'kept'));
    clock.advance(599_000);
    expect(await read(store, 'a')).to.deep.include({ marker: 'kept' });
  });

  it('forgets a session once its cookie has expired', async () => {
    const clock = manualClock();
    const store = new BoundedMemoryStore({ now: clock.now });
    await write(store, 'a', sessionExpiring(clock.now(), 600_000, 'gone'));
    clock.advance(600_000);
    expect([await read(store, 'a'), store.size]).to.deep.equal([null, 0]);
  });

  it('sweeps out expired sessions that nobody reads again, on a later write', async () => {
    const clock = manualClock();
    const store = new BoundedMemoryStore({ now: clock.now });
    for (let i = 0; i < 100; i += 1)
      await write(store, `anonymous-${i}`, sessionExpiring(clock.now(), 600_000, ''));
    clock.advance(11 * 60_000);
    await write(store, 'signed-in', sessionExpiring(clock.now(), 8 * 3600_000, 'me'));
    expect(store.size).to.equal(1);
  });

  it('holds at most maxSessions, dropping the least recently written first', async () => {
    const clock = manualClock();
    const store = new BoundedMemoryStore({ maxSessions: 3, now: clock.now });
    for (const sid of ['a', 'b', 'c']) await write(store, sid, sessionExpiring(clock.now(), undefined, sid));
    await write(store, 'a', sessionExpiring(clock.now(), undefined, 'a again'));
    await write(store, 'd', sessionExpiring(clock.now(), undefined, 'd'));
    const held = await Promise.all(['a', 'b', 'c', 'd'].map((sid) => read(store, sid)));
    expect(held.map((s) => (s as { marker?: string } | null)?.marker ?? null)).to.deep.equal([
      'a again',
      null,
      'c',
      'd',
    ]);
  });

  it('forgets a destroyed session', async () => {
    const store = new BoundedMemoryStore();
    await write(store, 'a', sessionExpiring(Date.now(), 600_000, 'a'));
    await new Promise<void>((resolve) => store.destroy('a', () => resolve()));
    expect(await read(store, 'a')).to.equal(null);
  });

  it('refuses a maxSessions that is not a positive integer, naming it', () => {
    expect(() => new BoundedMemoryStore({ maxSessions: 0 })).to.throw(TypeError, /maxSessions/);
  });
});
