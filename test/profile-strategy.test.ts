// The profile through the strategy: what /api/public/me answers is what the verify callback receives.
import { Readable } from 'node:stream';
import { expect } from 'chai';
import nock from 'nock';
import { EventpopAPIError, type EventpopProfile, type EventpopVerifyFunction, parseProfile } from '../lib';
import {
  EVENTPOP,
  expectKind,
  makeStrategy,
  type Outcome,
  profileFixture,
  signIn,
  TOKEN_RESPONSE,
  useNock,
} from './helpers/passport';

/** Signs in with /api/public/me answering `body`; resolves with the outcome and the profile verify got. */
async function signInWithProfile(
  body: string,
  options: Parameters<typeof makeStrategy>[0] = {},
): Promise<{ outcome: Outcome; profile: EventpopProfile | undefined }> {
  nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
  nock(EVENTPOP)
    .get('/api/public/me')
    .reply(200, body, { 'Content-Type': 'application/json; charset=utf-8' });
  let profile: EventpopProfile | undefined;
  const verify: EventpopVerifyFunction = (_a, _r, p, done) => {
    profile = p;
    done(null, { id: p?.id });
  };
  const { outcome } = await signIn(makeStrategy(options, verify));
  return { outcome, profile };
}

describe('the profile the verify callback receives', () => {
  useNock();

  for (const name of [
    'full-user',
    'id-and-email-only',
    'bare-user-object',
    'null-fields',
    'thai-name',
    'one-word-name',
    'avatar-fallback-to-original',
    'non-http-avatar',
    'wrong-types',
    'hostile-proto-keys',
    'string-id',
  ]) {
    it(`is parseProfile's result for ${name}.json`, async () => {
      const body = profileFixture(name);
      const { outcome, profile } = await signInWithProfile(body);
      expectKind(outcome, 'success');
      expect(profile).to.deep.equal(parseProfile(body));
    });
  }

  it('keeps the exact body text as _raw, UTF-8 decoded', async () => {
    const body = profileFixture('thai-name');
    const { profile } = await signInWithProfile(body);
    expect(profile?._raw).to.equal(body);
    expect(profile?.displayName).to.equal('สมชาย ใจดี มีสุข');
  });

  it('decodes a multi-byte character split across chunks', async () => {
    // 'ส' is 3 bytes in UTF-8; the body is sent in 1-byte chunks from a stream.
    const bytes = Buffer.from(profileFixture('thai-name'));
    nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
    nock(EVENTPOP)
      .get('/api/public/me')
      .reply(200, () => Readable.from([...bytes].map((b) => Buffer.from([b]))));
    let name: string | undefined;
    const { outcome } = await signIn(
      makeStrategy({}, (_a, _r, p, done) => {
        name = p.name?.givenName;
        done(null, {});
      }),
    );
    expectKind(outcome, 'success');
    expect(name).to.equal('สมชาย');
  });

  it('fails with EventpopAPIError invalid_response when the user has no id, before verify runs', async () => {
    const { outcome, profile } = await signInWithProfile(profileFixture('missing-id'));
    const { err } = expectKind(outcome, 'error');
    expect(err).to.be.instanceOf(EventpopAPIError);
    expect((err as EventpopAPIError).code).to.equal('invalid_response');
    expect((err as EventpopAPIError).status).to.equal(200);
    expect(profile).to.equal(undefined);
  });

  it('leaves Object.prototype clean after a hostile body', async () => {
    await signInWithProfile(profileFixture('hostile-proto-keys'));
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('makes no profile request with skipUserProfile: true', async () => {
    nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
    const me = nock(EVENTPOP).get('/api/public/me').reply(200, profileFixture('full-user'));
    let received: unknown = 'not called';
    const { outcome } = await signIn(
      makeStrategy({ skipUserProfile: true }, (_a, _r, p, done) => {
        received = p;
        done(null, {});
      }),
    );
    expectKind(outcome, 'success');
    expect(received).to.equal(undefined);
    expect(me.isDone()).to.equal(false);
  });
});
