// The redirect to Eventpop's authorize page: every query parameter, state and PKCE in the session, callback resolution.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Strategy } from '../lib';
import { authenticate, CLIENT, expectKind, fakeRequest, makeStrategy } from './helpers/passport';

const SESSION_KEY = 'oauth2:www.eventpop.me';

async function redirectFrom(
  strategy: Strategy,
  request: Parameters<typeof fakeRequest>[0] = {},
): Promise<{ url: URL; session: Record<string, unknown> }> {
  const session: Record<string, unknown> = {};
  const outcome = await authenticate(strategy, fakeRequest({ session, ...request }));
  return { url: new URL(expectKind(outcome, 'redirect').url), session };
}

function base64url(buffer: Buffer): string {
  return buffer.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

describe('the redirect to Eventpop', () => {
  describe('with the default options', () => {
    let url: URL;
    let session: Record<string, unknown>;
    before(async () => {
      ({ url, session } = await redirectFrom(makeStrategy()));
    });

    it('goes to https://www.eventpop.me/oauth/authorize', () => {
      expect(`${url.origin}${url.pathname}`).to.equal('https://www.eventpop.me/oauth/authorize');
    });

    it('carries exactly response_type, client_id, redirect_uri, scope, state and a PKCE challenge', () => {
      expect([...url.searchParams.keys()].sort()).to.deep.equal(
        [
          'client_id',
          'code_challenge',
          'code_challenge_method',
          'redirect_uri',
          'response_type',
          'scope',
          'state',
        ].sort(),
      );
    });

    it('asks for response_type=code', () => {
      expect(url.searchParams.get('response_type')).to.equal('code');
    });

    it('sends the client ID', () => {
      expect(url.searchParams.get('client_id')).to.equal(CLIENT.clientID);
    });

    it('sends the callback URL as redirect_uri', () => {
      expect(url.searchParams.get('redirect_uri')).to.equal(CLIENT.callbackURL);
    });

    it('asks for scope=public', () => {
      expect(url.searchParams.get('scope')).to.equal('public');
    });

    it('sends a state of at least 20 characters that the session holds', () => {
      const state = url.searchParams.get('state') ?? '';
      expect(state).to.have.length.of.at.least(20);
      expect((session[SESSION_KEY] as { state: { handle: string } }).state.handle).to.equal(state);
    });

    it('never sends the client secret', () => {
      expect(url.href).to.not.include(CLIENT.clientSecret);
    });
  });

  it('sends a new state on each redirect', async () => {
    const strategy = makeStrategy();
    const first = (await redirectFrom(strategy)).url.searchParams.get('state');
    const second = (await redirectFrom(strategy)).url.searchParams.get('state');
    expect(first).to.not.equal(second);
  });

  it('joins an array of scopes with a space', async () => {
    const { url } = await redirectFrom(makeStrategy({ scope: ['public', 'organizer'] }));
    expect(url.searchParams.get('scope')).to.equal('public organizer');
    expect(url.search).to.match(/[?&]scope=public(\+|%20)organizer(&|$)/);
  });

  it('sends a space-separated scope string as given', async () => {
    const { url } = await redirectFrom(makeStrategy({ scope: 'public organizer' }));
    expect(url.searchParams.get('scope')).to.equal('public organizer');
  });

  it('lets authenticate options override the scope', async () => {
    const session: Record<string, unknown> = {};
    const outcome = await authenticate(makeStrategy(), fakeRequest({ session }), { scope: ['organizer'] });
    expect(new URL(expectKind(outcome, 'redirect').url).searchParams.get('scope')).to.equal('organizer');
  });

  it('keeps the state under sessionKey when one is given', async () => {
    const { url, session } = await redirectFrom(makeStrategy({ sessionKey: 'eventpop-login' }));
    const stored = session['eventpop-login'] as { state: { handle: string } };
    expect(stored.state.handle).to.equal(url.searchParams.get('state'));
  });

  describe('PKCE, on by default', () => {
    let url: URL;
    let session: Record<string, unknown>;
    before(async () => {
      ({ url, session } = await redirectFrom(makeStrategy()));
    });

    it('sends code_challenge_method=S256', () => {
      expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    });

    it('sends code_challenge = base64url(sha256(verifier)) for the verifier kept in the session', () => {
      const stored = session[SESSION_KEY] as { state: { handle: string; code_verifier: string } };
      const expected = base64url(createHash('sha256').update(stored.state.code_verifier).digest());
      expect(url.searchParams.get('code_challenge')).to.equal(expected);
    });

    it('keeps a verifier of 43 or more base64url characters (RFC 7636 section 4.1)', () => {
      const stored = session[SESSION_KEY] as { state: { code_verifier: string } };
      expect(stored.state.code_verifier).to.match(/^[A-Za-z0-9_-]{43,128}$/);
    });

    it('sends the state the session holds', () => {
      const stored = session[SESSION_KEY] as { state: { handle: string } };
      expect(url.searchParams.get('state')).to.equal(stored.state.handle);
    });

    it('never puts the verifier in the URL', () => {
      const stored = session[SESSION_KEY] as { state: { code_verifier: string } };
      expect(url.href).to.not.include(stored.state.code_verifier);
    });
  });

  describe('with pkce: false', () => {
    let url: URL;
    let session: Record<string, unknown>;
    before(async () => {
      ({ url, session } = await redirectFrom(makeStrategy({ pkce: false })));
    });

    it('carries exactly response_type, client_id, redirect_uri, scope and state', () => {
      expect([...url.searchParams.keys()].sort()).to.deep.equal(
        ['client_id', 'redirect_uri', 'response_type', 'scope', 'state'].sort(),
      );
    });

    it('keeps only the state in the session', () => {
      expect(session[SESSION_KEY]).to.deep.equal({ state: url.searchParams.get('state') });
    });
  });

  describe('with state: false', () => {
    it('sends neither a state nor a PKCE challenge, and needs no session', async () => {
      const outcome = await authenticate(makeStrategy({ state: false }), fakeRequest({ session: null }));
      const url = new URL(expectKind(outcome, 'redirect').url);
      expect([...url.searchParams.keys()].sort()).to.deep.equal(
        ['client_id', 'redirect_uri', 'response_type', 'scope'].sort(),
      );
    });
  });

  describe('with a relative callbackURL', () => {
    const callbackURL = '/auth/eventpop/callback';

    it('resolves it against the request host over http', async () => {
      const { url } = await redirectFrom(makeStrategy({ callbackURL }), {
        headers: { host: 'app.example:3000' },
      });
      expect(url.searchParams.get('redirect_uri')).to.equal('http://app.example:3000/auth/eventpop/callback');
    });

    it('resolves it as https on a TLS connection', async () => {
      const { url } = await redirectFrom(makeStrategy({ callbackURL }), { encrypted: true });
      expect(url.searchParams.get('redirect_uri')).to.equal('https://app.example/auth/eventpop/callback');
    });

    it('ignores X-Forwarded-Proto and X-Forwarded-Host without proxy: true', async () => {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
      const { url } = await redirectFrom(makeStrategy({ callbackURL }), { headers });
      expect(url.searchParams.get('redirect_uri')).to.equal('http://app.example/auth/eventpop/callback');
    });

    it('uses X-Forwarded-Proto and X-Forwarded-Host with proxy: true', async () => {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
      const { url } = await redirectFrom(makeStrategy({ callbackURL, proxy: true }), { headers });
      expect(url.searchParams.get('redirect_uri')).to.equal('https://public.example/auth/eventpop/callback');
    });
  });
});
