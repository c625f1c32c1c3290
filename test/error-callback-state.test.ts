// A return to the callback with ?error= has its state checked first: only a genuine refusal's description reaches the app.
import { expect } from 'chai';
import express from 'express';
import type OAuth2Strategy from 'passport-oauth2';
import { AuthorizationError, type Strategy } from '../lib';
import {
  authenticate,
  CLIENT,
  expectKind,
  fakeRequest,
  makeStrategy,
  type Outcome,
  signIn,
  useNock,
  withoutNock,
} from './helpers/passport';
import { expressApp } from './interop/express/app';
import { Browser, type Interop, login, startInterop } from './interop/harness';

/** What a phishing link would say, posing as Eventpop. */
const LURE = 'Your account is locked. Call +66 2 000 0000 to unlock it.';
const forged = (state?: string) => ({
  error: 'access_denied',
  error_description: LURE,
  ...(state === undefined ? {} : { state }),
});

/** The callback step with `query`, in a session that went through the authorize step or not. */
async function callback(
  strategy: Strategy,
  query: Record<string, string>,
  session: Record<string, unknown> = {},
) {
  return authenticate(
    strategy,
    fakeRequest({ url: `/auth/eventpop/callback?${new URLSearchParams(query)}`, session }),
  );
}

/** Fails when the lure appears anywhere in what the outcome carries. */
function expectNoLure(outcome: Outcome): void {
  const carried = outcome.kind === 'error' ? `${String(outcome.err)} ${JSON.stringify(outcome.err)}` : '';
  expect(`${JSON.stringify(outcome)} ${carried}`).to.not.include('locked');
}

describe('a callback carrying ?error=', () => {
  useNock();

  describe('without the state of a login under way', () => {
    it('fails with 403 and the state message when the session holds no state', async () => {
      const outcome = await callback(makeStrategy(), forged('any'));
      const { challenge, status } = expectKind(outcome, 'fail');
      expect([challenge, status]).to.deep.equal([
        { message: 'Unable to verify authorization request state.' },
        403,
      ]);
      expectNoLure(outcome);
    });

    it('fails with 403 when the state does not match the login under way', async () => {
      const { outcome } = await signIn(makeStrategy(), { callbackQuery: forged('forged-state') });
      const { challenge, status } = expectKind(outcome, 'fail');
      expect([challenge, status]).to.deep.equal([{ message: 'Invalid authorization request state.' }, 403]);
      expectNoLure(outcome);
    });

    it('fails with 403 when the callback carries no state at all', async () => {
      const { outcome } = await signIn(makeStrategy(), { callbackQuery: forged() });
      expect(expectKind(outcome, 'fail').status).to.equal(403);
      expectNoLure(outcome);
    });

    it('fails with 403 (not an AuthorizationError) for another error code, with pkce: false too', async () => {
      const query = {
        error: 'server_error',
        error_description: LURE,
        error_uri: 'https://evil.example/help',
      };
      for (const strategy of [makeStrategy(), makeStrategy({ pkce: false })]) {
        const { outcome } = await signIn(strategy, { callbackQuery: { ...query, state: 'wrong' } });
        expect(expectKind(outcome, 'fail').status).to.equal(403);
        expectNoLure(outcome);
      }
    });

    it('uses up the state, so the same state cannot be replayed for a code afterwards', async () => {
      const strategy = makeStrategy();
      const { authorizeURL, session } = await signIn(strategy, {
        callbackQuery: (state) => ({ error: 'access_denied', state }),
      });
      const replay = await callback(
        strategy,
        { code: 'c1', state: authorizeURL.searchParams.get('state') ?? '' },
        session,
      );
      expect(expectKind(replay, 'fail').status).to.equal(403);
    });
  });

  describe('with the state of the login under way (a genuine refusal)', () => {
    it("fails with Eventpop's description for access_denied", async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({ error: 'access_denied', error_description: 'The user said no.', state }),
      });
      expect(expectKind(outcome, 'fail').challenge).to.deep.equal({ message: 'The user said no.' });
    });

    it('fails with a sentence of its own for access_denied without a description', async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({ error: 'access_denied', state }),
      });
      expect(expectKind(outcome, 'fail').challenge).to.deep.equal({
        message: 'You did not allow the sign-in with Eventpop.',
      });
    });

    it('errors with AuthorizationError carrying code, description, uri and the status for the code', async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({
          error: 'temporarily_unavailable',
          error_description: 'Eventpop is down for maintenance.',
          error_uri: 'https://www.eventpop.me/status',
          state,
        }),
      });
      const err = expectKind(outcome, 'error').err as AuthorizationError;
      expect(err).to.be.instanceOf(AuthorizationError);
      expect([err.code, err.message, err.uri, err.status]).to.deep.equal([
        'temporarily_unavailable',
        'Eventpop is down for maintenance.',
        'https://www.eventpop.me/status',
        503,
      ]);
    });

    it('caps the description and writes its line breaks as escapes', async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({
          error: 'access_denied',
          error_description: `no\r\n[app] FORGED LOG LINE${'x'.repeat(100_000)}`,
          state,
        }),
      });
      const { message } = expectKind(outcome, 'fail').challenge as { message: string };
      expect(message.startsWith('no\\r\\n[app] FORGED LOG LINE')).to.equal(true);
      expect(message.length).to.be.below(400);
      expect(message).to.not.match(/[\r\n]/);
    });

    it('keeps a code that came back in the query out of the description', async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({
          error: 'access_denied',
          error_description: 'denied code-SECRET-42',
          code: 'code-SECRET-42',
          state,
        }),
      });
      expect(JSON.stringify(outcome)).to.not.include('code-SECRET-42');
    });
  });

  describe('with state: false (nothing to match)', () => {
    it('fails with a fixed sentence naming access_denied, never the description', async () => {
      const outcome = await callback(makeStrategy({ state: false }), forged());
      expect(expectKind(outcome, 'fail').challenge).to.deep.equal({
        message: 'The sign-in with Eventpop did not complete (access_denied).',
      });
    });

    it('errors with an AuthorizationError whose message names the code, without description or uri', async () => {
      const outcome = await callback(makeStrategy({ state: false }), {
        error: 'server_error',
        error_description: LURE,
        error_uri: 'https://evil.example/help',
      });
      const err = expectKind(outcome, 'error').err as AuthorizationError;
      expect([err.code, err.message, err.uri]).to.deep.equal([
        'server_error',
        'The sign-in with Eventpop did not complete (server_error).',
        undefined,
      ]);
    });

    it('does not repeat a code that OAuth does not define', async () => {
      const outcome = await callback(makeStrategy({ state: false }), { error: 'call_us_at_66_2_000_0000' });
      const err = expectKind(outcome, 'error').err as AuthorizationError;
      expect(err.message).to.equal(
        'The sign-in with Eventpop did not complete (an error code OAuth does not define).',
      );
    });
  });

  describe('with a custom state store', () => {
    /** A store that records what verify received and answers `answer`. */
    function store(answer: [Error | null, unknown, unknown], arity: 3 | 4) {
      const calls: unknown[][] = [];
      const verify =
        arity === 4
          ? (req: unknown, state: unknown, meta: unknown, done: (...a: unknown[]) => void) => {
              calls.push([req, state, meta]);
              done(...answer);
            }
          : (req: unknown, state: unknown, done: (...a: unknown[]) => void) => {
              calls.push([req, state]);
              done(...answer);
            };
      const stateStore = {
        store: (_req: unknown, done: (e: null, s: string) => void) => done(null, 's'),
        verify,
      };
      return { calls, stateStore: stateStore as unknown as OAuth2Strategy.StateStore };
    }

    it("hands a 4-argument verify the callback's state and the metadata passport-oauth2 would", async () => {
      const { calls, stateStore } = store([null, true, undefined], 4);
      const outcome = await callback(
        makeStrategy({ store: stateStore, callbackURL: '/auth/eventpop/callback' }),
        { error: 'access_denied', error_description: 'No.', state: 'st-1' },
      );
      expect(expectKind(outcome, 'fail').challenge).to.deep.equal({ message: 'No.' });
      expect(calls[0]?.[1]).to.equal('st-1');
      expect(calls[0]?.[2]).to.deep.equal({
        authorizationURL: 'https://www.eventpop.me/oauth/authorize',
        tokenURL: 'https://www.eventpop.me/oauth/token',
        clientID: CLIENT.clientID,
        callbackURL: 'http://app.example/auth/eventpop/callback',
      });
    });

    it('uses a 3-argument verify, and fails with 403 and its message when it says no', async () => {
      const { calls, stateStore } = store([null, false, { message: 'Stale login.' }], 3);
      const outcome = await callback(makeStrategy({ store: stateStore, state: false }), forged('st-2'));
      const { challenge, status } = expectKind(outcome, 'fail');
      expect([challenge, status]).to.deep.equal([{ message: 'Stale login.' }, 403]);
      expect(calls).to.have.length(1);
    });

    it("errors with the store's error", async () => {
      const boom = new Error('store down');
      const { stateStore } = store([boom, false, undefined], 3);
      expect(
        expectKind(await callback(makeStrategy({ store: stateStore }), forged('s')), 'error').err,
      ).to.equal(boom);
    });

    it('errors with what verify throws', async () => {
      const boom = new Error('thrown');
      const stateStore = {
        store: () => {},
        verify: (_req: unknown, _state: unknown, _done: unknown) => {
          throw boom;
        },
      } as unknown as OAuth2Strategy.StateStore;
      expect(
        expectKind(await callback(makeStrategy({ store: stateStore }), forged('s')), 'error').err,
      ).to.equal(boom);
    });
  });
});

