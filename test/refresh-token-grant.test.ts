// refreshAccessToken and fetchProfile against the emulator over real sockets.
import { expect } from 'chai';
import passportRefresh from 'passport-oauth2-refresh';
import {
  EventpopAPIError,
  fetchProfile,
  InternalOAuthError,
  refreshAccessToken,
  Strategy,
  TokenError,
} from '../lib';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator';
import { demoClientOptions, login } from './fixtures/emulator/client';

describe('refreshAccessToken against the emulator', () => {
  let emu: Emulator;
  let options: ReturnType<typeof demoClientOptions>;

  before(async () => {
    emu = await createEmulator({ port: 0 });
    options = demoClientOptions(emu);
  });
  afterEach(() => emu.clearFaults());
  after(() => emu.close());

  it('returns a new access and refresh token with an absolute expiry', async () => {
    const first = await login(emu);
    const startedAt = Math.floor(Date.now() / 1000) * 1000;
    const token = await refreshAccessToken(options, first.refresh_token!);
    expect(token.accessToken)
      .to.match(/^[0-9a-f]{64}$/)
      .and.not.equal(first.access_token);
    expect(token.refreshToken)
      .to.match(/^[0-9a-f]{64}$/)
      .and.not.equal(first.refresh_token!);
    expect(token.tokenType).to.equal('Bearer');
    expect(token.scopes).to.deep.equal(['public']);
    expect(token.expiresAt!.getTime() - token.createdAt.getTime()).to.equal(7200 * 1000);
    expect(token.createdAt.getTime()).to.be.at.least(startedAt);
  });

  it('gives a token that reads the profile with fetchProfile', async () => {
    const token = await refreshAccessToken(options, (await login(emu)).refresh_token!);
    const profile = await fetchProfile(options, token.accessToken);
    expect(profile.id).to.equal(String(emu.users[0]!.id));
    expect(profile.provider).to.equal('eventpop');
  });

  it('fails with TokenError invalid_grant and status 400 for a refresh token that was already rotated', async () => {
    const first = await login(emu);
    const second = await refreshAccessToken(options, first.refresh_token!);
    await fetchProfile(options, second.accessToken); // using the new token retires the old refresh token
    const err = await refreshAccessToken(options, first.refresh_token!).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'invalid_grant', status: 400 });
    expect(String((err as Error).message)).not.to.include(first.refresh_token!);
  });

  it('fails with TokenError invalid_client and status 401 for a wrong client secret, without echoing it', async () => {
    const { refresh_token } = await login(emu);
    const err = await refreshAccessToken(
      { ...options, clientSecret: 'wrong-secret-123456' },
      refresh_token!,
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'invalid_client', status: 401 });
    expect(JSON.stringify({ ...(err as object), m: (err as Error).message })).not.to.include(
      'wrong-secret-123456',
    );
  });

  it('fails with InternalOAuthError ETIMEDOUT naming the token endpoint when Eventpop never answers', async () => {
    emu.inject('token', { hang: true, times: 1 });
    const err = await refreshAccessToken(options, 'f'.repeat(64)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InternalOAuthError);
    expect(err).to.have.property('code', 'ETIMEDOUT');
    expect((err as Error).message)
      .to.include(`${emu.url}/oauth/token`)
      .and.include('500 ms');
  });

  it('fails with EventpopAPIError invalid_token when fetchProfile gets an expired token', async () => {
    const { access_token } = await login(emu);
    emu.expireToken(access_token);
    const err = await fetchProfile(options, access_token).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(EventpopAPIError);
    expect(err).to.include({ code: 'invalid_token', status: 401 });
  });

  it('refreshes through passport-oauth2-refresh with the strategy, and its failures are typed', async () => {
    const strategy = new Strategy(
      { ...options, callbackURL: defaultClient.redirectUris[0]! },
      (_a, _r, _p, done) => done(null, {}),
    );
    passportRefresh.use(strategy);
    const request = (token: string) =>
      new Promise<{ err: unknown; accessToken: string | undefined; refreshToken: string | undefined }>(
        (resolve) =>
          passportRefresh.requestNewAccessToken('eventpop', token, (err, accessToken, refreshToken) =>
            resolve({ err, accessToken, refreshToken }),
          ),
      );
    const ok = await request((await login(emu)).refresh_token!);
    expect(ok.err).to.equal(null);
    expect(ok.accessToken).to.match(/^[0-9a-f]{64}$/);
    expect(ok.refreshToken).to.match(/^[0-9a-f]{64}$/);
    const refused = await request('0'.repeat(64));
    expect(refused.err).to.be.instanceOf(TokenError);
    expect(refused.err).to.include({ code: 'invalid_grant', status: 400 });
  });

  it("accepts node-oauth's two-argument form of getOAuthAccessToken(code, callback)", async () => {
    const strategy = new Strategy(
      { ...options, callbackURL: defaultClient.redirectUris[0]! },
      (_a, _r, _p, done) => done(null, {}),
    );
    const oauth2 = (strategy as unknown as { _oauth2: { getOAuthAccessToken: (...args: unknown[]) => void } })
      ._oauth2;
    const err = await new Promise((resolve) => oauth2.getOAuthAccessToken('not-a-code', resolve));
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'invalid_grant' });
  });

  it('throws a TypeError for an empty refresh token, before any request', async () => {
    const tokenRequests = emu.counts.token;
    const err = await refreshAccessToken(options, '').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TypeError);
    expect((err as Error).message).to.include('refresh token');
    expect(emu.counts.token).to.equal(tokenRequests);
  });
});
