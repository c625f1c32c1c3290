// The authorize redirect built from a template made at construction: the same URL and store calls as passport-oauth2's, and a fresh PKCE verifier every time.
import { createHash } from 'node:crypto';
import { expect } from 'chai';

import OAuth2Strategy = require('passport-oauth2');

import { type EventpopStrategyOptions, Strategy } from '../lib';
import { authenticate, CLIENT, expectKind, fakeRequest, makeStrategy } from './helpers/passport';

type Done = (err: unknown, handle?: unknown) => void;

/** A state store that hands out `handle` and records what each call of `store` received. */
function fixedStore(handle: unknown, arity: 2 | 3 | 4 | 5) {
  const calls: unknown[][] = [];
  const forms = {
    2: (req: unknown, done: Done) => {
      calls.push([req]);
      done(null, handle);
    },
    3: (req: unknown, meta: unknown, done: Done) => {
      calls.push([req, meta]);
      done(null, handle);
    },
    4: (req: unknown, state: unknown, meta: unknown, done: Done) => {
      calls.push([req, state, meta]);
      done(null, handle);
    },
    5: (req: unknown, verifier: unknown, state: unknown, meta: unknown, done: Done) => {
      calls.push([req, verifier, state, meta]);
      done(null, handle);
    },
  };
  const store = { store: forms[arity], verify: () => {} };
  return { calls, store: store as unknown as EventpopStrategyOptions['store'] };
}

async function redirectURL(strategy: OAuth2Strategy, options: object = {}): Promise<string> {
  const outcome = await authenticate(strategy, fakeRequest({ session: {} }), options);
  return expectKind(outcome, 'redirect').url;
}

/** passport-oauth2's own strategy with the options ours hands it, for the URL it would build. */
function passportStrategy(options: EventpopStrategyOptions): OAuth2Strategy {
  const scope = options.scope ?? 'public';
  return new OAuth2Strategy(
    {
      clientID: options.clientID,
      clientSecret: options.clientSecret,
      callbackURL: options.callbackURL,
      // Ours hands passport-oauth2 the URL as the WHATWG parser normalized it.
      authorizationURL: new URL(options.authorizationURL ?? 'https://www.eventpop.me/oauth/authorize').href,
      tokenURL: 'https://www.eventpop.me/oauth/token',
      scope: typeof scope === 'string' ? scope.split(' ') : [...scope],
      scopeSeparator: ' ',
      state: options.state ?? true,
      ...(options.store ? { store: options.store } : {}),
    } as OAuth2Strategy.StrategyOptions,
    () => {},
  );
}

