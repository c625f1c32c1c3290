// getApplicationToken (the App Authentication Flow) against the emulator over real sockets.
import { expect } from 'chai';
import { EventpopAPIError, fetchProfile, getApplicationToken, TokenError } from '../lib';
import { createEmulator, type Emulator } from '../lib/emulator';
import { demoClientOptions } from './fixtures/emulator/client';

describe('getApplicationToken against the emulator', () => {
  let emu: Emulator;
  let options: ReturnType<typeof demoClientOptions>;

  before(async () => {
    emu = await createEmulator({ port: 0 });
    options = demoClientOptions(emu);
  });
  after(() => emu.close());

  it('returns an app token without a refresh token, with the scope asked for', async () => {
    const token = await getApplicationToken({ ...options, scope: ['public'] });
    expect(token.accessToken).to.match(/^[0-9a-f]{64}$/);
    expect(token).not.to.have.property('refreshToken');
    expect(token.scopes).to.deep.equal(['public']);
    expect(token.expiresAt).to.be.instanceOf(Date);
  });

  it('sends grant_type=client_credentials to the token endpoint', async () => {
    emu.clearRequests();
    await getApplicationToken(options);
    expect(emu.requests.map((r) => r.grantType)).to.deep.equal(['client_credentials']);
  });

  it('gives a token that cannot read /api/public/me, since it has no user', async () => {
    const token = await getApplicationToken(options);
    const err = await fetchProfile(options, token.accessToken).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(EventpopAPIError);
    expect((err as EventpopAPIError).status).to.be.oneOf([401, 403]);
  });

  it('fails with TokenError invalid_client for an unknown client', async () => {
    const err = await getApplicationToken({ ...options, clientID: 'nobody' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TokenError);
    expect(err).to.include({ code: 'invalid_client', status: 401 });
  });

  it('throws a TypeError naming clientSecret when it is missing', async () => {
    const err = await getApplicationToken({ ...options, clientSecret: '' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TypeError);
    expect((err as Error).message).to.include('clientSecret');
  });
});
