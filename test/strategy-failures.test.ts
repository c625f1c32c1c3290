// The failure table, answered by nock: refusals, state mismatches, token and profile errors, each to its typed outcome.
import { expect } from 'chai';
import nock from 'nock';
import { AuthorizationError, EventpopAPIError, InternalOAuthError, TokenError } from '../lib';
import {
  authenticate,
  EVENTPOP,
  expectKind,
  fakeRequest,
  ME_RESPONSE,
  makeStrategy,
  type Outcome,
  signIn,
  TOKEN_RESPONSE,
  useNock,
} from './helpers/passport';

/** Eventpop's refusal as Doorkeeper sends it (eventpop-api.md), echoing the login's state. */
const denied = (state: string) => ({
  error: 'access_denied',
  error_description: 'The resource owner or authorization server denied the request.',
  state,
});

/** The error an outcome carries (fails the test for any other outcome). */
function errorOf(outcome: Outcome): Error & Record<string, unknown> {
  const { err } = expectKind(outcome, 'error');
  expect(err).to.be.instanceOf(Error);
  return err as Error & Record<string, unknown>;
}

/** Signs in with the token endpoint answering `status`/`body`/`headers`. */
async function withTokenAnswer(status: number, body: string | object, headers: Record<string, string> = {}) {
  nock(EVENTPOP).post('/oauth/token').reply(status, body, headers);
  return (await signIn(makeStrategy())).outcome;
}

/** Signs in with a good token and /api/public/me answering `status`/`body`/`headers`. */
async function withProfileAnswer(
  status: number,
  body: string | object,
  headers: Record<string, string> = {},
) {
  nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
  nock(EVENTPOP).get('/api/public/me').reply(status, body, headers);
  return (await signIn(makeStrategy())).outcome;
}

