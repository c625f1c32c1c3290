import { once } from 'node:events';
import { expect } from 'chai';
import { createEmulator, type Emulator } from '../lib/emulator/index';
import {
  code,
  exchange,
  get,
  login,
  me,
  rejection,
  type TokenBody,
  within,
} from './fixtures/emulator/client';

describe('emulator: fault injection', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ profileRateLimit: 0 });
  });
  afterEach(() => emu.clearFaults());
  after(() => emu.close());

  it('answers once with the injected status when times is 1, then normally', async () => {
    const authorizationCode = await code(emu);
    emu.inject('token', { status: 503, body: 'Service Unavailable', times: 1 });
    const faulty = await exchange(emu, authorizationCode);
    expect(faulty.status).to.equal(503);
    expect(faulty.headers.get('content-type')).to.match(/^text\/plain/);
    expect(await faulty.text()).to.equal('Service Unavailable');
    expect((await exchange(emu, authorizationCode)).status).to.equal(200);
  });

  it('keeps a fault without times until clearFaults()', async () => {
    const { access_token } = await login(emu);
    emu.inject('me', { status: 500, body: { error: 'boom' }, headers: { 'x-request-id': 'r1' } });
    for (let i = 0; i < 3; i += 1) {
      const res = await me(emu, access_token);
      expect(res.status).to.equal(500);
      expect(res.headers.get('x-request-id')).to.equal('r1');
      expect(await res.json()).to.deep.equal({ error: 'boom' });
    }
    emu.clearFaults('me');
    expect((await me(emu, access_token)).status).to.equal(200);
  });

  it('plays queued faults in order', async () => {
    const { access_token } = await login(emu);
    emu.inject('me', { status: 500, times: 1 });
    emu.inject('me', { status: 502, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await me(emu, access_token)).status);
    expect(statuses).to.deep.equal([500, 502, 502, 200]);
  });

  it('delays by delayMs, then answers normally', async () => {
    const { access_token } = await login(emu);
    emu.inject('me', { delayMs: 150, times: 1 });
    const started = performance.now();
    const res = await me(emu, access_token);
    expect(performance.now() - started).to.be.at.least(140);
    expect(res.status).to.equal(200);
  });

  it('delays, then plays the fault when both are given', async () => {
    emu.inject('token', { delayMs: 50, status: 504, times: 1 });
    const started = performance.now();
    expect((await exchange(emu, 'x')).status).to.equal(504);
    expect(performance.now() - started).to.be.at.least(45);
  });

  it('never answers with hang: the client’s own timeout fires', async () => {
    emu.inject('token', { hang: true, times: 1 });
    const error = await rejection(
      fetch(`${emu.url}/oauth/token`, {
        method: 'POST',
        body: 'grant_type=x',
        signal: AbortSignal.timeout(200),
      }),
    );
    expect(error.name).to.equal('TimeoutError');
  });

  it('destroys the socket with drop', async () => {
    emu.inject('me', { drop: true, times: 1 });
    const error = await within(5000, rejection(get(emu, '/api/public/me')));
    expect(error).to.be.instanceOf(TypeError);
  });

  it('answers a proxy’s HTML 502 page with html', async () => {
    emu.inject('token', { html: true, times: 1 });
    const res = await exchange(emu, 'x');
    expect(res.status).to.equal(502);
    expect(res.headers.get('content-type')).to.equal('text/html');
    expect(await res.text()).to.include('<title>502 Bad Gateway</title>');
  });

  it('uses the given status for an html page', async () => {
    emu.inject('me', { html: true, status: 504, times: 1 });
    const res = await get(emu, '/api/public/me');
    expect(res.status).to.equal(504);
    expect(await res.text()).to.include('504 Gateway Timeout');
  });

  it('answers 200 JSON that does not parse with malformedJSON', async () => {
    emu.inject('token', { malformedJSON: true, times: 1 });
    const res = await exchange(emu, 'x');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const text = await res.text();
    expect(text).to.match(/^\{"access_token":/);
    expect(() => JSON.parse(text)).to.throw(SyntaxError);
  });

  it('streams exactly the requested bytes of valid JSON with oversized, without Content-Length', async () => {
    const bytes = 5 * 1024 * 1024;
    emu.inject('me', { oversized: bytes, times: 1 });
    const res = await get(emu, '/api/public/me');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-length')).to.equal(null);
    expect(res.headers.get('transfer-encoding')).to.equal('chunked');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).to.equal(bytes);
    expect((JSON.parse(body.toString('utf8')) as { data: string }).data.length).to.equal(bytes - 11);
  });

  it('redirects with redirect', async () => {
    emu.inject('token', { redirect: 'https://eventpop.me/oauth/token', times: 1 });
    const res = await exchange(emu, 'x');
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal('https://eventpop.me/oauth/token');
  });

  it('faults the authorize endpoint too', async () => {
    emu.inject('authorize', { status: 500, times: 1 });
    expect((await get(emu, '/oauth/authorize?client_id=demo-client')).status).to.equal(500);
  });

  it('refuses a fault it does not understand with a TypeError', () => {
    expect(() => emu.inject('me', {} as never)).to.throw(TypeError);
    expect(() => emu.inject('me', { status: 99 })).to.throw(TypeError, /status/);
    expect(() => emu.inject('me', { hang: true, times: 0 })).to.throw(TypeError, /times/);
    expect(() => emu.inject('profile' as never, { hang: true })).to.throw(TypeError, /endpoint/);
  });

  it('records the fault kind in the request log', async () => {
    emu.clearRequests();
    emu.inject('token', { status: 500, times: 1 });
    await exchange(emu, 'x');
    expect(emu.requests).to.deep.equal([
      { endpoint: 'token', method: 'POST', path: '/oauth/token', fault: 'status', status: 500 },
    ]);
  });
});