describe('the authorize redirect, built once per strategy', () => {
  const settings: [string, Partial<EventpopStrategyOptions>][] = [
    ['the default options', {}],
    ['an authorizationURL with a port', { authorizationURL: 'http://127.0.0.1:4000/oauth/authorize' }],
    ['an IPv6 authorizationURL', { authorizationURL: 'http://[::1]:4000/oauth/authorize' }],
    [
      'an authorizationURL whose path needs escaping',
      { authorizationURL: 'https://auth.example/o%20auth/ä' },
    ],
    ['two scopes', { scope: ['public', 'organizer'] }],
    ['a callbackURL with a query', { callbackURL: 'https://app.example/cb?next=/a b&x=ü' }],
    ["a client ID with ' ', '/' and 'ñ'", { clientID: 'my app/ñ' }],
  ];
  for (const [label, options] of settings) {
    it(`builds the URL passport-oauth2 builds, with ${label}`, async () => {
      const given = { ...CLIENT, pkce: false, ...options };
      const ours = await redirectURL(makeStrategy({ ...given, store: fixedStore('st4te', 4).store }));
      const theirs = await redirectURL(passportStrategy({ ...given, store: fixedStore('st4te', 4).store }));
      expect(ours).to.equal(theirs);
    });
  }

  for (const [label, handle] of [
    ['one that needs escaping', 'a b+c/=&ü'],
    ['a number', 42],
    ['none', undefined],
  ] as const) {
    it(`sends a store's state as passport-oauth2 does when it is ${label}`, async () => {
      const given = { ...CLIENT, pkce: false };
      const ours = await redirectURL(makeStrategy({ ...given, store: fixedStore(handle, 4).store }));
      const theirs = await redirectURL(passportStrategy({ ...given, store: fixedStore(handle, 4).store }));
      expect(ours).to.equal(theirs);
    });
  }

  it('builds the URL passport-oauth2 builds with state: false', async () => {
    const given = { ...CLIENT, state: false };
    expect(await redirectURL(makeStrategy(given))).to.equal(await redirectURL(passportStrategy(given)));
  });

  for (const arity of [2, 3, 4, 5] as const) {
    it(`calls a store whose store() takes ${arity} parameters with what passport-oauth2 gives it`, async () => {
      const options = { ...CLIENT, pkce: arity === 5 };
      const ours = fixedStore('s', arity);
      const theirs = fixedStore('s', arity);
      await redirectURL(makeStrategy({ ...options, store: ours.store }), { state: { returnTo: '/x' } });
      await redirectURL(passportStrategy({ ...options, store: theirs.store }), { state: { returnTo: '/x' } });
      // Every argument but the request and the random verifier is the same.
      const comparable = (call: unknown[]) => call.slice(1).filter((_, i) => !(arity === 5 && i === 0));
      expect(ours.calls).to.have.length(1);
      expect(comparable(ours.calls[0] ?? [])).to.deep.equal(comparable(theirs.calls[0] ?? []));
    });
  }

  it('gives every sign-in its own verifier of 43 base64url characters, across refills of the random pool', async () => {
    const { calls, store } = fixedStore('s', 5);
    const strategy = makeStrategy({ store });
    const challenges: string[] = [];
    for (let i = 0; i < 300; i++) {
      challenges.push(new URL(await redirectURL(strategy)).searchParams.get('code_challenge') ?? '');
    }
    const verifiers = calls.map((call) => call[1] as string);
    expect(new Set(verifiers).size).to.equal(300);
    for (const [i, verifier] of verifiers.entries()) {
      expect(verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(challenges[i]).to.equal(createHash('sha256').update(verifier).digest('base64url'));
    }
  });

  it("merges an authorizationURL's own query as passport-oauth2 does", async () => {
    const given = {
      ...CLIENT,
      pkce: false,
      authorizationURL: 'https://www.eventpop.me/oauth/authorize?prompt=login&scope=x#top',
    };
    const ours = await redirectURL(makeStrategy({ ...given, store: fixedStore('s', 4).store }));
    expect(ours).to.equal(await redirectURL(passportStrategy({ ...given, store: fixedStore('s', 4).store })));
    expect(new URL(ours).searchParams.get('prompt')).to.equal('login');
  });

  it("sends a subclass's authorizationParams", async () => {
    class PromptingStrategy extends Strategy {
      override authorizationParams(): object {
        return { prompt: 'consent' };
      }
    }
    const strategy = new PromptingStrategy({ ...CLIENT }, (_a, _r, _p, done) => done(null, false));
    const url = new URL(await redirectURL(strategy));
    expect(url.searchParams.get('prompt')).to.equal('consent');
    expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
  });

  it('sends a string state given to authenticate() as it is, without the store', async () => {
    const { calls, store } = fixedStore('from-the-store', 4);
    const url = new URL(await redirectURL(makeStrategy({ store, pkce: false }), { state: 'given' }));
    expect(url.searchParams.get('state')).to.equal('given');
    expect(calls).to.have.length(0);
  });

  it('ends with error when the state store fails or throws', async () => {
    const failing = { store: (_req: unknown, done: Done) => done(new Error('store down')), verify: () => {} };
    const throwing = {
      store: () => {
        throw new Error('store broken');
      },
      verify: () => {},
    };
    for (const [store, message] of [
      [failing, 'store down'],
      [throwing, 'store broken'],
    ] as const) {
      const strategy = makeStrategy({ store: store as unknown as EventpopStrategyOptions['store'] });
      const outcome = await authenticate(strategy, fakeRequest({ session: {} }));
      expect(expectKind(outcome, 'error').err).to.have.property('message', message);
    }
  });
});
