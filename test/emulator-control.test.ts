// The control routes under /_emulator/: faults and the request log over HTTP, for a test in another process.
import { expect } from 'chai';
import { isLoopback } from '../lib/emulator/control';
import { createEmulator, type Emulator } from '../lib/emulator/index';
import { exchange, get, login, me, optionsRefusal } from './fixtures/emulator/client';

/** A JSON request to a control route; resolves with the status and the parsed body. */
async function control(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': type },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('emulator: control routes', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ control: true, profileRateLimit: 0 });
  });
  afterEach(() => emu.clearFaults());
  after(() => emu.close());

  it('injects a fault from a JSON POST, which the endpoint then plays', async () => {
    const { access_token } = await login(emu);
    const injected = await control(emu, 'POST', 'faults', {
      endpoint: 'me',
      fault: { status: 503, times: 1 },
    });
    expect(injected).to.deep.include({ status: 201, body: { endpoint: 'me', kind: 'status' } });
    expect((await me(emu, access_token)).status).to.equal(503);
    expect((await me(emu, access_token)).status, 'times: 1 ran out').to.equal(200);
  });

  it('lists the faults waiting on each endpoint, with how many times each has left', async () => {
    await control(emu, 'POST', 'faults', { endpoint: 'token', fault: { hang: true, times: 2 } });
    await control(emu, 'POST', 'faults', { endpoint: 'token', fault: { status: 500 } });
    await control(emu, 'POST', 'faults', { endpoint: 'me', fault: { delayMs: 5 } });
    const listed = await control(emu, 'GET', 'faults');
    expect(listed.status).to.equal(200);
    expect(listed.body).to.deep.equal({
      faults: {
        token: [
          { kind: 'hang', fault: { hang: true, times: 2 }, remaining: 2 },
          { kind: 'status', fault: { status: 500 }, remaining: null },
        ],
        me: [{ kind: 'delay', fault: { delayMs: 5 }, remaining: null }],
      },
    });
  });

  it('clears the faults of one endpoint with DELETE ?endpoint=, and all with DELETE', async () => {
    await control(emu, 'POST', 'faults', { endpoint: 'token', fault: { status: 500 } });
    await control(emu, 'POST', 'faults', { endpoint: 'me', fault: { status: 500 } });
    expect((await control(emu, 'DELETE', 'faults?endpoint=token')).status).to.equal(200);
    expect((await control(emu, 'GET', 'faults')).body).to.deep.equal({
      faults: { me: [{ kind: 'status', fault: { status: 500 }, remaining: null }] },
    });
    expect((await control(emu, 'DELETE', 'faults')).status).to.equal(200);
    expect((await control(emu, 'GET', 'faults')).body).to.deep.equal({ faults: {} });
    expect((await exchange(emu, 'nope')).status, 'the token endpoint answers normally again').to.equal(400);
  });

  const refusals: [string, unknown, RegExp][] = [
    [
      'an unknown endpoint',
      { endpoint: 'profile', fault: { status: 500 } },
      /unknown endpoint "profile".*authorize, token, me, tickets, revoke/,
    ],
    [
      'a status out of range',
      { endpoint: 'me', fault: { status: 99 } },
      /`status` must be an HTTP status code/,
    ],
    ['a misspelt field', { endpoint: 'me', fault: { status: 500, time: 1 } }, /unknown field "time"/],
    ['no fault at all', { endpoint: 'me' }, /Fault: must be an object/],
    ['a fault of no kind', { endpoint: 'me', fault: { times: 1 } }, /give one of/],
    [
      'a header that cannot be sent',
      { endpoint: 'me', fault: { status: 500, headers: { 'a b': 'x' } } },
      /header name/,
    ],
    ['a body that is not an object', ['me', { status: 500 }], /send \{"endpoint"/],
  ];
  for (const [what, body, reason] of refusals) {
    it(`answers 400 with the reason for ${what}, injecting nothing`, async () => {
      const res = await control(emu, 'POST', 'faults', body);
      expect(res.status).to.equal(400);
      expect(res.body['error']).to.equal('invalid_request');
      expect(res.body['error_description']).to.match(reason);
      expect((await control(emu, 'GET', 'faults')).body).to.deep.equal({ faults: {} });
    });
  }

  it('answers 400 for a body that is not JSON', async () => {
    const res = await control(emu, 'POST', 'faults', '{"endpoint":');
    expect(res).to.deep.include({ status: 400 });
    expect(res.body['error_description']).to.include('not valid JSON');
  });

  it('refuses a text/plain POST, which a web page could send without a CORS preflight, with 415', async () => {
    const res = await control(
      emu,
      'POST',
      'faults',
      { endpoint: 'me', fault: { status: 500 } },
      'text/plain',
    );
    expect(res.status).to.equal(415);
    expect((await control(emu, 'GET', 'faults')).body).to.deep.equal({ faults: {} });
  });

  it('refuses an unknown endpoint name in DELETE ?endpoint= with 400', async () => {
    expect((await control(emu, 'DELETE', 'faults?endpoint=nope')).status).to.equal(400);
  });

  it('answers 405 with Allow for a method a route does not take, and 404 for an unknown route', async () => {
    const put = await control(emu, 'PUT', 'faults');
    expect(put.status).to.equal(405);
    expect(put.headers.get('allow')).to.equal('GET, POST, DELETE');
    const unknown = await control(emu, 'GET', 'time');
    expect(unknown.status).to.equal(404);
    expect(unknown.body['error_description']).to.include('/_emulator/faults and /_emulator/requests');
  });

  it('reads the counts and the request log, and clears them, without logging itself', async () => {
    await control(emu, 'DELETE', 'requests');
    await get(emu, '/api/public/me');
    const read = await control(emu, 'GET', 'requests');
    expect(read.status).to.equal(200);
    expect(read.body['counts']).to.deep.equal({ authorize: 0, token: 0, me: 1, tickets: 0, revoke: 0 });
    expect(read.body['requests']).to.deep.equal([
      { endpoint: 'me', method: 'GET', path: '/api/public/me', status: 401 },
    ]);
    await control(emu, 'DELETE', 'requests');
    expect((await control(emu, 'GET', 'requests')).body).to.deep.equal({
      counts: { authorize: 0, token: 0, me: 0, tickets: 0, revoke: 0 },
      requests: [],
    });
  });

  it('answers with Cache-Control: no-store', async () => {
    expect((await control(emu, 'GET', 'faults')).headers.get('cache-control')).to.equal('no-store');
  });
});

describe('emulator: control routes off', () => {
  it('answers 404 naming --control when the option is not set, and injects nothing', async () => {
    const emu = await createEmulator();
    try {
      const res = await control(emu, 'POST', 'faults', { endpoint: 'token', fault: { status: 500 } });
      expect(res.status).to.equal(404);
      expect(res.body['error_description']).to.include('--control');
      expect((await exchange(emu, 'nope')).status).to.equal(400);
    } finally {
      await emu.close();
    }
  });

  it('refuses a control option that is not a boolean', async () => {
    const error = await optionsRefusal({ control: 'yes' as never });
    expect(error.message).to.include('`control`');
  });
});

describe('emulator: control routes answer loopback clients only', () => {
  for (const address of ['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1']) {
    it(`counts ${address} as loopback`, () => {
      expect(isLoopback(address)).to.equal(true);
    });
  }
  for (const address of ['192.168.1.2', '10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '::', undefined]) {
    it(`does not count ${address} as loopback`, () => {
      expect(isLoopback(address)).to.equal(false);
    });
  }
});
