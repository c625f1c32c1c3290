// Text from Eventpop in errors: capped at a few hundred characters, said to be cut, control characters neutralized, never a forged log line.
import { expect } from 'chai';
import nock from 'nock';
import { EventpopAPIError, fetchProfile, InternalOAuthError, refreshAccessToken, TokenError } from '../lib';
import { CLIENT, EVENTPOP, useNock } from './helpers/passport';

const OPTIONS = { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret };
const FORGED = '\r\n[app] FORGED LOG LINE';
const MILLION = 'x'.repeat(1_000_000);
/** Header values are bytes: a character past U+00FF arrives as its UTF-8 bytes, read as latin1. */
const asHeader = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
// One of each kind the neutralizing must catch: C0, DEL, C1, U+2028/2029, bidi controls.
const CONTROLS = [
  '\u0000',
  '\u0007',
  '\t',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
];

/** Longest a piece of server text may make a message grow: the cap, the cut notice and some slack. */
const MAX_GROWTH = 400;

function refreshError(status: number, body: string | object, headers: Record<string, string> = {}) {
  nock(EVENTPOP).post('/oauth/token').reply(status, body, headers);
  return failure(refreshAccessToken(OPTIONS, 'r'.repeat(64)));
}

/** The error a call rejects with; a call that succeeds fails the test. */
function failure(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as Error & Record<string, unknown>,
  );
}

function profileError(status: number, headers: Record<string, string>, body = '') {
  nock(EVENTPOP).get('/api/public/me').reply(status, body, headers);
  return failure(fetchProfile(OPTIONS, 'a'.repeat(64)));
}

/** Fails when `text` holds a character that could break or disguise a log line. */
function expectNoControls(text: string): void {
  for (const char of CONTROLS.concat(['\r', '\n'])) {
    expect(
      text.includes(char),
      `U+${char.charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text.slice(0, 200))}`,
    ).to.equal(false);
  }
}

describe('server text in errors', () => {
  useNock();

  describe('a TokenError', () => {
    it('cuts a 1,000,000-character error_description to a few hundred characters and says it was cut', async () => {
      const err = await refreshError(400, {
        error: 'invalid_grant',
        error_description: `${FORGED}${MILLION}`,
      });
      expect(err).to.be.instanceOf(TokenError);
      expect(err.message.length).to.be.below(MAX_GROWTH);
      expect(err.message).to.include('cut').and.include('1000023 characters');
    });

    it('writes a line break in error_description as an escape, so no forged log line starts', async () => {
      const err = await refreshError(400, {
        error: 'invalid_grant',
        error_description: `bad grant${FORGED}`,
      });
      expect(err.message).to.equal('bad grant\\r\\n[app] FORGED LOG LINE');
    });

    it('neutralizes C0, DEL, C1, line separators and bidi controls in the description, code and uri', async () => {
      const text = `a${CONTROLS.join('b')}c`;
      const err = await refreshError(400, {
        error: `invalid_grant${text}`,
        error_description: text,
        error_uri: `https://x.example/${text}`,
      });
      for (const field of [err.message, err.code, err.uri] as string[]) {
        expectNoControls(field);
        expect(field).to.include('\\u202e').and.include('\\u0085');
      }
    });

    it('caps the error code and error_uri too', async () => {
      const long = 'y'.repeat(100_000);
      const err = await refreshError(400, { error: `e${long}`, error_uri: `https://x.example/${long}` });
      expect(err).to.be.instanceOf(TokenError);
      expect((err.code as string).length).to.be.below(MAX_GROWTH);
      expect((err.uri as string).length).to.be.below(MAX_GROWTH);
    });

    it('keeps a short, printable description exactly as Eventpop sent it', async () => {
      const description = 'The provided authorization grant is invalid, expired, revoked (ภาษาไทย).';
      const err = await refreshError(400, { error: 'invalid_grant', error_description: description });
      expect([err.message, err.code]).to.deep.equal([description, 'invalid_grant']);
    });
  });

  describe('an InternalOAuthError about an answer', () => {
    it('caps and neutralizes the content type it names', async () => {
      const err = await refreshError(502, '<html>', {
        'Content-Type': asHeader(`text/html${'\u202e'}${'y'.repeat(5000)}`),
      });
      expect(err).to.be.instanceOf(InternalOAuthError);
      expect(err.message.length).to.be.below(MAX_GROWTH + 200);
      expectNoControls(err.message);
    });

    it("reports only the origin of a redirect's Location, however long its path", async () => {
      const err = await refreshError(302, '', {
        Location: `https://elsewhere.example/${'x'.repeat(5000)}?q=${'x'.repeat(5000)}`,
      });
      expect(err.message).to.include('to https://elsewhere.example.').and.not.include('xxxx');
    });
  });

  describe('an EventpopAPIError', () => {
    it('caps and neutralizes the WWW-Authenticate error_description of a 401', async () => {
      const description = `The access token expired${'\u202e'}${'\u2028'}[app] FORGED${'z'.repeat(1500)}`;
      const err = await profileError(401, {
        'WWW-Authenticate': asHeader(
          `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
        ),
      });
      expect(err).to.be.instanceOf(EventpopAPIError);
      // U+202E arrives as the bytes E2 80 AE: the C1 control U+0080 among them is written as an escape.
      expect(err.message).to.include('The access token expired\u00e2\\u0080');
      expect(err.message).to.include('cut');
      expect(err.message.length).to.be.below(MAX_GROWTH + 200);
      expectNoControls(err.message);
    });

    it('caps and neutralizes the scope a 403 names', async () => {
      const err = await profileError(403, {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="organizer\u0085${'s'.repeat(3000)}"`,
      });
      expect(err).to.include({ code: 'insufficient_scope' });
      expect(err.message.length).to.be.below(2 * MAX_GROWTH + 200);
      expectNoControls(err.message);
    });

    it("reports only the origin of a redirect's Location", async () => {
      const err = await profileError(302, { Location: `https://elsewhere.example/${'p'.repeat(5000)}` });
      expect(err).to.include({ code: 'redirected' });
      expect(err.message).to.include('to https://elsewhere.example.').and.not.include('pppp');
    });
  });
});
