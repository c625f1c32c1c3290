// The default state store's handles: from the pooled CSPRNG bytes instead of uid2, in the session entry passport-oauth2's own stores write.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';

import OAuth2Strategy = require('passport-oauth2');

import type { EventpopStrategyOptions } from '../lib';
import { authenticate, CLIENT, expectKind, fakeRequest, makeStrategy } from './helpers/passport';

const KEY = 'oauth2:www.eventpop.me';

/** passport-oauth2's own strategy with its default store, PKCE as asked. */
function passportStrategy(pkce: boolean): OAuth2Strategy {
  return new OAuth2Strategy(
    {
      ...CLIENT,
      authorizationURL: 'https://www.eventpop.me/oauth/authorize',
      tokenURL: 'https://www.eventpop.me/oauth/token',
      state: true,
      pkce,
    } as OAuth2Strategy.StrategyOptions,
    () => {},
  );
}

/** The session after one authorize redirect, and the state the redirect carried. */
async function signInStart(strategy: OAuth2Strategy, options: object = {}) {
  const session: Record<string, unknown> = {};
  const outcome = await authenticate(strategy, fakeRequest({ session }), options);
  const state = new URL(expectKind(outcome, 'redirect').url).searchParams.get('state');
  return { session, state };
}

/** The entry's shape with every random value replaced by its length. */
function shape(session: Record<string, unknown>): unknown {
  return JSON.parse(
    JSON.stringify(session, (key, value) =>
      ['handle', 'code_verifier'].includes(key) || (key === 'state' && typeof value === 'string')
        ? `<${(value as string).length} characters>`
        : value,
    ),
  );
}

describe("the default state store's handles", () => {
  for (const pkce of [true, false]) {
    const label = pkce ? 'with PKCE' : 'without PKCE';

    it(`writes the session entry passport-oauth2's own store writes, ${label}`, async () => {
      for (const options of [{}, { state: { returnTo: '/tickets' } }]) {
        const ours = await signInStart(makeStrategy({ pkce }), options);
        const theirs = await signInStart(passportStrategy(pkce), options);
        expect(Object.keys(ours.session)).to.deep.equal([KEY]);
        expect(shape(ours.session)).to.deep.equal(shape(theirs.session));
      }
    });

    it(`gives every sign-in its own 24-character base64url handle, across refills of the random pool, ${label}`, async () => {
      const strategy = makeStrategy({ pkce });
      const handles = new Set<string>();
      // 300 sign-ins take more than the 4 KiB pool holds (18 bytes a handle, 32 more a verifier).
      for (let i = 0; i < 300; i++) {
        const { session, state } = await signInStart(strategy);
        const entry = (session[KEY] as { state: unknown }).state;
        const stored = pkce ? (entry as { handle: string }).handle : entry;
        expect(state).to.match(/^[A-Za-z0-9_-]{24}$/);
        expect(stored).to.equal(state);
        handles.add(state as string);
      }
      expect(handles.size).to.equal(300);
    });

    it(`signs in with the handle it stored and refuses another, ${label}`, async () => {
      const strategy = makeStrategy({ pkce });
      const { session, state } = await signInStart(strategy);
      const wrong = await authenticate(
        strategy,
        fakeRequest({ url: `/auth/eventpop/callback?code=c&state=${state}x`, session }),
      );
      expect(expectKind(wrong, 'fail').challenge).to.deep.include({
        message: 'Invalid authorization request state.',
      });
      expect(wrong).to.have.property('status', 403);
    });

    it(`says a session is missing as passport-oauth2 does, ${label}`, async () => {
      const ours = await authenticate(makeStrategy({ pkce }), fakeRequest({ session: null }));
      const theirs = await authenticate(passportStrategy(pkce), fakeRequest({ session: null }));
      expect(expectKind(ours, 'error').err).to.have.property(
        'message',
        (expectKind(theirs, 'error').err as Error).message,
      );
    });
  }

  it('leaves a store the app gives alone', async () => {
    const calls: unknown[] = [];
    const store = {
      store: (_req: unknown, done: (err: null, handle: string) => void) => {
        calls.push('store');
        done(null, 'apps-own-handle');
      },
      verify: () => {},
    };
    const strategy = makeStrategy({
      pkce: false,
      store: store as unknown as EventpopStrategyOptions['store'],
    });
    const { state } = await signInStart(strategy);
    expect(state).to.equal('apps-own-handle');
    expect(calls).to.deep.equal(['store']);
  });

  it("draws no handle from uid2's crypto.pseudoRandomBytes, on our redirect path or passport-oauth2's (a relative callbackURL)", () => {
    // A process of its own, whose crypto.pseudoRandomBytes counts uid2's calls (24 bytes for a
    // handle; passport-oauth2's own path draws its PKCE verifier there too, 32 bytes).
    const script = `
      const crypto = require('node:crypto');
      let calls = 0;
      const original = crypto.pseudoRandomBytes;
      crypto.pseudoRandomBytes = (size, ...rest) => { if (size === 24) calls++; return original(size, ...rest); };
      const { Strategy } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))});
      for (const pkce of [true, false]) for (const callbackURL of ['https://app.example/cb', '/cb']) {
        const s = Object.create(new Strategy({ clientID: 'c', clientSecret: 's', callbackURL, pkce }, () => {}));
        s.redirect = (url) => { if (!/[?&]state=[A-Za-z0-9_-]{24}&/.test(url)) throw new Error('no state in ' + url); };
        s.error = (err) => { throw err; };
        s.authenticate({ method: 'GET', url: '/auth', headers: { host: 'app.example' }, query: {}, session: {}, connection: {} }, {});
      }
      console.log('redirected 4 times, ' + calls + ' handles from pseudoRandomBytes');
    `;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.trim()).to.equal('redirected 4 times, 0 handles from pseudoRandomBytes');
  });
});