describe('a callback carrying ?error=, in an Express app with a real session', () => {
  withoutNock();

  let interop: Interop;
  before(async () => {
    // The Express interop app: failureRedirect '/login' with failureMessage, and /login shows the messages.
    interop = await startInterop(expressApp(express));
  });
  after(() => interop.close());

  async function messagesAfter(
    browser: Browser,
    callbackPage: { status: number; location?: string | undefined },
  ) {
    expect(callbackPage.status).to.equal(302);
    expect(callbackPage.location).to.equal(`${interop.appURL}/login`);
    return JSON.parse((await browser.get(callbackPage.location ?? '')).body).messages as string[];
  }

  it('sends a forged refusal link, opened with no login under way, to the failure page without its text', async () => {
    const browser = new Browser();
    const page = await browser.get(
      `${interop.appURL}/auth/eventpop/callback?${new URLSearchParams(forged('guessed'))}`,
    );
    expect(await messagesAfter(browser, page)).to.deep.equal([
      'Unable to verify authorization request state.',
    ]);
  });

  it("refuses a forged refusal link opened while the user's own login is under way", async () => {
    const browser = new Browser();
    expect((await browser.get(`${interop.appURL}/auth/eventpop`)).status).to.equal(302);
    const page = await browser.get(
      `${interop.appURL}/auth/eventpop/callback?${new URLSearchParams(forged('guessed'))}`,
    );
    expect(await messagesAfter(browser, page)).to.deep.equal(['Invalid authorization request state.']);
  });

  it("shows Eventpop's own description when the user denies on Eventpop's consent page", async () => {
    const browser = new Browser();
    const page = await login(browser, interop, 'deny');
    expect(await messagesAfter(browser, page)).to.deep.equal([
      'The resource owner or authorization server denied the request.',
    ]);
  });
});
