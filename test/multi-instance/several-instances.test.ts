// Two demo app processes behind one address: the login's state lives in a shared Redis session store.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createClient } from 'redis';
import { createEmulator, type Emulator } from '../../lib/emulator';
import { HttpBrowser } from '../helpers/cookie-jar';
import { freePort, type Proc, startProcess, stopProcess as stop } from '../helpers/processes';

const REDIS_SERVER = '/usr/bin/redis-server';
const INSTANCE = join(__dirname, 'instance.mjs');
const CLIENT_SECRET = 'several-instances-secret-5d1c';
// The load balancer's address, as Eventpop sees it. The test plays the load balancer: it sends
// each request to the instance it chooses, so "start on A, finish on B" is exact, not likely.
const PUBLIC_CALLBACK = 'http://127.0.0.1:9/auth/eventpop/callback';

async function startInstance(name: string, emu: Emulator, redisURL?: string): Promise<[Proc, string]> {
  const [proc, [line]] = await startProcess(process.execPath, [INSTANCE], /\{"port":\d+\}/, {
    env: {
      INSTANCE: name,
      EVENTPOP_CLIENT_ID: 'several-instances',
      EVENTPOP_CLIENT_SECRET: CLIENT_SECRET,
      EVENTPOP_CALLBACK_URL: PUBLIC_CALLBACK,
      EVENTPOP_BASE_URL: emu.url,
      SESSION_SECRET: 'the same session secret on every instance',
      ...(redisURL ? { REDIS_URL: redisURL } : {}),
    },
  });
  return [proc, `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`];
}

interface Login {
  readonly codes: string[];
  readonly callbackStatus: number;
  readonly callbackBody: string;
  readonly profileStatus: number;
  readonly profileBody: string;
}

/** Starts a login on one instance and finishes its callback on another, then opens the profile. */
async function loginAcross(begin: string, finish: string): Promise<Login> {
  const browser = new HttpBrowser();
  const toEventpop = await browser.open(`${begin}/auth/eventpop`, { follow: false });
  const approved = await browser.open(toEventpop.location!, { follow: false });
  const callback = new URL(approved.location!);
  const code = callback.searchParams.get('code') ?? '';
  const landed = await browser.open(`${finish}${callback.pathname}${callback.search}`, { follow: false });
  const profile = await browser.open(`${begin}/profile`, { follow: false });
  return {
    codes: [code],
    callbackStatus: landed.status,
    callbackBody: landed.body,
    profileStatus: profile.status,
    profileBody: profile.body,
  };
}

describe('several app instances sharing a Redis session store', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let redis: Proc | undefined;
  let redisURL: string;
  let a: Proc | undefined;
  let b: Proc | undefined;
  let urlA: string;
  let urlB: string;

  before(async () => {
    if (!existsSync(REDIS_SERVER)) {
      throw new Error(`${REDIS_SERVER} is missing: install it with apt-get install -y redis-server`);
    }
    const port = await freePort();
    [redis] = await startProcess(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      /Ready to accept connections/,
    );
    redisURL = `redis://127.0.0.1:${port}`;
    emu = await createEmulator({
      port: 0,
      autoApprove: true,
      clients: [
        {
          clientId: 'several-instances',
          clientSecret: CLIENT_SECRET,
          redirectUris: [PUBLIC_CALLBACK],
          name: 'Demo',
        },
      ],
    });
    [[a, urlA], [b, urlB]] = await Promise.all([
      startInstance('A', emu, redisURL),
      startInstance('B', emu, redisURL),
    ]);
  });

  after(async () => {
    await Promise.all([stop(a), stop(b)]);
    await stop(redis);
    await emu?.close();
  });

  it('finishes on instance B a login begun on instance A', async () => {
    const login = await loginAcross(urlA, urlB);
    expect(login.callbackStatus).to.equal(303);
    expect(login.profileStatus).to.equal(200);
    expect(login.profileBody).to.include(emu.users[0]!.email!);
  });

  describe('200 logins at once, spread over both instances', () => {
    let logins: Login[];
    let tokenRequestsBefore: number;

    before(async () => {
      const db = createClient({ url: redisURL });
      await db.connect();
      await db.flushAll();
      await db.quit();
      tokenRequestsBefore = emu.counts.token;
      logins = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 2 === 0 ? loginAcross(urlA, urlB) : loginAcross(urlB, urlA),
        ),
      );
    });

    it('signs every user in', () => {
      const failed = logins.filter((l) => l.callbackStatus !== 303 || l.profileStatus !== 200);
      expect(failed.map((l) => `${l.callbackStatus}/${l.profileStatus}`)).to.deep.equal([]);
      for (const login of logins) expect(login.profileBody).to.include(emu.users[0]!.email!);
    });

    it('exchanges each code exactly once and leaves no code unused at Eventpop', () => {
      expect(emu.counts.token - tokenRequestsBefore).to.equal(200);
      expect(new Set(logins.flatMap((l) => l.codes)).size).to.equal(200);
      expect(emu.stats().codes).to.equal(0);
    });

    it('keeps exactly one session per user in Redis, with no login state left behind', async () => {
      const db = createClient({ url: redisURL });
      await db.connect();
      try {
        const keys = await db.keys('eventpop-demo:*');
        expect(keys).to.have.lengthOf(200);
        const sessions = await Promise.all(keys.map(async (key) => JSON.parse((await db.get(key)) ?? '{}')));
        const leftovers = sessions.filter((s) => Object.keys(s).some((k) => k.startsWith('oauth2:')));
        expect(leftovers).to.have.lengthOf(0);
        expect(sessions.every((s) => s.passport?.user?.id === String(emu.users[0]!.id))).to.equal(true);
      } finally {
        await db.quit();
      }
    });

    it('writes no client secret and no authorization code to either instance log', () => {
      const logs = `${a!.output}\n${b!.output}`;
      expect(logs).not.to.include(CLIENT_SECRET);
      const leaked = logins.flatMap((l) => l.codes).filter((code) => code && logs.includes(code));
      expect(leaked).to.deep.equal([]);
    });
  });

  describe('with the default in-memory session store', () => {
    let c: Proc | undefined;
    let d: Proc | undefined;
    let urlC: string;
    let urlD: string;

    before(async () => {
      [[c, urlC], [d, urlD]] = await Promise.all([startInstance('C', emu), startInstance('D', emu)]);
    });
    after(() => Promise.all([stop(c), stop(d)]));

    it('refuses the split login with the state error, makes no token request, and keeps running', async () => {
      const tokenRequests = emu.counts.token;
      const login = await loginAcross(urlC, urlD);
      expect(login.callbackStatus).to.equal(403);
      expect(login.callbackBody).to.include('verify this sign-in');
      expect(emu.counts.token).to.equal(tokenRequests);
      const health = await fetch(`${urlD}/healthz`);
      expect(health.status).to.equal(200);
      expect(d!.child.exitCode).to.equal(null);
      expect(d!.output).to.include('Unable to verify authorization request state');
    });
  });
});
