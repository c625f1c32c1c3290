// Strategy construction: name, option defaults, endpoint derivation, and the TypeErrors for bad options.
import * as http from 'node:http';
import * as https from 'node:https';
import { expect } from 'chai';
import nock from 'nock';
import { type EventpopStrategyOptions, Strategy } from '../lib';
import {
  authenticate,
  CLIENT,
  EVENTPOP,
  expectKind,
  fakeRequest,
  ME_RESPONSE,
  makeStrategy,
  recordHeader,
  signIn,
  TOKEN_RESPONSE,
  useNock,
  verifyUser,
} from './helpers/passport';

const { version } = require('../package.json') as { version: string };

/** Builds a strategy from raw (possibly wrong) options, as a JavaScript caller could. */
function construct(options: unknown, verify: unknown = verifyUser): Strategy {
  return new Strategy(options as EventpopStrategyOptions, verify as typeof verifyUser);
}

/** The TypeError a construction throws (fails the test when it does not throw one). */
function constructionError(options: unknown, verify?: unknown): TypeError {
  try {
    construct(options, verify);
  } catch (err) {
    expect(err).to.be.instanceOf(TypeError);
    expect((err as Error).message).to.not.include(CLIENT.clientSecret);
    return err as TypeError;
  }
  throw new Error('expected the constructor to throw');
}

async function authorizeURL(strategy: Strategy): Promise<URL> {
  const outcome = await authenticate(strategy, fakeRequest());
  return new URL(expectKind(outcome, 'redirect').url);
}

