import { expect } from 'chai';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator/index';
import { login, me, postForm, refresh, type TokenBody } from './fixtures/emulator/client';

const hex64 = /^[0-9a-f]{64}$/;

async function refreshed(
  emu: Emulator,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<TokenBody> {
  const res = await refresh(emu, refreshToken, extra);
  expect(res.status).to.equal(200);
  return (await res.json()) as TokenBody;
}

/** The facts' answers to a replaced pair: access token `401` "was revoked", refresh token `400 invalid_grant`. */
async function expectRevokedPair(emu: Emulator, old: TokenBody): Promise<void> {
  const oldProfile = await me(emu, old.access_token);
  expect(oldProfile.status).to.equal(401);
  expect(oldProfile.headers.get('www-authenticate')).to.include('The access token was revoked');
  const oldRefresh = await refresh(emu, old.refresh_token ?? '');
  expect(oldRefresh.status).to.equal(400);
  expect(((await oldRefresh.json()) as TokenBody).error).to.equal('invalid_grant');
}

describe('emulator: POST /oauth/token, refresh_token', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      profileRateLimit: 0,
      clients: [
        defaultClient,
        {
          clientId: 'other',
          clientSecret: 'other-secret',
          redirectUris: ['http://localhost:3000/auth/eventpop/callback'],
          name: 'Other',
        },
      ],
    });
  });
  after(() => emu.close());

  it('rotates both tokens', async () => {
    const old = await login(emu);
    const next = await refreshed(emu, old.refresh_token ?? '');
    expect(next.access_token).to.match(hex64).and.not.equal(old.access_token);
    expect(next.refresh_token).to.match(hex64).and.not.equal(old.refresh_token);
    expect(next.expires_in).to.equal(7200);
    expect(next.scope).to.equal('public');
    expect((await me(emu, next.access_token)).status).to.equal(200);
  });

  it('keeps the old access and refresh tokens working until the new access token is used', async () => {
    const old = await login(emu);
    await refreshed(emu, old.refresh_token ?? '');
    expect((await me(emu, old.access_token)).status).to.equal(200);
    const again = await refreshed(emu, old.refresh_token ?? '');
    expect(again.access_token).to.match(hex64);
  });

  it('revokes the old pair at the new access token’s first use: old access 401, old refresh invalid_grant', async () => {
    const old = await login(emu);
    const next = await refreshed(emu, old.refresh_token ?? '');
    expect((await me(emu, next.access_token)).status).to.equal(200);

    await expectRevokedPair(emu, old);
  });

  it('revokes the old pair when the new refresh token is used first', async () => {
    const old = await login(emu);
    const next = await refreshed(emu, old.refresh_token ?? '');
    await refreshed(emu, next.refresh_token ?? '');
    expect((await me(emu, old.access_token)).status).to.equal(401);
  });

  it('refreshes a token whose access token has expired', async () => {
    const old = await login(emu);
    emu.expireToken(old.access_token);
    const profile = await me(emu, old.access_token);
    expect(profile.headers.get('www-authenticate')).to.include('The access token expired');
    const next = await refreshed(emu, old.refresh_token ?? '');
    expect((await me(emu, next.access_token)).status).to.equal(200);
  });

  it('may narrow the scope', async () => {
    const old = await login(emu, { scope: 'public organizer' });
    const next = await refreshed(emu, old.refresh_token ?? '', { scope: 'public' });
    expect(next.scope).to.equal('public');
  });

  it('refuses to widen the scope with 400 invalid_scope', async () => {
    const old = await login(emu, { scope: 'public' });
    const res = await refresh(emu, old.refresh_token ?? '', { scope: 'public organizer' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_scope');
  });

  it('refuses another client’s refresh token with 400 invalid_grant', async () => {
    const old = await login(emu);
    const res = await refresh(emu, old.refresh_token ?? '', {
      client_id: 'other',
      client_secret: 'other-secret',
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_grant');
  });

  it('refuses an unknown refresh token with 400 invalid_grant', async () => {
    const res = await refresh(emu, '0'.repeat(64));
    expect(res.status).to.equal(400);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_grant');
  });

  it('refuses a refresh with no client authentication at all with 400 invalid_grant, as Doorkeeper does', async () => {
    const old = await login(emu);
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: old.refresh_token ?? '',
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_grant');
    expect((await refresh(emu, old.refresh_token ?? '')).status, 'the refresh token still works').to.equal(
      200,
    );
  });

  it('still refuses a wrong client secret on a refresh with 401 invalid_client', async () => {
    const old = await login(emu);
    const res = await refresh(emu, old.refresh_token ?? '', { client_secret: 'wrong' });
    expect(res.status).to.equal(401);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_client');
  });

  it('refuses a missing refresh_token with 400 invalid_request', async () => {
    const res = await refresh(emu, '');
    expect(res.status).to.equal(400);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_request');
  });
});

describe('emulator: a replayed refresh token', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await createEmulator({ profileRateLimit: 0 });
  });
  afterEach(() => emu.close());

  it('leaves one live pair after 2,000 replays, not one per replay', async () => {
    const old = await login(emu);
    let last: TokenBody | undefined;
    for (let i = 0; i < 2000; i += 1) last = await refreshed(emu, old.refresh_token ?? '');
    expect(emu.stats().tokens, 'the original pair and its one unused successor').to.equal(2);
    expect((await me(emu, last?.access_token ?? '')).status).to.equal(200);
    expect(emu.stats().tokens).to.equal(2);
  });

  it('keeps the old pair working until the last successor is used, then old access 401, old refresh invalid_grant', async () => {
    const old = await login(emu);
    await refreshed(emu, old.refresh_token ?? '');
    const last = await refreshed(emu, old.refresh_token ?? '');
    expect((await me(emu, old.access_token)).status, 'old access token before the new one is used').to.equal(
      200,
    );

    expect((await me(emu, last.access_token)).status).to.equal(200);
    await expectRevokedPair(emu, old);
  });

  it('forgets the unused successor a replay replaces: its access token 401, its refresh token invalid_grant', async () => {
    const old = await login(emu);
    const replaced = await refreshed(emu, old.refresh_token ?? '');
    await refreshed(emu, old.refresh_token ?? '');
    const profile = await me(emu, replaced.access_token);
    expect(profile.status).to.equal(401);
    expect(profile.headers.get('www-authenticate')).to.include('The access token is invalid');
    expect((await refresh(emu, replaced.refresh_token ?? '')).status).to.equal(400);
  });

  it('keeps a successor that was used: a replay after it is refused and the successor stays valid', async () => {
    const old = await login(emu);
    const used = await refreshed(emu, old.refresh_token ?? '');
    expect((await me(emu, used.access_token)).status).to.equal(200);
    expect((await refresh(emu, old.refresh_token ?? '')).status).to.equal(400);
    expect((await me(emu, used.access_token)).status).to.equal(200);
  });
});