describe('emulator: close() with a hung request', () => {
  it('destroys the hung socket so close() resolves and the client sees an error', async () => {
    const emu = await createEmulator();
    emu.inject('token', { hang: true });
    const arrived = once(emu.server, 'request');
    const pending = rejection(fetch(`${emu.url}/oauth/token`, { method: 'POST', body: 'grant_type=x' }));
    await within(5000, arrived);
    await within(5000, emu.close());
    expect(await within(5000, pending)).to.be.instanceOf(TypeError);
  });

  it('cancels a pending delay so close() does not wait for it', async () => {
    const emu = await createEmulator();
    emu.inject('me', { delayMs: 60_000 });
    const arrived = once(emu.server, 'request');
    const pending = rejection(get(emu, '/api/public/me'));
    await within(5000, arrived);
    await within(5000, emu.close());
    expect(await within(5000, pending)).to.be.instanceOf(TypeError);
  });
});

describe('emulator: request log', () => {
  it('counts requests per endpoint and logs grant types but never codes, tokens or secrets', async () => {
    const emu = await createEmulator();
    try {
      const tokens = await login(emu);
      await me(emu, tokens.access_token);
      await get(emu, `/api/public/me?access_token=${tokens.access_token}`);
      await get(emu, `/api/public/organizers/1017/tickets?access_token=${tokens.access_token}&page=2`);
      expect(emu.counts).to.deep.equal({ authorize: 2, token: 1, me: 2, tickets: 1, revoke: 0 });
      expect(emu.requests.map((r) => [r.method, r.path, r.grantType, r.status])).to.deep.equal([
        ['GET', '/oauth/authorize', undefined, 200],
        ['POST', '/oauth/authorize', undefined, 302],
        ['POST', '/oauth/token', 'authorization_code', 200],
        ['GET', '/api/public/me', undefined, 200],
        ['GET', '/api/public/me', undefined, 200],
        ['GET', '/api/public/organizers/1017/tickets', undefined, 200],
      ]);
      const logged = JSON.stringify(emu.requests);
      for (const secret of ['demo-secret', tokens.access_token, tokens.refresh_token ?? '']) {
        expect(logged).not.to.include(secret);
      }
    } finally {
      await emu.close();
    }
  });

  it('lets a test assert that no token request reached the emulator', async () => {
    const emu = await createEmulator();
    try {
      await get(emu, '/oauth/authorize?client_id=demo-client&response_type=code');
      expect(emu.counts.token).to.equal(0);
      expect(emu.requests.filter((r) => r.endpoint === 'token')).to.have.length(0);
      const body = (await (await exchange(emu, 'nope')).json()) as TokenBody;
      expect(body.error).to.equal('invalid_grant');
      expect(emu.counts.token).to.equal(1);
    } finally {
      await emu.close();
    }
  });

  it('keeps only the last requestLogSize entries while counts keep counting', async () => {
    const emu = await createEmulator({ requestLogSize: 2 });
    try {
      for (let i = 0; i < 5; i += 1) await get(emu, '/api/public/me');
      expect(emu.requests).to.have.length(2);
      expect(emu.counts.me).to.equal(5);
      emu.clearRequests();
      expect(emu.requests).to.have.length(0);
      expect(emu.counts.me).to.equal(0);
    } finally {
      await emu.close();
    }
  });
});