describe('Strategy construction', () => {
  useNock();

  describe('with only the required options', () => {
    it("is named 'eventpop'", () => {
      expect(makeStrategy().name).to.equal('eventpop');
    });

    it("asks for the 'public' scope", async () => {
      expect((await authorizeURL(makeStrategy())).searchParams.get('scope')).to.equal('public');
    });

    it('redirects to https://www.eventpop.me/oauth/authorize', async () => {
      const url = await authorizeURL(makeStrategy());
      expect(`${url.origin}${url.pathname}`).to.equal('https://www.eventpop.me/oauth/authorize');
    });

    it('keeps a state and a PKCE verifier in the session under oauth2:www.eventpop.me', async () => {
      const session: Record<string, unknown> = {};
      const outcome = await authenticate(makeStrategy(), fakeRequest({ session }));
      const state = new URL(expectKind(outcome, 'redirect').url).searchParams.get('state');
      expect(state).to.be.a('string').and.not.equal('');
      const stored = session['oauth2:www.eventpop.me'] as {
        state: { handle: string; code_verifier: string };
      };
      expect(stored.state.handle).to.equal(state);
      expect(stored.state.code_verifier).to.match(/^[A-Za-z0-9_-]{43,128}$/);
    });

    it('errors when there is no session to keep the state in', async () => {
      const outcome = await authenticate(makeStrategy(), fakeRequest({ session: null }));
      expect(String(expectKind(outcome, 'error').err)).to.match(/session/);
    });

    it('sends an S256 PKCE challenge', async () => {
      const url = await authorizeURL(makeStrategy());
      expect(url.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    });

    it('allows each request 10000 ms', () => {
      const config = (makeStrategy() as unknown as { _eventpop: { http: { timeout: number } } })._eventpop;
      expect(config.http.timeout).to.equal(10_000);
    });

    it('exchanges the code at https://www.eventpop.me/oauth/token and reads /api/public/me', async () => {
      const scope = nock(EVENTPOP)
        .post('/oauth/token')
        .reply(200, TOKEN_RESPONSE)
        .get('/api/public/me')
        .reply(200, ME_RESPONSE);
      const { outcome } = await signIn(makeStrategy());
      expect(expectKind(outcome, 'success').user).to.deep.equal({ id: '4242' });
      scope.done();
    });

    it(`sends User-Agent passport-eventpop/${version} to both endpoints`, async () => {
      const agents = recordHeader('User-Agent');
      await signIn(makeStrategy());
      expect(agents).to.deep.equal([`passport-eventpop/${version}`, `passport-eventpop/${version}`]);
    });
  });

  describe('endpoints', () => {
    it('derives all three endpoints from baseURL', async () => {
      const base = 'https://staging.eventpop.example';
      const scope = nock(base)
        .post('/oauth/token')
        .reply(200, TOKEN_RESPONSE)
        .get('/api/public/me')
        .reply(200, ME_RESPONSE);
      const { authorizeURL: url, outcome } = await signIn(makeStrategy({ baseURL: base }));
      expect(`${url.origin}${url.pathname}`).to.equal(`${base}/oauth/authorize`);
      expectKind(outcome, 'success');
      scope.done();
    });

    it('accepts a baseURL with a trailing slash', async () => {
      const url = await authorizeURL(makeStrategy({ baseURL: 'https://staging.eventpop.example/' }));
      expect(url.href.split('?')[0]).to.equal('https://staging.eventpop.example/oauth/authorize');
    });

    it('keeps a path prefix of baseURL in all three endpoints', async () => {
      const base = 'https://gateway.example/eventpop/';
      const scope = nock('https://gateway.example')
        .post('/eventpop/oauth/token')
        .reply(200, TOKEN_RESPONSE)
        .get('/eventpop/api/public/me')
        .reply(200, ME_RESPONSE);
      const { authorizeURL: url, outcome } = await signIn(makeStrategy({ baseURL: base }));
      expect(`${url.origin}${url.pathname}`).to.equal('https://gateway.example/eventpop/oauth/authorize');
      expectKind(outcome, 'success');
      scope.done();
    });

    it('overrides authorizationURL alone', async () => {
      const scope = nock(EVENTPOP)
        .post('/oauth/token')
        .reply(200, TOKEN_RESPONSE)
        .get('/api/public/me')
        .reply(200, ME_RESPONSE);
      const strategy = makeStrategy({ authorizationURL: 'https://login.eventpop.example/authorize' });
      const { authorizeURL: url, outcome } = await signIn(strategy);
      expect(url.href.split('?')[0]).to.equal('https://login.eventpop.example/authorize');
      expectKind(outcome, 'success');
      scope.done();
    });

    it('overrides tokenURL alone', async () => {
      const token = nock('https://token.eventpop.example').post('/token').reply(200, TOKEN_RESPONSE);
      const me = nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      const strategy = makeStrategy({ tokenURL: 'https://token.eventpop.example/token' });
      const { authorizeURL: url, outcome } = await signIn(strategy);
      expect(url.href.split('?')[0]).to.equal(`${EVENTPOP}/oauth/authorize`);
      expectKind(outcome, 'success');
      token.done();
      me.done();
    });

    it('overrides profileURL alone', async () => {
      const token = nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
      const me = nock('https://api.eventpop.example').get('/v2/me').reply(200, ME_RESPONSE);
      const { outcome } = await signIn(makeStrategy({ profileURL: 'https://api.eventpop.example/v2/me' }));
      expectKind(outcome, 'success');
      token.done();
      me.done();
    });

    for (const base of [
      'http://localhost:4000',
      'http://127.0.0.1:4000',
      'http://127.10.20.30',
      'http://[::1]:4000',
    ]) {
      it(`accepts plain http for the loopback host ${base}`, async () => {
        const url = await authorizeURL(makeStrategy({ baseURL: base }));
        expect(url.href.startsWith(`${base}/oauth/authorize?`)).to.equal(true);
      });
    }

    for (const [name, value] of [
      ['baseURL', 'http://www.eventpop.me'],
      ['baseURL', 'http://localhost.evil.example'],
      ['baseURL', 'http://127.0.0.1.evil.example'],
      ['baseURL', 'ftp://www.eventpop.me'],
      ['authorizationURL', 'http://login.eventpop.example/authorize'],
      ['tokenURL', 'http://token.eventpop.example/token'],
      ['profileURL', 'http://api.eventpop.example/me'],
    ] as const) {
      it(`refuses ${name} ${value} with a TypeError naming ${name}`, () => {
        expect(constructionError({ ...CLIENT, [name]: value }).message).to.include(name);
      });
    }

    it('refuses a baseURL that is not a URL, naming baseURL', () => {
      expect(constructionError({ ...CLIENT, baseURL: 'www.eventpop.me' }).message).to.include('baseURL');
    });

    it('refuses credentials in an endpoint URL', () => {
      const err = constructionError({
        ...CLIENT,
        tokenURL: `https://u:${CLIENT.clientSecret}@www.eventpop.me/oauth/token`,
      });
      expect(err.message).to.include('tokenURL');
    });
  });

  describe('required options', () => {
    for (const name of ['clientID', 'clientSecret', 'callbackURL'] as const) {
      it(`throws a TypeError naming ${name} when it is missing`, () => {
        const { [name]: _omitted, ...rest } = CLIENT;
        expect(constructionError(rest).message).to.include(name);
      });

      it(`throws a TypeError naming ${name} when it is empty`, () => {
        expect(constructionError({ ...CLIENT, [name]: '' }).message).to.include(name);
      });

      it(`throws a TypeError naming ${name} when it is not a string`, () => {
        expect(constructionError({ ...CLIENT, [name]: 12345 }).message).to.include(name);
      });
    }

    it('throws a TypeError when options are missing', () => {
      expect(constructionError(undefined).message).to.include('clientID');
    });

    it('throws a TypeError when the verify callback is missing', () => {
      expect(constructionError(CLIENT, null).message).to.match(/verify/);
    });

    it('never puts the client secret in a message about another option', () => {
      const secret = 'shh-this-is-the-secret-1234';
      for (const bad of [
        { baseURL: 'http://www.eventpop.me' },
        { timeout: -1 },
        { scope: 42 },
        { callbackURL: 'javascript:alert(1)' },
        { pkce: true, state: false },
        { clientID: '' },
      ]) {
        let message = '';
        try {
          construct({ ...CLIENT, clientSecret: secret, ...bad });
        } catch (err) {
          message = `${String(err)} ${(err as Error).stack}`;
        }
        expect(message).to.not.equal('');
        expect(message).to.not.include(secret);
      }
    });
  });

  describe('callbackURL', () => {
    for (const value of ['javascript:alert(1)', 'auth/eventpop/callback', 'https://exa mple.com/cb']) {
      it(`refuses ${value}`, () => {
        expect(constructionError({ ...CLIENT, callbackURL: value }).message).to.include('callbackURL');
      });
    }

    it('accepts a path relative to the request', () => {
      expect(() => makeStrategy({ callbackURL: '/auth/eventpop/callback' })).to.not.throw();
    });
  });

  describe('timeout', () => {
    for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '1000', null]) {
      it(`refuses timeout ${String(value)} with a TypeError naming timeout`, () => {
        expect(constructionError({ ...CLIENT, timeout: value }).message).to.include('timeout');
      });
    }

    it('takes a whole number of milliseconds', () => {
      const config = (
        makeStrategy({ timeout: 300 }) as unknown as { _eventpop: { http: { timeout: number } } }
      )._eventpop;
      expect(config.http.timeout).to.equal(300);
    });
  });

  describe('agent', () => {
    for (const value of [{}, 'keep-alive', true]) {
      it(`refuses agent ${JSON.stringify(value)} with a TypeError naming agent`, () => {
        expect(constructionError({ ...CLIENT, agent: value }).message).to.include('agent');
      });
    }

    it('refuses an http.Agent for https endpoints', () => {
      expect(constructionError({ ...CLIENT, agent: new http.Agent() }).message).to.include('agent');
    });

    it('accepts an https.Agent for https endpoints', () => {
      expect(() => makeStrategy({ agent: new https.Agent() })).to.not.throw();
    });
  });

  describe('scope', () => {
    for (const value of [42, '', '   ', [], ['public', 42], ['pub"lic'], ['pub\\lic'], { public: true }]) {
      it(`refuses scope ${JSON.stringify(value)} with a TypeError naming scope`, () => {
        expect(constructionError({ ...CLIENT, scope: value }).message).to.include('scope');
      });
    }
  });

  describe('userAgent and customHeaders', () => {
    for (const value of ['', 'agent\r\nX-Injected: 1', 42]) {
      it(`refuses userAgent ${JSON.stringify(value)} with a TypeError naming userAgent`, () => {
        expect(constructionError({ ...CLIENT, userAgent: value }).message).to.include('userAgent');
      });
    }

    for (const value of [null, 'X-Header: 1', { 'X-Trace': 5 }, { 'X-Trace': 'a\nb' }]) {
      it(`refuses customHeaders ${JSON.stringify(value)} with a TypeError naming customHeaders`, () => {
        expect(constructionError({ ...CLIENT, customHeaders: value }).message).to.include('customHeaders');
      });
    }

    it('sends userAgent and customHeaders to the token endpoint', async () => {
      const scope = nock(EVENTPOP, { reqheaders: { 'user-agent': 'my-app/2.0', 'x-trace': 'abc' } })
        .post('/oauth/token')
        .reply(200, TOKEN_RESPONSE);
      nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      const { outcome } = await signIn(
        makeStrategy({ userAgent: 'my-app/2.0', customHeaders: { 'X-Trace': 'abc' } }),
      );
      expectKind(outcome, 'success');
      scope.done();
    });

    it('lets customHeaders set the User-Agent when userAgent is not given', async () => {
      const scope = nock(EVENTPOP, { reqheaders: { 'user-agent': 'custom/1' } })
        .post('/oauth/token')
        .reply(200, TOKEN_RESPONSE);
      nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      const { outcome } = await signIn(makeStrategy({ customHeaders: { 'user-agent': 'custom/1' } }));
      expectKind(outcome, 'success');
      scope.done();
    });
  });

  describe('state and pkce', () => {
    it('refuses pkce with state: false, naming pkce', () => {
      expect(constructionError({ ...CLIENT, pkce: true, state: false }).message).to.include('pkce');
    });

    for (const name of ['state', 'pkce']) {
      it(`refuses a non-boolean ${name}`, () => {
        expect(constructionError({ ...CLIENT, [name]: 'yes' }).message).to.include(name);
      });
    }

    it('sends no state with state: false', async () => {
      const url = await authorizeURL(makeStrategy({ state: false }));
      expect(url.searchParams.has('state')).to.equal(false);
    });

    it('signs in with state: false alone, without PKCE', async () => {
      const token = nock(EVENTPOP)
        .post('/oauth/token', (body: Record<string, string>) => !('code_verifier' in body))
        .reply(200, TOKEN_RESPONSE);
      nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      const strategy = makeStrategy({ state: false });
      const outcome = await authenticate(strategy, fakeRequest({ url: '/cb?code=c1', session: null }));
      expectKind(outcome, 'success');
      token.done();
    });

    /** A state store whose store() takes `length` parameters, keeping what it is given. */
    function storeTaking(length: 2 | 5) {
      const kept: unknown[] = [];
      const store =
        length === 5
          ? (
              _req: unknown,
              verifier: unknown,
              _state: unknown,
              _meta: unknown,
              done: (e: null, h: string) => void,
            ) => {
              kept.push(verifier);
              done(null, 'handle');
            }
          : (_req: unknown, done: (e: null, h: string) => void) => done(null, 'handle');
      return { kept, store: { store, verify: () => {} } as unknown as EventpopStrategyOptions['store'] };
    }

    it('turns PKCE on by default with a store whose store() takes the verifier, state: false or not', async () => {
      for (const state of [true, false]) {
        const { kept, store } = storeTaking(5);
        const url = await authorizeURL(makeStrategy({ store, state }));
        expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
        expect(kept[0]).to.be.a('string').with.length.of.at.least(43);
      }
    });

    it('leaves PKCE off by default with a store whose store() cannot take the verifier', async () => {
      const url = await authorizeURL(makeStrategy({ store: storeTaking(2).store }));
      expect(url.searchParams.has('code_challenge')).to.equal(false);
    });

    it('refuses pkce: true with a store whose store() cannot take the verifier, saying why', () => {
      const err = constructionError({ ...CLIENT, pkce: true, store: storeTaking(2).store });
      expect(err.message).to.include('store() takes the verifier').and.include('takes 2');
    });

    for (const [label, store] of [
      ['true', true],
      ["'redis'", 'redis'],
      ['an empty object', {}],
      ['an object without verify()', { store: () => {} }],
    ] as const) {
      it(`refuses store ${label}, which is not a state store`, () => {
        expect(constructionError({ ...CLIENT, store }).message).to.include(
          'the store option must be a state store',
        );
      });
    }
  });
});
