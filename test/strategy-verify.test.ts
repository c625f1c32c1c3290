// The verify callback at runtime: each of the four forms gets the right arguments; async and double `done` are safe.
import { expect } from 'chai';
import nock from 'nock';
import {
  type EventpopProfile,
  type EventpopTokenParams,
  type EventpopVerifyCallback,
  type EventpopVerifyFunctionWithParams,
  type EventpopVerifyFunctionWithRequestAndParams,
  Strategy,
} from '../lib';
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

/** A callback request after the authorize step: its session holds the state (and PKCE verifier) it echoes. */
async function callbackRequest(strategy: Strategy) {
  const session: Record<string, unknown> = {};
  const redirect = expectKind(await authenticate(strategy, fakeRequest({ session })), 'redirect');
  const state = new URL(redirect.url).searchParams.get('state') ?? '';
  return fakeRequest({ url: `/auth/eventpop/callback?code=c1&state=${encodeURIComponent(state)}`, session });
}

function answerSignIn(): void {
  nock(EVENTPOP)
    .post('/oauth/token')
    .reply(200, TOKEN_RESPONSE)
    .get('/api/public/me')
    .reply(200, ME_RESPONSE);
}

/** Runs the callback step on `strategy` and resolves with every action taken and the request used. */
async function callback(strategy: Strategy) {
  answerSignIn();
  const req = await callbackRequest(strategy);
  const run = start(strategy, req);
  const first = await run.first;
  return { first, outcomes: run.outcomes, req };
}

