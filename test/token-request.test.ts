// What the strategy sends to Eventpop: the token request's exact form, then the profile request's bearer header.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import nock from 'nock';
import {
  authenticate,
  CLIENT,
  EVENTPOP,
  expectKind,
  fakeRequest,
  ME_RESPONSE,
  makeStrategy,
  type Outcome,
  type SignIn,
  signIn,
  TOKEN_RESPONSE,
  useNock,
} from './helpers/passport';

const { version } = require('../package.json') as { version: string };

/** One request as nock received it. */
interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Answers both endpoints with success and records what arrived at each. */
function recordExchange(base = EVENTPOP): { token: Seen[]; me: Seen[]; urls: string[] } {
  const seen = { token: [] as Seen[], me: [] as Seen[], urls: [] as string[] };
  const scope = nock(base)
    .post('/oauth/token')
    .reply(function (path, body) {
      seen.token.push({ method: this.req.method, path, headers: this.req.headers, body: String(body) });
      return [200, TOKEN_RESPONSE];
    })
    .get((path) => path.startsWith('/api/public/me'))
    .reply(function (path, body) {
      seen.me.push({ method: this.req.method, path, headers: this.req.headers, body: String(body ?? '') });
      return [200, ME_RESPONSE];
    });
  scope.on('request', (req: { path?: string; options?: { href?: string } }) => {
    seen.urls.push(String(req.options?.href ?? req.path));
  });
  return seen;
}

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

