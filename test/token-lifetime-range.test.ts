// expires_in and created_at from the token endpoint: implausible values are dropped, so expiresAt is a valid Date or absent.
import { expect } from 'chai';
import nock from 'nock';
import {
  type EventpopToken,
  type EventpopVerifyFunctionWithParams,
  refreshAccessToken,
  Strategy,
} from '../lib';
import {
  CLIENT,
  EVENTPOP,
  expectKind,
  ME_RESPONSE,
  signIn,
  TOKEN_RESPONSE,
  useNock,
} from './helpers/passport';

const OPTIONS = { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret };

/** Refreshes against a token endpoint that answers TOKEN_RESPONSE with `fields` on top. */
async function refreshWith(fields: Record<string, unknown>): Promise<EventpopToken> {
  nock(EVENTPOP)
    .post('/oauth/token')
    .reply(200, { ...TOKEN_RESPONSE, ...fields });
  return refreshAccessToken(OPTIONS, 'r'.repeat(64));
}

function expectValidDateOrAbsent(date: Date | undefined): void {
  if (date !== undefined)
    expect(Number.isNaN(date.getTime()), `${String(date)} is a valid date`).to.equal(false);
}

describe('the token lifetime Eventpop sends', () => {
  useNock();

  for (const value of [1e300, -7200, 0, 7200.5, Number.MAX_SAFE_INTEGER, '1e300', '-7200', ''] as const) {
    it(`drops expires_in ${JSON.stringify(value)}: no expiresAt, no expires_in in params`, async () => {
      const token = await refreshWith({ expires_in: value });
      expect(token.expiresAt).to.equal(undefined);
      expect(token.params).to.not.have.property('expires_in');
    });
  }

  for (const value of [1, 7200, '7200', 315_576_000] as const) {
    it(`keeps expires_in ${JSON.stringify(value)}, giving a valid expiresAt`, async () => {
      const token = await refreshWith({ expires_in: value });
      expect(token.params.expires_in).to.equal(Number(value));
      expect(token.expiresAt!.getTime() - token.createdAt.getTime()).to.equal(Number(value) * 1000);
    });
  }

  for (const value of [
    123_456_789_012_345,
    1_552_036_500_000,
    -1,
    0,
    946_684_799,
    4_102_444_800,
    1552036500.5,
    'soon',
  ] as const) {
    it(`drops created_at ${JSON.stringify(value)} and dates the token from the answer instead`, async () => {
      const before = Date.now();
      const token = await refreshWith({ created_at: value, expires_in: 7200 });
      expect(token.params).to.not.have.property('created_at');
      expect(token.createdAt.getTime()).to.be.within(before, Date.now());
      expectValidDateOrAbsent(token.expiresAt);
      expect(token.expiresAt!.getTime() - token.createdAt.getTime()).to.equal(7200 * 1000);
    });
  }

  for (const value of [946_684_800, 1_552_036_500, '1552036500', 4_102_444_799] as const) {
    it(`keeps created_at ${JSON.stringify(value)}`, async () => {
      const token = await refreshWith({ created_at: value });
      expect(token.params.created_at).to.equal(Number(value));
      expect(token.createdAt.getTime()).to.equal(Number(value) * 1000);
    });
  }

  it('never gives an Invalid Date, whatever the two fields hold', async () => {
    for (const expires_in of [1e300, 315_576_000, 7200]) {
      for (const created_at of [1e15, 4_102_444_799, 1_552_036_500]) {
        const token = await refreshWith({ expires_in, created_at });
        expectValidDateOrAbsent(token.createdAt);
        expectValidDateOrAbsent(token.expiresAt);
      }
    }
  });

  it("leaves an implausible expires_in out of the verify callback's params too", async () => {
    nock(EVENTPOP)
      .post('/oauth/token')
      .reply(200, { ...TOKEN_RESPONSE, expires_in: -5 })
      .get('/api/public/me')
      .reply(200, ME_RESPONSE);
    let seen: unknown;
    const verify: EventpopVerifyFunctionWithParams = (
      _accessToken,
      _refreshToken,
      params,
      _profile,
      done,
    ) => {
      seen = params;
      done(null, { id: 1 });
    };
    const strategy = new Strategy(CLIENT, verify);
    expectKind((await signIn(strategy)).outcome, 'success');
    expect(seen).to.not.have.property('expires_in');
    expect(seen).to.have.property('created_at', TOKEN_RESPONSE.created_at);
  });
});
