// revokeToken (RFC 7009) against the emulator over real sockets.
import { expect } from 'chai';
import {
  EventpopAPIError,
  fetchProfile,
  InternalOAuthError,
  refreshAccessToken,
  revokeToken,
  TokenError,
} from '../lib';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator';
import { demoClientOptions, login } from './fixtures/emulator/client';

const OTHER = {
  clientId: 'other-app',
  clientSecret: 'other-secret-7c2d',
  redirectUris: ['http://127.0.0.1:9/cb'],
  name: 'B',
};

describe('revokeToken against the emulator', () => {
  let emu: Emulator;
  let options: ReturnType<typeof demoClientOptions>;

  const signIn = () => login(emu);

  before(async () => {
    emu = await createEmulator({ port: 0, clients: [defaultClient, OTHER], profileRateLimit: 0 });
    options = demoClientOptions(emu);
  });
  afterEach(() => emu.clearFaults());
  after(() => emu.close());

  it('revokes an access token, which /api/public/me then refuses', async () => {
    const { access_token } = await signIn();
    await fetchProfile(options, access_token);
    await revokeToken(options, access_token, 'access_token');
    const err = await fetchProfile(options, access_token).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(EventpopAPIError);
    expect(err).to.include({ code: 'invalid_token', status: 401 });
    expect((err as Error).message).to.include('revoked');
  });

  it('revokes the refresh token along with its access token', async () => {
    const { access_token, refresh_token } = await signIn();
    await revokeToken(options, access_token);
    const err = await refreshAccessToken(options, refresh_token!).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'invalid_grant', status: 400 });
  });

  it('treats a token Eventpop does not know as revoked', async () => {
    await revokeToken(options, 'f'.repeat(64));
  });

  it("fails with TokenError unauthorized_client for another application's token, which stays valid", async () => {
    const { access_token } = await signIn();
    const other = { ...options, clientID: OTHER.clientId, clientSecret: OTHER.clientSecret };
    const err = await revokeToken(other, access_token).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'unauthorized_client', status: 403 });
    expect((await fetchProfile(options, access_token)).provider).to.equal('eventpop');
  });

  it('fails with TokenError invalid_client for a wrong client secret, without echoing secret or token', async () => {
    const { access_token } = await signIn();
    const err = await revokeToken({ ...options, clientSecret: 'wrong-secret-3e9f' }, access_token).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'invalid_client', status: 401 });
    const shown = `${String(err)} ${(err as Error).stack} ${JSON.stringify(err)}`;
    expect(shown).not.to.include('wrong-secret-3e9f');
    expect(shown).not.to.include(access_token);
  });

  it('fails with InternalOAuthError ETIMEDOUT naming the endpoint when Eventpop never answers', async () => {
    emu.inject('revoke', { hang: true, times: 1 });
    const err = await revokeToken(options, 'f'.repeat(64)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InternalOAuthError);
    expect(err).to.have.property('code', 'ETIMEDOUT');
    expect((err as Error).message).to.include(`${emu.url}/oauth/revoke`);
  });

  it('fails with InternalOAuthError and the status for an HTML error page', async () => {
    emu.inject('revoke', { html: true, status: 502, times: 1 });
    const err = await revokeToken(options, 'f'.repeat(64)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InternalOAuthError);
    expect(err).to.have.property('status', 502);
  });
});
