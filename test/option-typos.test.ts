// A newcomer's typos caught at construction: unknown option keys (with the nearest known one), comma-separated scopes, a baseURL that already names an endpoint.
import { expect } from 'chai';
import nock from 'nock';
import {
  type EventpopStrategyOptions,
  fetchProfile,
  getApplicationToken,
  refreshAccessToken,
  revokeToken,
  Strategy,
} from '../lib';
import { CLIENT, EVENTPOP, ME_RESPONSE, TOKEN_RESPONSE, useNock, verifyUser } from './helpers/passport';

/** The TypeError constructing a strategy with these options throws (fails the test when none is thrown). */
function refusal(options: Record<string, unknown>): TypeError {
  try {
    new Strategy(options as unknown as EventpopStrategyOptions, verifyUser);
  } catch (err) {
    expect(err).to.be.instanceOf(TypeError);
    return err as TypeError;
  }
  throw new Error('expected the constructor to throw');
}

const { clientID: _id, clientSecret: _secret, callbackURL: _callback, ...NOTHING } = CLIENT;

describe('option typos', () => {
  describe('an unknown option key', () => {
    for (const [typo, meant, options] of [
      [
        'clientId',
        'clientID',
        { ...NOTHING, clientId: 'x', clientSecret: CLIENT.clientSecret, callbackURL: CLIENT.callbackURL },
      ],
      [
        'clientSecert',
        'clientSecret',
        { clientID: CLIENT.clientID, clientSecert: 'x', callbackURL: CLIENT.callbackURL },
      ],
      [
        'callbackUrl',
        'callbackURL',
        { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret, callbackUrl: '/cb' },
      ],
      ['baseUrl', 'baseURL', { ...CLIENT, baseUrl: 'http://127.0.0.1:4000' }],
      ['client_secret', 'clientSecret', { ...CLIENT, client_secret: 'x' }],
      ['sesionKey', 'sessionKey', { ...CLIENT, sesionKey: 'k' }],
      ['passReqToCallbak', 'passReqToCallback', { ...CLIENT, passReqToCallbak: true }],
      ['PKCE', 'pkce', { ...CLIENT, PKCE: false }],
      ['timout', 'timeout', { ...CLIENT, timout: 500 }],
    ] as const) {
      it(`refuses ${typo}, suggesting ${meant}`, () => {
        expect(refusal(options).message).to.include(`unknown option "${typo}": did you mean ${meant}?`);
      });
    }

    it('reports the typo before the option it left missing', () => {
      const err = refusal({
        clientId: 'x',
        clientSecret: CLIENT.clientSecret,
        callbackURL: CLIENT.callbackURL,
      });
      expect(err.message).to.include('clientId').and.not.include('is required');
    });

    it('never repeats the value of the mistyped key (it may be the secret)', () => {
      const err = refusal({
        clientID: CLIENT.clientID,
        clientSecert: 'shh-the-real-secret',
        callbackURL: '/cb',
      });
      expect(`${err.message} ${err.stack}`).to.not.include('shh-the-real-secret');
    });

    it('lists the options when nothing known is close', () => {
      const err = refusal({ ...CLIENT, colour: 'blue' });
      expect(err.message).to.include('unknown option "colour". The options are: clientID, clientSecret, ');
      expect(err.message).to.include('callbackURL').and.include('allowHTTPHosts');
    });

    for (const key of ['constructor', 'toString', '__proto__']) {
      it(`refuses ${key}, a name every object inherits, as an unknown option`, () => {
        const options = JSON.parse(`{"clientID":"id","clientSecret":"s","callbackURL":"/cb","${key}":1}`);
        expect(refusal(options).message).to.include(`unknown option "${key}"`);
      });
    }

    it("refuses passport-oauth2's scopeSeparator with the reason", () => {
      expect(refusal({ ...CLIENT, scopeSeparator: ',' }).message).to.include(
        'the "scopeSeparator" option is not supported: Eventpop (Doorkeeper) separates scopes with a space',
      );
    });

    it("points passport-github's userProfileURL to profileURL", () => {
      expect(refusal({ ...CLIENT, userProfileURL: 'https://x.example/me' }).message).to.include('profileURL');
    });
  });

  describe('the token helpers', () => {
    useNock();

    it('accept the very object given to the strategy, every strategy key included', async () => {
      const options = {
        ...CLIENT,
        scope: ['public'],
        state: true,
        pkce: true,
        proxy: true,
        sessionKey: 'eventpop',
        skipUserProfile: false,
        passReqToCallback: false as const,
      } satisfies EventpopStrategyOptions;
      expect(() => new Strategy(options, verifyUser)).to.not.throw();
      nock(EVENTPOP)
        .post('/oauth/token')
        .times(2)
        .reply(200, TOKEN_RESPONSE)
        .get('/api/public/me')
        .reply(200, ME_RESPONSE)
        .post('/oauth/revoke')
        .reply(200, {});
      await refreshAccessToken(options, 'r'.repeat(64));
      await getApplicationToken(options);
      await fetchProfile(options, 'a'.repeat(64));
      await revokeToken(options, 'a'.repeat(64));
    });

    for (const [name, call] of [
      ['refreshAccessToken', (o: object) => refreshAccessToken(o as typeof CLIENT, 'r')],
      ['getApplicationToken', (o: object) => getApplicationToken(o as typeof CLIENT)],
      ['fetchProfile', (o: object) => fetchProfile(o as typeof CLIENT, 'a')],
      ['revokeToken', (o: object) => revokeToken(o as typeof CLIENT, 'a')],
    ] as const) {
      it(`${name} still catches a typo, with a suggestion`, async () => {
        const err = await call({ clientID: 'id', clientSecret: 's', timeOut: 5 }).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(TypeError);
        expect((err as Error).message).to.include('did you mean timeout?');
      });
    }
  });

  describe('scope', () => {
    for (const scope of ['public,organizer', 'public, organizer', ['public,organizer']]) {
      it(`refuses ${JSON.stringify(scope)}, saying scopes are space-separated`, () => {
        expect(refusal({ ...CLIENT, scope }).message)
          .to.include('comma-separated')
          .and.include("scopes are space-separated. Use 'public organizer'");
      });
    }

    it('refuses a comma-separated scope for getApplicationToken too', async () => {
      const err = await getApplicationToken({ ...CLIENT, scope: 'public,organizer' }).catch(
        (e: unknown) => e,
      );
      expect((err as Error).message).to.include('space-separated');
    });
  });

  describe('a baseURL that already ends in an endpoint path', () => {
    for (const [baseURL, tail, base] of [
      ['https://www.eventpop.me/oauth', '/oauth', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/oauth/', '/oauth', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/oauth/token', '/oauth/token', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/oauth/authorize', '/oauth/authorize', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/oauth/revoke', '/oauth/revoke', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/api', '/api', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/api/public', '/api/public', 'https://www.eventpop.me'],
      ['https://www.eventpop.me/api/public/me', '/api/public/me', 'https://www.eventpop.me'],
      ['https://gw.example/eventpop/OAuth/Token', '/OAuth/Token', 'https://gw.example/eventpop'],
      ['http://127.0.0.1:4000/oauth', '/oauth', 'http://127.0.0.1:4000'],
    ] as const) {
      it(`refuses ${baseURL}, saying to remove ${tail}`, () => {
        const { message } = refusal({ ...CLIENT, baseURL });
        expect(message).to.include(`Remove ${tail}: baseURL: '${base}'`);
      });
    }

    for (const baseURL of [
      'https://gw.example/eventpop/',
      'https://gw.example/oauth-proxy',
      'https://gw.example/apis',
    ]) {
      it(`keeps ${baseURL}, a real path prefix`, () => {
        expect(() => new Strategy({ ...CLIENT, baseURL }, verifyUser)).to.not.throw();
      });
    }
  });
});