describe('the token request', () => {
  useNock();

  describe('with the default options', () => {
    let seen: ReturnType<typeof recordExchange>;
    let run: SignIn;
    before(async () => {
      nock.cleanAll();
      seen = recordExchange();
      run = await signIn(makeStrategy(), { code: 'code-4f2a' });
    });

    it('signs the user in', () => {
      expect(expectKind(run.outcome, 'success').user).to.deep.equal({ id: '4242' });
    });

    it('is one POST to /oauth/token', () => {
      expect(seen.token.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /oauth/token']);
    });

    it('is sent as application/x-www-form-urlencoded', () => {
      expect(seen.token[0]?.headers['content-type']).to.equal('application/x-www-form-urlencoded');
    });

    it('sends exactly grant_type, code, redirect_uri, client_id, client_secret and the PKCE verifier', () => {
      const { code_verifier: verifier, ...rest } = form(seen.token[0]?.body ?? '');
      expect(rest).to.deep.equal({
        grant_type: 'authorization_code',
        code: 'code-4f2a',
        redirect_uri: CLIENT.callbackURL,
        client_id: CLIENT.clientID,
        client_secret: CLIENT.clientSecret,
      });
      const challenge = createHash('sha256')
        .update(verifier ?? '')
        .digest('base64url');
      expect(run.authorizeURL.searchParams.get('code_challenge')).to.equal(challenge);
    });

    it("sends the authorize step's redirect_uri", () => {
      expect(form(seen.token[0]?.body ?? '').redirect_uri).to.equal(
        run.authorizeURL.searchParams.get('redirect_uri'),
      );
    });

    it('sends a Content-Length that matches the body', () => {
      expect(seen.token[0]?.headers['content-length']).to.equal(
        String(Buffer.byteLength(seen.token[0]?.body ?? '')),
      );
    });

    it(`sends User-Agent passport-eventpop/${version}`, () => {
      expect(seen.token[0]?.headers['user-agent']).to.equal(`passport-eventpop/${version}`);
    });

    it('asks for JSON', () => {
      expect(seen.token[0]?.headers.accept).to.equal('application/json');
    });

    it('sends no Authorization header (the secret travels in the body only)', () => {
      expect(seen.token[0]?.headers).to.not.have.property('authorization');
    });
  });

  describe('with pkce: true', () => {
    let seen: ReturnType<typeof recordExchange>;
    let verifier: string | undefined;
    let outcome: Outcome;
    before(async () => {
      nock.cleanAll();
      seen = recordExchange();
      const strategy = makeStrategy({ pkce: true });
      const session: Record<string, { state?: { code_verifier?: string } }> = {};
      const redirect = await authenticate(strategy, fakeRequest({ session }));
      const state = new URL(expectKind(redirect, 'redirect').url).searchParams.get('state');
      verifier = session['oauth2:www.eventpop.me']?.state?.code_verifier;
      outcome = await authenticate(strategy, fakeRequest({ url: `/cb?code=c1&state=${state}`, session }));
    });

    it('signs the user in', () => {
      expectKind(outcome, 'success');
    });

    it('sends code_verifier, the verifier the challenge was made from', () => {
      expect(form(seen.token[0]?.body ?? '').code_verifier)
        .to.be.a('string')
        .and.equal(verifier);
    });

    it('sends the verifier besides the usual five fields and nothing else', () => {
      expect(Object.keys(form(seen.token[0]?.body ?? '')).sort()).to.deep.equal(
        ['client_id', 'client_secret', 'code', 'code_verifier', 'grant_type', 'redirect_uri'].sort(),
      );
    });
  });

  it('sends exactly grant_type, code, redirect_uri, client_id and client_secret with pkce: false', async () => {
    const seen = recordExchange();
    expectKind((await signIn(makeStrategy({ pkce: false }), { code: 'code-77' })).outcome, 'success');
    expect(form(seen.token[0]?.body ?? '')).to.deep.equal({
      grant_type: 'authorization_code',
      code: 'code-77',
      redirect_uri: CLIENT.callbackURL,
      client_id: CLIENT.clientID,
      client_secret: CLIENT.clientSecret,
    });
  });

  it('sends the redirect_uri resolved in the authorize step for a relative callbackURL behind a proxy', async () => {
    const seen = recordExchange();
    const strategy = makeStrategy({ callbackURL: '/auth/eventpop/callback', proxy: true });
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
    const session: Record<string, unknown> = {};
    const redirect = new URL(
      expectKind(await authenticate(strategy, fakeRequest({ headers, session })), 'redirect').url,
    );
    const query = `code=c1&state=${redirect.searchParams.get('state')}`;
    const outcome = await authenticate(
      strategy,
      fakeRequest({ url: `/auth/eventpop/callback?${query}`, headers, session }),
    );
    expectKind(outcome, 'success');
    expect(form(seen.token[0]?.body ?? '').redirect_uri).to.equal(redirect.searchParams.get('redirect_uri'));
    expect(form(seen.token[0]?.body ?? '').redirect_uri).to.equal(
      'https://public.example/auth/eventpop/callback',
    );
  });
});

describe('the profile request', () => {
  useNock();

  let seen: ReturnType<typeof recordExchange>;
  before(async () => {
    nock.cleanAll();
    seen = recordExchange();
    expectKind((await signIn(makeStrategy())).outcome, 'success');
  });

  it('is one GET to /api/public/me', () => {
    expect(seen.me.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /api/public/me']);
  });

  it('sends the access token as Authorization: Bearer', () => {
    expect(seen.me[0]?.headers.authorization).to.equal(`Bearer ${TOKEN_RESPONSE.access_token}`);
  });

  it('keeps the access token out of the request path', () => {
    expect(seen.me[0]?.path).to.not.include(TOKEN_RESPONSE.access_token);
    expect(seen.me[0]?.path).to.not.include('access_token');
  });

  it('keeps the access token out of every URL nock recorded', () => {
    expect(seen.urls).to.deep.equal([`${EVENTPOP}/oauth/token`, `${EVENTPOP}/api/public/me`]);
    for (const url of seen.urls) expect(url).to.not.include(TOKEN_RESPONSE.access_token);
  });

  it('sends no body', () => {
    expect(seen.me[0]?.body).to.equal('');
  });

  it(`sends User-Agent passport-eventpop/${version} and asks for JSON`, () => {
    expect(seen.me[0]?.headers['user-agent']).to.equal(`passport-eventpop/${version}`);
    expect(seen.me[0]?.headers.accept).to.equal('application/json');
  });
});
