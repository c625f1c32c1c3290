import { expect } from 'chai';
import { errorDescriptions } from '../lib/emulator/errors';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator/index';
import { basic, code, exchange, me, pkce, postForm, type TokenBody } from './fixtures/emulator/client';

const callback = 'http://localhost:3000/auth/eventpop/callback';
const hex64 = /^[0-9a-f]{64}$/;

async function expectOAuthError(res: Response, status: number, error: string): Promise<void> {
  expect(res.status).to.equal(status);
  expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
  expect(res.headers.get('cache-control')).to.equal('no-store');
  expect(res.headers.get('www-authenticate')).to.include(`realm="Doorkeeper", error="${error}"`);
  const body = (await res.json()) as TokenBody;
  expect(body.error).to.equal(error);
  expect(body.error_description).to.be.a('string').and.not.equal('');
}

describe('emulator: POST /oauth/token, authorization_code', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      clients: [
        defaultClient,
        { clientId: 'other', clientSecret: 'other-secret', redirectUris: [callback], name: 'Other' },
        { clientId: 'odd id:1', clientSecret: 'p@ss w+rd:%', redirectUris: [callback], name: 'Odd' },
        {
          clientId: 'spa',
          clientSecret: 'unused',
          redirectUris: [callback],
          name: 'SPA',
          confidential: false,
        },
      ],
    });
  });
  after(() => emu.close());

  it('answers a valid code with Doorkeeper’s token JSON and no-store headers', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await exchange(emu, await code(emu));
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(res.headers.get('pragma')).to.equal('no-cache');
    const body = (await res.json()) as TokenBody;
    expect(Object.keys(body)).to.deep.equal([
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'scope',
      'created_at',
    ]);
    expect(body.access_token).to.match(hex64);
    expect(body.refresh_token).to.match(hex64);
    expect(body.token_type).to.equal('Bearer');
    expect(body.expires_in).to.equal(7200);
    expect(body.scope).to.equal('public');
    expect(body.created_at).to.be.within(before, before + 5);
  });

  it('grants the scopes the user consented to', async () => {
    const res = await exchange(emu, await code(emu, { scope: 'public organizer' }));
    expect(((await res.json()) as TokenBody).scope).to.equal('public organizer');
  });

  it('accepts HTTP Basic client authentication with form-url-encoded id and secret', async () => {
    const authorizationCode = await code(emu, { client_id: 'odd id:1' });
    const res = await postForm(
      emu,
      '/oauth/token',
      { grant_type: 'authorization_code', code: authorizationCode, redirect_uri: callback },
      { authorization: basic('odd id:1', 'p@ss w+rd:%') },
    );
    expect(res.status).to.equal(200);
  });

  it('accepts a JSON body', async () => {
    const res = await fetch(`${emu.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: await code(emu),
        redirect_uri: callback,
        client_id: 'demo-client',
        client_secret: 'demo-secret',
      }),
    });
    expect(res.status).to.equal(200);
  });

  it('refuses a wrong secret with 401 invalid_client and Doorkeeper’s Bearer challenge (not Basic)', async () => {
    const res = await exchange(emu, await code(emu), { client_secret: 'wrong' });
    expect(res.headers.get('www-authenticate')).to.equal(
      `Bearer realm="Doorkeeper", error="invalid_client", error_description="${errorDescriptions.invalid_client}"`,
    );
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses a wrong Basic secret with 401 invalid_client', async () => {
    const res = await postForm(
      emu,
      '/oauth/token',
      { grant_type: 'authorization_code', code: await code(emu), redirect_uri: callback },
      { authorization: basic('demo-client', 'nope') },
    );
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses a missing secret for a confidential client with 401 invalid_client', async () => {
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'authorization_code',
      code: await code(emu),
      redirect_uri: callback,
      client_id: 'demo-client',
    });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    const res = await exchange(emu, await code(emu), { client_id: 'ghost' });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('lets a public client exchange a PKCE code with its client_id alone', async () => {
    const { verifier, challenge } = pkce();
    const authorizationCode = await code(emu, {
      client_id: 'spa',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'authorization_code',
      code: authorizationCode,
      redirect_uri: callback,
      client_id: 'spa',
      code_verifier: verifier,
    });
    expect(res.status).to.equal(200);
  });

  it('refuses a reused authorization code with 400 invalid_grant, leaving the first tokens valid', async () => {
    const authorizationCode = await code(emu);
    const first = (await (await exchange(emu, authorizationCode)).json()) as TokenBody;
    await expectOAuthError(await exchange(emu, authorizationCode), 400, 'invalid_grant');
    expect((await me(emu, first.access_token)).status).to.equal(200);
  });

  it('refuses an unknown code with 400 invalid_grant', async () => {
    await expectOAuthError(await exchange(emu, 'f'.repeat(64)), 400, 'invalid_grant');
  });

  it('refuses a code issued to another client with 400 invalid_grant', async () => {
    const res = await exchange(emu, await code(emu), { client_id: 'other', client_secret: 'other-secret' });
    await expectOAuthError(res, 400, 'invalid_grant');
  });

  it('refuses a redirect_uri that differs from the authorize step with 400 invalid_grant', async () => {
    const res = await exchange(emu, await code(emu), { redirect_uri: `${callback}?x=1` });
    await expectOAuthError(res, 400, 'invalid_grant');
  });

  it('refuses a missing redirect_uri when the authorize step sent one with 400 invalid_request', async () => {
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'authorization_code',
      code: await code(emu),
      client_id: 'demo-client',
      client_secret: 'demo-secret',
    });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a missing code with 400 invalid_request', async () => {
    await expectOAuthError(await exchange(emu, ''), 400, 'invalid_request');
  });

  it('refuses a missing grant_type with 400 invalid_request', async () => {
    const res = await postForm(emu, '/oauth/token', {
      client_id: 'demo-client',
      client_secret: 'demo-secret',
    });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses an unknown grant type with 400 unsupported_grant_type', async () => {
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'password',
      client_id: 'demo-client',
      client_secret: 'demo-secret',
    });
    await expectOAuthError(res, 400, 'unsupported_grant_type');
  });

  it('refuses a body over 64 KiB with 413 invalid_request', async () => {
    const res = await postForm(emu, '/oauth/token', { grant_type: 'x'.repeat(100_000) });
    await expectOAuthError(res, 413, 'invalid_request');
  });

  it('refuses a JSON body that does not parse with 400 invalid_request', async () => {
    const res = await fetch(`${emu.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a code once its 10 minutes have passed with 400 invalid_grant', async () => {
    const authorizationCode = await code(emu);
    emu.advanceTime(601);
    await expectOAuthError(await exchange(emu, authorizationCode), 400, 'invalid_grant');
  });

  describe('with PKCE', () => {
    it('accepts the right S256 verifier', async () => {
      const { verifier, challenge } = pkce();
      const authorizationCode = await code(emu, { code_challenge: challenge, code_challenge_method: 'S256' });
      expect((await exchange(emu, authorizationCode, { code_verifier: verifier })).status).to.equal(200);
    });

    it('accepts the right plain verifier (the method when none is named)', async () => {
      const authorizationCode = await code(emu, { code_challenge: 'a'.repeat(43) });
      expect((await exchange(emu, authorizationCode, { code_verifier: 'a'.repeat(43) })).status).to.equal(
        200,
      );
    });

    it('refuses a missing verifier with 400 invalid_request', async () => {
      const authorizationCode = await code(emu, {
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      });
      await expectOAuthError(await exchange(emu, authorizationCode), 400, 'invalid_request');
    });

    it('refuses a verifier for a code issued without a challenge with 400 invalid_grant (no PKCE downgrade)', async () => {
      const withoutChallenge = await code(emu);
      const res = await exchange(emu, withoutChallenge, { code_verifier: pkce().verifier });
      await expectOAuthError(res, 400, 'invalid_grant');
    });

    it('accepts a plain challenge with the same string as its verifier', async () => {
      const { verifier } = pkce();
      const authorizationCode = await code(emu, { code_challenge: verifier, code_challenge_method: 'plain' });
      expect((await exchange(emu, authorizationCode, { code_verifier: verifier })).status).to.equal(200);
    });

    it('refuses a wrong verifier with 400 invalid_grant without using up the code', async () => {
      const { verifier, challenge } = pkce();
      const authorizationCode = await code(emu, { code_challenge: challenge, code_challenge_method: 'S256' });
      const wrong = await exchange(emu, authorizationCode, { code_verifier: pkce().verifier });
      await expectOAuthError(wrong, 400, 'invalid_grant');
      expect((await exchange(emu, authorizationCode, { code_verifier: verifier })).status).to.equal(200);
    });
  });
});

