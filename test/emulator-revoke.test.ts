import { expect } from 'chai';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator/index';
import { basic, login, me, postForm, refresh, type TokenBody } from './fixtures/emulator/client';

function revoke(
  emu: Emulator,
  token: string,
  clientId = 'demo-client',
  secret = 'demo-secret',
): Promise<Response> {
  return postForm(emu, '/oauth/revoke', { token }, { authorization: basic(clientId, secret) });
}

describe('emulator: POST /oauth/revoke', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      clients: [
        defaultClient,
        {
          clientId: 'other',
          clientSecret: 'other-secret',
          redirectUris: ['https://o.example/cb'],
          name: 'Other',
        },
      ],
    });
  });
  after(() => emu.close());

  it('answers 200 {} and revokes the access token and its refresh token', async () => {
    const tokens = await login(emu);
    const res = await revoke(emu, tokens.access_token);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({});
    const profile = await me(emu, tokens.access_token);
    expect(profile.status).to.equal(401);
    expect(profile.headers.get('www-authenticate')).to.include('The access token was revoked');
    expect((await refresh(emu, tokens.refresh_token ?? '')).status).to.equal(400);
  });

  it('revokes the access token too when given the refresh token', async () => {
    const tokens = await login(emu);
    expect((await revoke(emu, tokens.refresh_token ?? '')).status).to.equal(200);
    expect((await me(emu, tokens.access_token)).status).to.equal(401);
  });

  it('accepts client credentials in the body', async () => {
    const tokens = await login(emu);
    const res = await postForm(emu, '/oauth/revoke', {
      token: tokens.access_token,
      client_id: 'demo-client',
      client_secret: 'demo-secret',
    });
    expect(res.status).to.equal(200);
    expect((await me(emu, tokens.access_token)).status).to.equal(401);
  });

  it('answers 200 {} for an unknown token (RFC 7009 2.2)', async () => {
    const res = await revoke(emu, 'e'.repeat(64));
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({});
  });

  it('refuses another client’s token with 403 unauthorized_client and leaves it valid', async () => {
    const tokens = await login(emu);
    const res = await revoke(emu, tokens.access_token, 'other', 'other-secret');
    expect(res.status).to.equal(403);
    expect(res.headers.get('www-authenticate')).to.equal(null);
    expect(((await res.json()) as TokenBody).error).to.equal('unauthorized_client');
    expect((await me(emu, tokens.access_token)).status).to.equal(200);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const tokens = await login(emu);
    const res = await revoke(emu, tokens.access_token, 'demo-client', 'nope');
    expect(res.status).to.equal(401);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_client');
  });

  it('refuses a revocation without client authentication with Doorkeeper’s 403 and no WWW-Authenticate', async () => {
    const tokens = await login(emu);
    const res = await postForm(emu, '/oauth/revoke', { token: tokens.access_token });
    expect(res.status).to.equal(403);
    expect(res.headers.get('www-authenticate')).to.equal(null);
    expect(await res.json()).to.deep.equal({
      error: 'unauthorized_client',
      error_description: 'You are not authorized to revoke this token',
    });
    expect((await me(emu, tokens.access_token)).status, 'the token stays valid').to.equal(200);
  });

  it('refuses a missing token with 400 invalid_request', async () => {
    const res = await revoke(emu, '');
    expect(res.status).to.equal(400);
    expect(((await res.json()) as TokenBody).error).to.equal('invalid_request');
  });
});
