// The return to the callback with a code ends the same through the strategy's own path as through passport-oauth2's, hooks and stores included.
import { expect } from 'chai';
import nock from 'nock';
import OAuth2Strategy from 'passport-oauth2';
import { type EventpopStrategyOptions, Strategy } from '../lib';
import {
  authenticate,
  CLIENT,
  EVENTPOP,
  expectKind,
  fakeRequest,
  ME_RESPONSE,
  type Outcome,
  start,
  TOKEN_RESPONSE,
  useNock,
} from './helpers/passport';

// A per-call callbackURL sends the callback through passport-oauth2's own authenticate(); the same
// URL set at construction sends it through the strategy's (lib/callback-code.ts).
const THROUGH_PASSPORT_OAUTH2 = { callbackURL: CLIENT.callbackURL };
const PATHS = [
  { name: "the strategy's own path", options: {} },
  { name: "passport-oauth2's path", options: THROUGH_PASSPORT_OAUTH2 },
] as const;

type Verify = (...args: unknown[]) => void;

/** What Eventpop's token endpoint received, per callback. */
let tokenBodies: URLSearchParams[] = [];

function answerSignIn(): void {
  nock(EVENTPOP)
    .post('/oauth/token')
    .reply((_uri, body) => {
      tokenBodies.push(new URLSearchParams(String(body)));
      return [200, TOKEN_RESPONSE];
    })
    .get('/api/public/me')
    .reply(200, ME_RESPONSE);
}

/** Both steps of a sign-in with `authenticateOptions` on each; every action of the callback, in order. */
async function callbackOutcomes(
  strategy: Strategy,
  authenticateOptions: object,
  query?: (state: string) => string,
) {
  const session: Record<string, unknown> = {};
  const redirect = expectKind(
    await authenticate(strategy, fakeRequest({ session }), authenticateOptions),
    'redirect',
  );
  const state = new URL(redirect.url).searchParams.get('state') ?? '';
  answerSignIn();
  const search = query ? query(state) : `code=the-code&state=${encodeURIComponent(state)}`;
  const req = fakeRequest({ url: `/auth/eventpop/callback?${search}`, session });
  const base = OAuth2Strategy.prototype.authenticate;
  let baseCalled = false;
  OAuth2Strategy.prototype.authenticate = function (this: OAuth2Strategy, ...args) {
    baseCalled = true;
    return base.apply(this, args);
  };
  let run: ReturnType<typeof start>;
  try {
    run = start(strategy, req, authenticateOptions);
  } finally {
    OAuth2Strategy.prototype.authenticate = base;
  }
  await run.first;
  // Any second action would come on a later turn; give it one.
  await new Promise((resolve) => setImmediate(resolve));
  return { outcomes: run.outcomes, req, baseCalled };
}

/** The same sign-in through both paths; each path's actions, made comparable (errors by class and message). */
async function bothPaths(
  make: () => Strategy,
  query?: (state: string) => string,
): Promise<{ own: unknown[]; theirs: unknown[]; bodies: URLSearchParams[] }> {
  tokenBodies = [];
  const ends: unknown[][] = [];
  const through: boolean[] = [];
  for (const path of PATHS) {
    const { outcomes, baseCalled } = await callbackOutcomes(make(), path.options, query);
    through.push(baseCalled);
    ends.push(
      outcomes.map((o: Outcome) =>
        o.kind === 'error'
          ? { kind: 'error', type: (o.err as Error).constructor.name, message: (o.err as Error).message }
          : o,
      ),
    );
  }
  // The two really are two paths: passport-oauth2's authenticate() ran for the second only.
  expect(through, "passport-oauth2's authenticate() called, per path").to.deep.equal([false, true]);
  return { own: ends[0] as unknown[], theirs: ends[1] as unknown[], bodies: tokenBodies };
}

function strategyWith(verify: Verify, options: Record<string, unknown> = {}): Strategy {
  return new Strategy({ ...CLIENT, ...options } as EventpopStrategyOptions, verify as never);
}

