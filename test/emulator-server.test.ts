import { Agent, type IncomingMessage, request } from 'node:http';
import { expect } from 'chai';
import {
  createEmulator,
  defaultClient,
  defaultUsers,
  type Emulator,
  type EmulatorOptions,
} from '../lib/emulator/index';
import {
  code,
  consentFields,
  get,
  login,
  me,
  optionsRefusal,
  refresh,
  within,
} from './fixtures/emulator/client';

describe('emulator: createEmulator', () => {
  it('binds 127.0.0.1 on a free port and reports its URL', async () => {
    const emu = await createEmulator({ port: 0 });
    try {
      expect(emu.url).to.equal(`http://127.0.0.1:${emu.port}`);
      expect(emu.port).to.be.greaterThan(0);
      expect(emu.server.address()).to.include({ address: '127.0.0.1', port: emu.port });
    } finally {
      await emu.close();
    }
  });

  it('seeds the demo client and the default users when none are given', async () => {
    const emu = await createEmulator();
    try {
      expect(emu.clients).to.deep.equal([defaultClient]);
      expect(emu.users).to.deep.equal(defaultUsers);
      expect(defaultClient).to.deep.include({
        clientId: 'demo-client',
        clientSecret: 'demo-secret',
        name: 'Eventpop Demo',
      });
      expect(defaultClient.redirectUris).to.deep.equal(['http://localhost:3000/auth/eventpop/callback']);
      expect(defaultUsers[1]).to.deep.equal({ id: 4343, email: 'minimal@example.com' });
      expect(Object.keys(defaultUsers[0] ?? {})).to.have.members([
        'id',
        'full_name',
        'email',
        'avatar',
        'avatars',
        'birthday',
        'gender',
        'phone',
      ]);
    } finally {
      await emu.close();
    }
  });

  it('serves the clients and users it is given', async () => {
    const emu = await createEmulator({
      clients: [{ clientId: 'c', clientSecret: 's', redirectUris: ['https://a.example/cb'], name: 'A' }],
      users: [{ id: 7, full_name: null, email: '', phone: '+66 2 000 0000' }],
    });
    try {
      const authorize = await get(emu, '/oauth/authorize?client_id=c&response_type=code');
      const page = await authorize.text();
      expect(page).to.include('value="7" checked');
      const form = consentFields(page);
      form.set('decision', 'allow');
      form.set('user_id', '7');
      const res = await fetch(`${emu.url}/oauth/authorize`, {
        method: 'POST',
        redirect: 'manual',
        body: form,
      });
      const authorizationCode = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const token = await fetch(`${emu.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: authorizationCode,
          client_id: 'c',
          client_secret: 's',
        }),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      expect(await (await me(emu, access_token)).json()).to.deep.equal({
        user: { id: 7, full_name: null, email: '', phone: '+66 2 000 0000' },
      });
    } finally {
      await emu.close();
    }
  });

  const invalid: [string, EmulatorOptions, RegExp][] = [
    ['a port out of range', { port: 70000 }, /`port`/],
    ['a client without a secret', { clients: [{ ...defaultClient, clientSecret: '' }] }, /clientSecret/],
    ['a relative redirect URI', { clients: [{ ...defaultClient, redirectUris: ['/cb'] }] }, /redirectUris/],
    ['a duplicate client id', { clients: [defaultClient, defaultClient] }, /unique/],
    ['a non-integer user id', { users: [{ id: 1.5 }] }, /users\[0\]\.id/],
    ['autoApprove for an unknown user', { autoApprove: { userId: 1 } }, /autoApprove\.userId/],
    ['a negative rate limit', { profileRateLimit: -1 }, /profileRateLimit/],
    ['a zero token lifetime', { tokenTTL: 0 }, /tokenTTL/],
  ];
  for (const [what, options, message] of invalid) {
    it(`refuses ${what} with a TypeError naming the option`, async () => {
      const error = await optionsRefusal(options);
      expect(error).to.be.instanceOf(TypeError);
      expect(error.message).to.match(message);
    });
  }

  it('rejects when the port is taken', async () => {
    const first = await createEmulator();
    try {
      const error = await optionsRefusal({ port: first.port });
      expect((error as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    } finally {
      await first.close();
    }
  });

  it('resolves close() twice', async () => {
    const emu = await createEmulator();
    await emu.close();
    await emu.close();
  });
});

describe('emulator: connections', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ profileRateLimit: 0 });
  });
  after(() => emu.close());

  it('keeps connections alive across requests (no Connection: close)', async () => {
    const { access_token } = await login(emu);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let connections = 0;
    const count = () => {
      connections += 1;
    };
    emu.server.on('connection', count);
    try {
      for (let i = 0; i < 5; i += 1) {
        const res = await within(5000, getWith(agent, `${emu.url}/api/public/me`, access_token));
        expect(res.statusCode).to.equal(200);
        expect(res.headers.connection).to.equal('keep-alive');
      }
      expect(connections).to.equal(1);
    } finally {
      emu.server.off('connection', count);
      agent.destroy();
    }
  });
});

function getWith(agent: Agent, url: string, token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('emulator: memory', () => {
  it('forgets expired codes, and tokens once neither half can be used', async () => {
    const emu = await createEmulator({ codeTTL: 60, tokenTTL: 120, refreshTokenTTL: 600 });
    try {
      await code(emu);
      const app = await fetch(`${emu.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'demo-client',
          client_secret: 'demo-secret',
        }),
      });
      expect(app.status).to.equal(200);
      const user = await login(emu);
      expect(emu.stats()).to.deep.equal({ codes: 1, consents: 0, tokens: 2 });

      emu.advanceTime(61);
      expect(emu.stats()).to.deep.equal({ codes: 0, consents: 0, tokens: 2 });
      emu.advanceTime(60);
      expect(emu.stats(), 'the app token has no refresh token').to.deep.equal({
        codes: 0,
        consents: 0,
        tokens: 1,
      });
      expect((await refresh(emu, user.refresh_token ?? '')).status).to.equal(200);
      emu.advanceTime(600);
      expect(emu.stats()).to.deep.equal({ codes: 0, consents: 0, tokens: 0 });
    } finally {
      await emu.close();
    }
  });

  it('forgets a used code at once', async () => {
    const emu = await createEmulator();
    try {
      await login(emu);
      expect(emu.stats().codes).to.equal(0);
    } finally {
      await emu.close();
    }
  });
});