/** Waits for an unhandled rejection for one macrotask turn after `run`, and reports any. */
async function unhandledRejectionsDuring(run: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    // Node reports unhandled rejections after the microtask queue drains; one macrotask turn suffices.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('the verify callback', () => {
  useNock();

  describe('(accessToken, refreshToken, profile, done)', () => {
    let args: unknown[];
    let outcome: Outcome;
    before(async () => {
      const strategy = new Strategy(CLIENT, (accessToken, refreshToken, profile, done) => {
        args = [accessToken, refreshToken, profile, typeof done];
        done(null, { id: profile.id });
      });
      ({ first: outcome } = await callback(strategy));
    });

    it('receives the access token, the refresh token, the profile and done', () => {
      expect(args.slice(0, 2)).to.deep.equal([TOKEN_RESPONSE.access_token, TOKEN_RESPONSE.refresh_token]);
      expect((args[2] as EventpopProfile).id).to.equal('4242');
      expect(args[3]).to.equal('function');
    });

    it('signs in the user it passes to done', () => {
      expect(expectKind(outcome, 'success').user).to.deep.equal({ id: '4242' });
    });
  });

  describe('(accessToken, refreshToken, params, profile, done)', () => {
    let params: EventpopTokenParams;
    let args: unknown[];
    before(async () => {
      // Typed through the exported type: TypeScript cannot infer unannotated parameters of an
      // overload other than the first (see test/types/verify-forms.ts).
      const verify: EventpopVerifyFunctionWithParams = (accessToken, refreshToken, p, profile, done) => {
        params = p;
        args = [accessToken, refreshToken, profile.id];
        done(null, {});
      };
      const strategy = new Strategy(CLIENT, verify);
      expectKind((await callback(strategy)).first, 'success');
    });

    it('receives the tokens and the profile around params', () => {
      expect(args).to.deep.equal([TOKEN_RESPONSE.access_token, TOKEN_RESPONSE.refresh_token, '4242']);
    });

    it('receives params typed: expires_in, scope, created_at, token_type and access_token', () => {
      expect(params).to.deep.equal({
        access_token: TOKEN_RESPONSE.access_token,
        token_type: 'Bearer',
        expires_in: 7200,
        scope: 'public',
        created_at: 1552036500,
      });
    });

    it('does not repeat the refresh token in params', () => {
      expect('refresh_token' in params).to.equal(false);
    });

    it('reads numeric strings in expires_in and created_at as numbers', async () => {
      nock(EVENTPOP)
        .post('/oauth/token')
        .reply(200, { ...TOKEN_RESPONSE, expires_in: '7200', created_at: '1552036500' })
        .get('/api/public/me')
        .reply(200, ME_RESPONSE);
      let received: EventpopTokenParams | undefined;
      const verify: EventpopVerifyFunctionWithParams = (_a, _r, p, _profile, done) => {
        received = p;
        done(null, {});
      };
      const strategy = new Strategy(CLIENT, verify);
      expectKind(await start(strategy, await callbackRequest(strategy)).first, 'success');
      expect([received?.expires_in, received?.created_at]).to.deep.equal([7200, 1552036500]);
    });
  });

  describe('with passReqToCallback: true', () => {
    it('gives the 5-parameter form (req, accessToken, refreshToken, profile, done)', async () => {
      let args: unknown[] = [];
      const strategy = new Strategy(
        { ...CLIENT, passReqToCallback: true },
        (req, accessToken, refreshToken, profile, done) => {
          args = [req, accessToken, refreshToken, profile.id];
          done(null, {});
        },
      );
      const { first, req } = await callback(strategy);
      expectKind(first, 'success');
      expect(args).to.deep.equal([req, TOKEN_RESPONSE.access_token, TOKEN_RESPONSE.refresh_token, '4242']);
      expect(args[0]).to.equal(req);
    });

    it('gives the 6-parameter form (req, accessToken, refreshToken, params, profile, done)', async () => {
      let args: unknown[] = [];
      const verify: EventpopVerifyFunctionWithRequestAndParams = (
        req,
        accessToken,
        refreshToken,
        params,
        profile,
        done,
      ) => {
        args = [req, accessToken, refreshToken, params.expires_in, profile.id];
        done(null, {});
      };
      const strategy = new Strategy({ ...CLIENT, passReqToCallback: true }, verify);
      const { first, req } = await callback(strategy);
      expectKind(first, 'success');
      expect(args[0]).to.equal(req);
      expect(args.slice(1)).to.deep.equal([
        TOKEN_RESPONSE.access_token,
        TOKEN_RESPONSE.refresh_token,
        7200,
        '4242',
      ]);
    });
  });

  describe('outcomes of done', () => {
    it('fails with the info given to done(null, false, info)', async () => {
      const strategy = new Strategy(CLIENT, (_a, _r, _p, done) =>
        done(null, false, { message: 'Not invited' }),
      );
      expect(expectKind((await callback(strategy)).first, 'fail').challenge).to.deep.equal({
        message: 'Not invited',
      });
    });

    it('errors with the error given to done(err)', async () => {
      const boom = new Error('database down');
      const strategy = new Strategy(CLIENT, (_a, _r, _p, done) => done(boom));
      expect(expectKind((await callback(strategy)).first, 'error').err).to.equal(boom);
    });

    it('errors with what a verify throws', async () => {
      const boom = new Error('thrown');
      const strategy = new Strategy(CLIENT, () => {
        throw boom;
      });
      expect(expectKind((await callback(strategy)).first, 'error').err).to.equal(boom);
    });

    it('counts done called twice only once', async () => {
      const strategy = new Strategy(CLIENT, (_a, _r, _p, done) => {
        done(null, { id: 'first' });
        done(null, { id: 'second' });
        done(new Error('third'));
      });
      const { outcomes } = await callback(strategy);
      expect(outcomes).to.have.length(1);
      expect(expectKind(outcomes[0] as Outcome, 'success').user).to.deep.equal({ id: 'first' });
    });

    it('takes no second action when verify throws after calling done', async () => {
      const strategy = new Strategy(CLIENT, (_a, _r, _p, done) => {
        done(null, { id: 'first' });
        throw new Error('after done');
      });
      const { outcomes } = await callback(strategy);
      expect(outcomes.map((o) => o.kind)).to.deep.equal(['success']);
    });
  });

  describe('an async verify', () => {
    it('signs in with the user it passes to done', async () => {
      const strategy = new Strategy(CLIENT, async (_a, _r, profile, done) => {
        await Promise.resolve();
        done(null, { id: profile.id });
      });
      expect(expectKind((await callback(strategy)).first, 'success').user).to.deep.equal({ id: '4242' });
    });

    it('ends in error (not an unhandled rejection) when it rejects', async () => {
      const boom = new Error('async failure');
      const strategy = new Strategy(
        CLIENT,
        async (_a: string, _r: string, _p: EventpopProfile, _done: EventpopVerifyCallback) => {
          await Promise.resolve();
          throw boom;
        },
      );
      let outcome: Outcome | undefined;
      const unhandled = await unhandledRejectionsDuring(async () => {
        outcome = (await callback(strategy)).first;
      });
      expect(unhandled).to.deep.equal([]);
      expect(expectKind(outcome as Outcome, 'error').err).to.equal(boom);
    });

    it('ends in an Error when it rejects without a reason', async () => {
      const strategy = new Strategy(CLIENT, async (_a, _r, _p, _done) => {
        await Promise.resolve();
        // A rejection with no reason at all, as `throw undefined` or Promise.reject() gives.
        throw undefined;
      });
      const { err } = expectKind((await callback(strategy)).first, 'error');
      expect(err).to.be.instanceOf(Error);
    });

    it('ignores a rejection after it called done, without an unhandled rejection', async () => {
      const strategy = new Strategy(CLIENT, async (_a, _r, _p, done) => {
        done(null, { id: 'ok' });
        throw new Error('late');
      });
      let outcomes: Outcome[] = [];
      const unhandled = await unhandledRejectionsDuring(async () => {
        ({ outcomes } = await callback(strategy));
      });
      expect(unhandled).to.deep.equal([]);
      expect(outcomes.map((o) => o.kind)).to.deep.equal(['success']);
    });
  });
});