describe('emulator: POST /oauth/token, client_credentials', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      clients: [
        defaultClient,
        {
          clientId: 'spa',
          clientSecret: 'unused',
          redirectUris: [callback],
          name: 'SPA',
          confidential: false,
        },
      ],
    });
  });
  after(() => emu.close());

  it('answers with an app token and no refresh_token', async () => {
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: 'demo-client',
      client_secret: 'demo-secret',
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as TokenBody;
    expect(Object.keys(body)).to.deep.equal([
      'access_token',
      'token_type',
      'expires_in',
      'scope',
      'created_at',
    ]);
    expect(body.access_token).to.match(hex64);
  });

  it('gives an app token 403 with an empty body at /api/public/me (there is no user)', async () => {
    const res = await postForm(
      emu,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('demo-client', 'demo-secret') },
    );
    const profile = await me(emu, ((await res.json()) as TokenBody).access_token);
    expect(profile.status).to.equal(403);
    expect(await profile.text()).to.equal('');
  });

  it('refuses a public client without a secret with 401 invalid_client', async () => {
    const res = await postForm(emu, '/oauth/token', { grant_type: 'client_credentials', client_id: 'spa' });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses an unknown scope with 400 invalid_scope', async () => {
    const res = await postForm(emu, '/oauth/token', {
      grant_type: 'client_credentials',
      scope: 'root',
      client_id: 'demo-client',
      client_secret: 'demo-secret',
    });
    await expectOAuthError(res, 400, 'invalid_scope');
  });
});