describe('the callback with a code, through both paths', () => {
  useNock();

  it('sends passport-oauth2 the same token request: grant, code, redirect_uri and PKCE verifier', async () => {
    const { own, theirs, bodies } = await bothPaths(() =>
      strategyWith((_a, _r, profile, done) => (done as Verify)(null, { id: (profile as { id: string }).id })),
    );
    expect(own).to.deep.equal(theirs);
    expect(own).to.have.length(1);
    const [ours, passports] = bodies.map((body) => ({
      ...Object.fromEntries(body),
      code_verifier: undefined,
    }));
    expect(ours).to.deep.equal(passports);
    expect(ours).to.include({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: CLIENT.callbackURL,
    });
    for (const body of bodies) expect(body.get('code_verifier')).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  for (const [arity, verify] of [
    [4, (_a: unknown, _r: unknown, p: unknown, done: Verify) => done(null, { p })],
    [5, (_a: unknown, _r: unknown, params: unknown, p: unknown, done: Verify) => done(null, { params, p })],
  ] as const) {
    it(`calls a ${arity}-parameter verify with the same arguments, and succeeds alike`, async () => {
      const { own, theirs } = await bothPaths(() => strategyWith(verify as Verify));
      expect(own).to.deep.equal(theirs);
      expectKind(own[0] as Outcome, 'success');
    });
  }

  for (const arity of [5, 6]) {
    it(`calls a ${arity}-parameter verify with the request first under passReqToCallback`, async () => {
      const seen: unknown[] = [];
      const verify =
        arity === 6
          ? (req: unknown, _a: unknown, _r: unknown, params: unknown, _p: unknown, done: Verify) => {
              seen.push(req);
              done(null, { params });
            }
          : (req: unknown, _a: unknown, _r: unknown, p: unknown, done: Verify) => {
              seen.push(req);
              done(null, { p });
            };
      const { own, theirs } = await bothPaths(() =>
        strategyWith(verify as Verify, { passReqToCallback: true }),
      );
      expect(own).to.deep.equal(theirs);
      expectKind(own[0] as Outcome, 'success');
      expect(seen).to.have.length(2);
      for (const req of seen)
        expect(req)
          .to.have.property('url')
          .that.matches(/^\/auth\/eventpop\/callback\?/);
    });
  }

  it('fails alike with the info given to done(null, false, info), and calls verify on the strategy', async () => {
    const receivers: unknown[] = [];
    const { own, theirs } = await bothPaths(() =>
      strategyWith(function (this: unknown, _a, _r, _p, done) {
        receivers.push(this);
        (done as Verify)(null, false, { message: 'not invited' });
      }),
    );
    expect(own).to.deep.equal(theirs);
    expect(own).to.deep.equal([{ kind: 'fail', challenge: { message: 'not invited' }, status: undefined }]);
    for (const receiver of receivers) expect(receiver).to.be.instanceOf(Strategy);
  });

  it('errors alike when verify throws', async () => {
    const { own, theirs } = await bothPaths(() =>
      strategyWith(() => {
        throw new TypeError('verify broke');
      }),
    );
    expect(own).to.deep.equal(theirs);
    expect(own).to.deep.equal([{ kind: 'error', type: 'TypeError', message: 'verify broke' }]);
  });

  it('fails alike, with 403 and no request to Eventpop, for a state that does not match', async () => {
    const { own, theirs, bodies } = await bothPaths(
      () => strategyWith((_a, _r, _p, done) => (done as Verify)(null, { id: 1 })),
      () => 'code=the-code&state=forged',
    );
    expect(own).to.deep.equal(theirs);
    expect((own[0] as Outcome).kind).to.equal('fail');
    expect(own[0]).to.include({ status: 403 });
    expect(bodies).to.have.length(0);
    nock.cleanAll();
  });

  it('hands a 4-argument store the same metadata, and its state info to success', async () => {
    const metas: unknown[] = [];
    const store: OAuth2Strategy.StateStore = {
      store: (_req: unknown, _meta: unknown, callback: (err: null, state: string) => void) =>
        callback(null, 'opaque'),
      verify: (
        _req: unknown,
        state: string,
        meta: unknown,
        callback: (err: null, ok: boolean, info: object) => void,
      ) => {
        metas.push(meta);
        callback(null, state === 'opaque', { from: 'store' });
      },
    } as unknown as OAuth2Strategy.StateStore;
    const { own, theirs } = await bothPaths(() =>
      strategyWith((_a, _r, _p, done) => (done as Verify)(null, { id: 1 }, { extra: true }), {
        store,
        pkce: false,
      }),
    );
    expect(own).to.deep.equal(theirs);
    expect(own).to.deep.equal([
      { kind: 'success', user: { id: 1 }, info: { extra: true, state: { from: 'store' } } },
    ]);
    expect(metas).to.have.length(2);
    expect(metas[0]).to.deep.equal(metas[1]);
    expect(metas[0]).to.include({ clientID: CLIENT.clientID, callbackURL: CLIENT.callbackURL });
  });

  it("goes through a subclass's tokenParams and a replaced getOAuthAccessToken", async () => {
    class WithAudience extends Strategy {
      override tokenParams(): object {
        return { audience: 'tickets' };
      }
    }
    const exchanged: unknown[] = [];
    const make = () => {
      const strategy = new WithAudience(CLIENT, (_a, _r, profile, done) => done(null, { id: profile.id }));
      const oauth2 = (strategy as unknown as { _oauth2: Record<string, unknown> })._oauth2;
      const original = oauth2.getOAuthAccessToken as Verify;
      oauth2.getOAuthAccessToken = (code: string, params: Record<string, string>, callback: Verify) => {
        exchanged.push({ code, audience: params.audience });
        original(code, params, callback);
      };
      return strategy;
    };
    const { own, theirs, bodies } = await bothPaths(make);
    expect(own).to.deep.equal(theirs);
    expectKind(own[0] as Outcome, 'success');
    expect(exchanged).to.deep.equal([
      { code: 'the-code', audience: 'tickets' },
      { code: 'the-code', audience: 'tickets' },
    ]);
    for (const body of bodies) expect(body.get('audience')).to.equal('tickets');
  });

  it('skips the profile alike with skipUserProfile', async () => {
    const profiles: unknown[] = [];
    const { own, theirs } = await bothPaths(() =>
      strategyWith(
        (_a, _r, profile, done) => {
          profiles.push(profile);
          (done as Verify)(null, { id: 1 });
        },
        { skipUserProfile: true },
      ),
    );
    expect(own).to.deep.equal(theirs);
    expect(profiles).to.deep.equal([undefined, undefined]);
    nock.cleanAll();
  });
});
