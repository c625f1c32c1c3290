import { expect } from 'chai';
import { createEmulator, defaultUsers, type Emulator } from '../lib/emulator/index';
import { get, login, me } from './fixtures/emulator/client';

/** The `avatar` and `avatars` a seeded user's paths become on the emulator at `origin`. */
function avatarsOf(origin: string, id: number) {
  const at = (size: string) => `${origin}/avatars/${id}/${size}.svg`;
  return {
    avatar: at('medium'),
    avatars: { original: at('original'), medium: at('medium'), thumb: at('thumb'), tiny: at('tiny') },
  };
}

const invalidToken =
  'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"';

async function expect401(res: Response, description: string): Promise<void> {
  expect(res.status).to.equal(401);
  expect(await res.text()).to.equal('');
  expect(res.headers.get('www-authenticate')).to.equal(
    `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
  );
}

describe('emulator: GET /api/public/me', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ profileRateLimit: 0 });
  });
  after(() => emu.close());

  it('answers the user wrapped in {"user": ...}, every field as seeded but the avatar paths', async () => {
    const res = await me(emu, (await login(emu)).access_token);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    const { avatar: _avatar, avatars: _avatars, ...rest } = defaultUsers[0] ?? { id: 0 };
    expect(await res.json()).to.deep.equal({ user: { ...rest, ...avatarsOf(emu.url, 4242) } });
  });

  it('answers the seeded avatar paths as absolute URLs on its own origin', async () => {
    const res = await me(emu, (await login(emu)).access_token);
    const { user } = (await res.json()) as { user: Record<string, unknown> };
    expect(defaultUsers[0]?.avatar, 'seeded as a path').to.equal('/avatars/4242/medium.svg');
    expect({ avatar: user.avatar, avatars: user.avatars }).to.deep.equal(avatarsOf(emu.url, 4242));
  });

  it('leaves out the fields a minimal user does not have', async () => {
    const res = await me(emu, (await login(emu, {}, 4343)).access_token);
    expect(await res.json()).to.deep.equal({ user: { id: 4343, email: 'minimal@example.com' } });
  });

  it('also accepts the token in the access_token query parameter', async () => {
    const { access_token } = await login(emu);
    const res = await get(emu, `/api/public/me?access_token=${access_token}`);
    expect(res.status).to.equal(200);
  });

  it('answers a missing token with 401, an empty body and Doorkeeper’s WWW-Authenticate', async () => {
    const res = await get(emu, '/api/public/me');
    expect(res.headers.get('www-authenticate')).to.equal(invalidToken);
    await expect401(res, 'The access token is invalid');
  });

  it('answers an unknown token with 401 "is invalid"', async () => {
    await expect401(await me(emu, 'a'.repeat(64)), 'The access token is invalid');
  });

  it('answers a token made to expire with 401 "expired"', async () => {
    const { access_token } = await login(emu);
    expect(emu.expireToken(access_token)).to.equal(true);
    await expect401(await me(emu, access_token), 'The access token expired');
  });

  it('answers with 401 "expired" once the clock passes expires_in', async () => {
    const { access_token } = await login(emu);
    emu.advanceTime(7199);
    expect((await me(emu, access_token)).status).to.equal(200);
    emu.advanceTime(1);
    await expect401(await me(emu, access_token), 'The access token expired');
  });

  it('answers a token without the public scope with 403 and an empty body', async () => {
    const { access_token } = await login(emu, { scope: 'organizer' });
    const res = await me(emu, access_token);
    expect(res.status).to.equal(403);
    expect(await res.text()).to.equal('');
  });

  it('answers an unknown path with 404 JSON', async () => {
    const res = await get(emu, '/api/public/nothing');
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await res.json()).to.deep.equal({ status: 404, error: 'Not Found' });
  });

  it('answers POST /api/public/me with 404 (the route is GET only)', async () => {
    const res = await fetch(`${emu.url}/api/public/me`, { method: 'POST' });
    expect(res.status).to.equal(404);
  });
});

describe('emulator: /api/public/me rate limit', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await createEmulator();
  });
  afterEach(() => emu.close());

  it('allows 10 requests a minute per token, then answers 429 with Retry-After and a JSON error', async () => {
    const { access_token } = await login(emu);
    for (let i = 0; i < 10; i += 1) expect((await me(emu, access_token)).status).to.equal(200);
    emu.advanceTime(15);
    const res = await me(emu, access_token);
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('45');
    const body = (await res.json()) as { error: string };
    expect(body.error).to.equal('rate_limit_exceeded');
  });

  it('counts each token separately', async () => {
    const a = await login(emu);
    const b = await login(emu);
    for (let i = 0; i < 10; i += 1) await me(emu, a.access_token);
    expect((await me(emu, a.access_token)).status).to.equal(429);
    expect((await me(emu, b.access_token)).status).to.equal(200);
  });

  it('frees the window after a minute', async () => {
    const { access_token } = await login(emu);
    for (let i = 0; i < 11; i += 1) await me(emu, access_token);
    emu.advanceTime(60);
    expect((await me(emu, access_token)).status).to.equal(200);
  });

  it('follows profileRateLimit', async () => {
    const small = await createEmulator({ profileRateLimit: 2 });
    try {
      const { access_token } = await login(small);
      expect((await me(small, access_token)).status).to.equal(200);
      expect((await me(small, access_token)).status).to.equal(200);
      expect((await me(small, access_token)).status).to.equal(429);
    } finally {
      await small.close();
    }
  });

  it('is off with profileRateLimit: Infinity', async () => {
    const open = await createEmulator({ profileRateLimit: Number.POSITIVE_INFINITY });
    try {
      const { access_token } = await login(open);
      for (let i = 0; i < 30; i += 1) expect((await me(open, access_token)).status).to.equal(200);
    } finally {
      await open.close();
    }
  });
});