describe('failures', () => {
  useNock();

  describe('the user returns with an error', () => {
    it('fails (not errors) when the user refuses, with the description decoded as a query string', async () => {
      const token = nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
      const { outcome } = await signIn(makeStrategy(), { callbackQuery: denied });
      expect(expectKind(outcome, 'fail').challenge).to.deep.equal({
        message: 'The resource owner or authorization server denied the request.',
      });
      expect(token.isDone()).to.equal(false);
    });

    it('errors with AuthorizationError carrying the code and description for another error', async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({
          error: 'invalid_scope',
          error_description: 'The requested scope is invalid.',
          state,
        }),
      });
      const err = errorOf(outcome);
      expect(err).to.be.instanceOf(AuthorizationError);
      expect(err.code).to.equal('invalid_scope');
      expect(err.message).to.equal('The requested scope is invalid.');
    });

    it('keeps error_uri on the AuthorizationError', async () => {
      const { outcome } = await signIn(makeStrategy(), {
        callbackQuery: (state) => ({
          error: 'server_error',
          error_uri: 'https://www.eventpop.me/help',
          state,
        }),
      });
      expect(errorOf(outcome).uri).to.equal('https://www.eventpop.me/help');
    });
  });

  describe('state', () => {
    for (const [name, query] of [
      ['missing', { code: 'c1' }],
      ['wrong', { code: 'c1', state: 'forged-state' }],
      ['empty', { code: 'c1', state: '' }],
    ] as const) {
      it(`fails with status 403 and sends no token request when the state is ${name}`, async () => {
        const token = nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
        const { outcome } = await signIn(makeStrategy(), { callbackQuery: query });
        expect(expectKind(outcome, 'fail').status).to.equal(403);
        expect(token.isDone()).to.equal(false);
      });
    }

    it('fails with status 403 and sends no token request when the session holds no state', async () => {
      const token = nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
      const outcome = await authenticate(
        makeStrategy(),
        fakeRequest({ url: '/cb?code=c1&state=abc', session: {} }),
      );
      expect(expectKind(outcome, 'fail').status).to.equal(403);
      expect(token.isDone()).to.equal(false);
    });

    it('fails the second use of a state (a replayed callback) with 403', async () => {
      nock(EVENTPOP)
        .post('/oauth/token')
        .reply(200, TOKEN_RESPONSE)
        .get('/api/public/me')
        .reply(200, ME_RESPONSE);
      const strategy = makeStrategy();
      const { authorizeURL, session } = await signIn(strategy);
      const replay = await authenticate(
        strategy,
        fakeRequest({ url: `/cb?code=c1&state=${authorizeURL.searchParams.get('state')}`, session }),
      );
      expect(expectKind(replay, 'fail').status).to.equal(403);
    });

    it('fails with 403 and no token request with pkce when the state is wrong', async () => {
      const token = nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
      const { outcome } = await signIn(makeStrategy({ pkce: true }), {
        callbackQuery: { code: 'c1', state: 'x' },
      });
      expect(expectKind(outcome, 'fail').status).to.equal(403);
      expect(token.isDone()).to.equal(false);
    });
  });

  describe('the token endpoint', () => {
    it('errors with TokenError invalid_grant, its description and status 400', async () => {
      const err = errorOf(
        await withTokenAnswer(
          400,
          { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid.' },
          { 'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="invalid_grant"' },
        ),
      );
      expect(err).to.be.instanceOf(TokenError);
      expect([err.code, err.message, err.status]).to.deep.equal([
        'invalid_grant',
        'The provided authorization grant is invalid.',
        400,
      ]);
    });

    it('errors with TokenError invalid_client and status 401', async () => {
      const err = errorOf(
        await withTokenAnswer(401, {
          error: 'invalid_client',
          error_description: 'Client authentication failed.',
        }),
      );
      expect(err).to.be.instanceOf(TokenError);
      expect([err.code, err.message, err.status]).to.deep.equal([
        'invalid_client',
        'Client authentication failed.',
        401,
      ]);
    });

    it('errors with TokenError even without error_description, naming the code', async () => {
      const err = errorOf(await withTokenAnswer(400, { error: 'invalid_request' }));
      expect(err).to.be.instanceOf(TokenError);
      expect(err.message).to.include('invalid_request');
    });

    it('errors with InternalOAuthError with status 502 for an HTML 502 page', async () => {
      const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
      const err = errorOf(await withTokenAnswer(502, html, { 'Content-Type': 'text/html' }));
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err.status).to.equal(502);
      expect(err.message)
        .to.match(/502/)
        .and.match(/text\/html/);
    });

    it('errors with InternalOAuthError saying the body is not JSON for a 200 HTML page', async () => {
      const err = errorOf(
        await withTokenAnswer(200, '<html>Sign in</html>', { 'Content-Type': 'text/html' }),
      );
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err.status).to.equal(200);
      expect(err.message).to.match(/not JSON/);
    });

    it('errors with InternalOAuthError saying access_token is missing for JSON without one', async () => {
      const { access_token: _dropped, ...rest } = TOKEN_RESPONSE;
      const err = errorOf(await withTokenAnswer(200, rest));
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err.status).to.equal(200);
      expect(err.message).to.include('access_token');
    });

    it('errors (never succeeds) on a 302 from the token endpoint, with status 302', async () => {
      const me = nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      const err = errorOf(
        await withTokenAnswer(302, TOKEN_RESPONSE, { Location: 'https://eventpop.me/oauth/token' }),
      );
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err.status).to.equal(302);
      expect(err.message).to.match(/redirect/);
      expect(me.isDone()).to.equal(false);
    });

    it('errors with InternalOAuthError ERESPONSETOOLARGE for a token answer over 1 MiB', async () => {
      const err = errorOf(await withTokenAnswer(200, { ...TOKEN_RESPONSE, pad: 'x'.repeat(1024 * 1024) }));
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect([err.code, err.status]).to.deep.equal(['ERESPONSETOOLARGE', 200]);
    });

    it('makes no profile request after a token error', async () => {
      const me = nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      errorOf(await withTokenAnswer(400, { error: 'invalid_grant' }));
      expect(me.isDone()).to.equal(false);
    });
  });

  describe('the profile endpoint', () => {
    /** The EventpopAPIError a profile answer ends in. */
    async function apiError(
      status: number,
      body: string | object = '',
      headers: Record<string, string> = {},
    ) {
      const err = errorOf(await withProfileAnswer(status, body, headers));
      expect(err).to.be.instanceOf(EventpopAPIError);
      return err as unknown as EventpopAPIError;
    }

    it('errors with EventpopAPIError invalid_token (401) for a refused token', async () => {
      const err = await apiError(401, '', {
        'WWW-Authenticate':
          'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired"',
      });
      expect([err.code, err.status]).to.deep.equal(['invalid_token', 401]);
      expect(err.message).to.include('The access token expired');
    });

    it('errors with EventpopAPIError insufficient_scope (403) for a token without the scope', async () => {
      const err = await apiError(403);
      expect([err.code, err.status]).to.deep.equal(['insufficient_scope', 403]);
      expect(err.message).to.include('public');
    });

    it('errors with EventpopAPIError rate_limited (429) with retryAfter from Retry-After seconds', async () => {
      const err = await apiError(429, '', { 'Retry-After': '37' });
      expect([err.code, err.status, err.retryAfter]).to.deep.equal(['rate_limited', 429, 37]);
    });

    it('says in the 429 message that Eventpop allows 10 requests a minute', async () => {
      expect((await apiError(429)).message).to.include('10 requests a minute');
    });

    it('reads a Retry-After HTTP date as seconds from now', async () => {
      const at = new Date(Date.now() + 120_000).toUTCString();
      const err = await apiError(429, '', { 'Retry-After': at });
      expect(err.retryAfter).to.be.within(118, 120);
    });

    it('leaves retryAfter undefined for a Retry-After of more than a day, however many digits', async () => {
      for (const value of [
        '86401',
        '99999999999999999999999',
        '9'.repeat(400),
        new Date(Date.now() + 2 * 86_400_000).toUTCString(),
      ]) {
        const err = await apiError(429, '', { 'Retry-After': value });
        expect(err.retryAfter, value.slice(0, 30)).to.equal(undefined);
        expect(err.message).to.not.match(/Retry after/);
      }
      expect((await apiError(429, '', { 'Retry-After': '86400' })).retryAfter).to.equal(86_400);
    });

    it('leaves retryAfter undefined without a usable Retry-After', async () => {
      expect((await apiError(429, '', { 'Retry-After': 'soon' })).retryAfter).to.equal(undefined);
    });

    for (const status of [500, 503]) {
      it(`errors with EventpopAPIError server_error (${status})`, async () => {
        const err = await apiError(status, '<html>down</html>', { 'Content-Type': 'text/html' });
        expect([err.code, err.status]).to.deep.equal(['server_error', status]);
      });
    }

    it('errors with EventpopAPIError redirected (302) and does not follow', async () => {
      const elsewhere = nock('https://eventpop.me').get('/api/public/me').reply(200, ME_RESPONSE);
      const err = await apiError(302, '', { Location: 'https://eventpop.me/api/public/me' });
      expect([err.code, err.status]).to.deep.equal(['redirected', 302]);
      expect(elsewhere.isDone()).to.equal(false);
    });

    it('errors with EventpopAPIError unexpected_status for a 404', async () => {
      const err = await apiError(404, 'Not Found');
      expect([err.code, err.status]).to.deep.equal(['unexpected_status', 404]);
    });

    it('errors with EventpopAPIError invalid_response for a 200 body that is not JSON', async () => {
      const err = await apiError(200, '<html>maintenance</html>', { 'Content-Type': 'text/html' });
      expect([err.code, err.status]).to.deep.equal(['invalid_response', 200]);
    });

    it('errors with EventpopAPIError response_too_large for a body over 1 MiB', async () => {
      const err = await apiError(200, `{"user":{"id":1,"full_name":"${'x'.repeat(1024 * 1024)}"}}`);
      expect([err.code, err.status]).to.deep.equal(['response_too_large', 200]);
    });

    it('accepts a body of exactly 1 MiB', async () => {
      const head = '{"user":{"id":1},"pad":"';
      const body = `${head}${'x'.repeat(1024 * 1024 - head.length - 2)}"}`;
      expect(Buffer.byteLength(body)).to.equal(1024 * 1024);
      expectKind(await withProfileAnswer(200, body), 'success');
    });
  });
});
