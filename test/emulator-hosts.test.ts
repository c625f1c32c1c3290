// The emulator's DNS-rebinding guard: it answers only Host names it knows, IP addresses and localhost.
import { request } from 'node:http';
import { expect } from 'chai';
import { createEmulator, type Emulator } from '../lib/emulator/index';
import { resolveOptions } from '../lib/emulator/options';
import { optionsRefusal } from './fixtures/emulator/client';

/** A GET with this `Host` header (fetch cannot set one); resolves with the status, type and body. */
function getWithHost(
  emu: Emulator,
  path: string,
  host: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}${path}`, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject).end();
  });
}

const consentPath = '/oauth/authorize?client_id=demo-client&response_type=code';

describe('emulator: the Host names it answers (DNS rebinding)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ allowedHosts: ['emulator', 'Auth.Dev.Example'], control: true });
  });
  after(() => emu.close());

  const answered = [
    'localhost',
    'localhost:4000',
    'LOCALHOST:3000',
    'app.localhost:4000',
    '127.0.0.1',
    '127.0.0.1:4000',
    '127.4.5.6:80',
    '[::1]:4000',
    '192.168.1.20:4000',
    'emulator:4000',
    'EMULATOR',
    'auth.dev.example:8443',
  ];
  for (const host of answered) {
    it(`answers Host: ${host}`, async () => {
      const res = await getWithHost(emu, consentPath, host);
      expect(res.status).to.equal(200);
      expect(res.body).to.include('<form');
    });
  }

  const refused = [
    'attacker.example',
    'attacker.example:4000',
    'localhost.attacker.example',
    'emulator.attacker.example',
    'localhost.',
    '127.0.0.1.nip.io',
    'evil.example/x?',
    '[::1',
  ];
  for (const host of refused) {
    it(`refuses Host: ${host} with 403 text naming --allowed-host`, async () => {
      const res = await getWithHost(emu, consentPath, host);
      expect(res.status).to.equal(403);
      expect(res.type).to.match(/^text\/plain/);
      expect(res.body).to.include('does not answer to the host name');
      expect(res.body).to.include('--allowed-host');
      expect(res.body).to.include('allowedHosts');
    });
  }

  it('refuses a foreign Host on every route, the control routes included', async () => {
    for (const path of ['/oauth/token', '/api/public/me', '/avatars/4242/tiny.svg', '/_emulator/faults']) {
      expect((await getWithHost(emu, path, 'attacker.example:4000')).status, path).to.equal(403);
    }
  });

  it('suggests the name to allow', async () => {
    const res = await getWithHost(emu, consentPath, 'compose-emulator:4000');
    expect(res.body).to.include('--allowed-host compose-emulator');
  });
});

describe('emulator: allowedHosts option', () => {
  it('answers the host name it binds', () => {
    expect(resolveOptions({ host: 'emulator.internal' }).allowedHosts.has('emulator.internal')).to.equal(
      true,
    );
  });

  for (const bad of ['http://emulator', 'emulator:4000', 'emulator/x', '', 'a b']) {
    it(`refuses ${JSON.stringify(bad)} with a TypeError naming allowedHosts[0]`, async () => {
      const error = await optionsRefusal({ allowedHosts: [bad] });
      expect(error).to.be.instanceOf(TypeError);
      expect(error.message).to.include('allowedHosts[0]');
    });
  }
});
