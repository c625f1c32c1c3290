// Answers that give no JSON object: the message says which way they are wrong (cut off, too deep, HTML) and points the right way.
import { expect } from 'chai';
import nock from 'nock';
import { EventpopAPIError, fetchProfile, InternalOAuthError, parseProfile, refreshAccessToken } from '../lib';
import { CLIENT, EVENTPOP, TOKEN_RESPONSE, useNock } from './helpers/passport';

const OPTIONS = { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret };

/** Valid JSON, `depth` objects deep, with a `\u` escape (which makes the __proto__ check run). */
function deep(depth: number, innermost = '"\\u0041"'): string {
  return `${'{"a":'.repeat(depth)}${innermost}${'}'.repeat(depth)}`;
}

async function tokenFailure(body: string, headers: Record<string, string>): Promise<Error> {
  nock(EVENTPOP).post('/oauth/token').reply(200, body, headers);
  const err = await refreshAccessToken(OPTIONS, 'r'.repeat(64)).catch((e: unknown) => e);
  expect(err).to.be.instanceOf(InternalOAuthError);
  return err as Error;
}

describe('answers that are not a usable JSON object', () => {
  describe('valid JSON nested too deeply to check for __proto__ keys', () => {
    it('is refused by parseProfile with a message that says so', () => {
      const body = `{"user":{"id":1,"x":${deep(20_000)}}}`;
      expect(() => JSON.parse(body)).to.not.throw();
      let err: unknown;
      try {
        parseProfile(body);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(EventpopAPIError);
      expect(err).to.include({ code: 'invalid_response' });
      expect((err as Error).message).to.include('nested too deeply to be checked safely');
    });

    it('is still read when it is only moderately deep', () => {
      expect(parseProfile(`{"user":{"id":7,"x":${deep(500)}}}`).id).to.equal('7');
    });
  });

  describe('from the token endpoint', () => {
    useNock();

    it('says a JSON answer that was cut off is cut off or not valid JSON, without blaming tokenURL', async () => {
      const whole = JSON.stringify(TOKEN_RESPONSE);
      const err = await tokenFailure(whole.slice(0, whole.length - 20), {
        'Content-Type': 'application/json',
      });
      expect(err.message).to.include('cut off, or not valid JSON').and.not.include('tokenURL');
    });

    it('says the same for a cut-off JSON body sent without a content type', async () => {
      const err = await tokenFailure('{"access_token":"abc', {});
      expect(err.message).to.include('cut off, or not valid JSON').and.not.include('tokenURL');
    });

    it('says a deeply nested JSON answer is too deep to be checked, not that it is not JSON', async () => {
      const err = await tokenFailure(deep(20_000), { 'Content-Type': 'application/json' });
      expect(err.message).to.include('nested too deeply to be checked safely').and.not.include('tokenURL');
    });

    it('keeps the tokenURL hint for an HTML page', async () => {
      const err = await tokenFailure('<html><body>Sign in</body></html>', { 'Content-Type': 'text/html' });
      expect(err.message).to.include('not JSON (text/html)').and.include('check tokenURL/baseURL');
    });

    it('says a JSON array is JSON that is not an object', async () => {
      const err = await tokenFailure('[]', { 'Content-Type': 'application/json' });
      expect(err.message).to.include('JSON that is not an object');
    });
  });

  describe('from /api/public/me', () => {
    useNock();

    it('says a deeply nested body is too deep to be checked', async () => {
      nock(EVENTPOP).get('/api/public/me').reply(200, deep(20_000), { 'Content-Type': 'application/json' });
      const err = await fetchProfile(OPTIONS, 'a'.repeat(64)).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EventpopAPIError);
      expect((err as Error).message).to.include('nested too deeply to be checked safely');
    });
  });
});
