// WWW-Authenticate: the Bearer challenge's parameters, read in one bounded, linear pass, from a real Doorkeeper header to a hostile 15 KB one.
import { expect } from 'chai';
import fc from 'fast-check';
import nock from 'nock';
import { EventpopAPIError, fetchProfile } from '../lib';
import { MAX_CHALLENGE_LENGTH, parseBearerChallenge } from '../lib/www-authenticate';
import { CLIENT, EVENTPOP, useNock } from './helpers/passport';

const DOORKEEPER =
  'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired"';

const asObject = (header: string | undefined) => Object.fromEntries(parseBearerChallenge(header));

describe('parsing WWW-Authenticate', () => {
  it("reads Doorkeeper's challenge", () => {
    expect(asObject(DOORKEEPER)).to.deep.equal({
      realm: 'Doorkeeper',
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });

  it('reads token values as well as quoted strings, and lower-cases names', () => {
    expect(asObject('Bearer Error=invalid_token, SCOPE="public organizer"')).to.deep.equal({
      error: 'invalid_token',
      scope: 'public organizer',
    });
  });

  it('undoes quoted-pair escapes', () => {
    expect(asObject('Bearer error_description="say \\"hi\\" \\\\ bye"').error_description).to.equal(
      'say "hi" \\ bye',
    );
  });

  it('reads only the Bearer challenge when several are given', () => {
    expect(asObject('Basic realm="other", Bearer realm="Doorkeeper", error="invalid_token"')).to.deep.equal({
      realm: 'Doorkeeper',
      error: 'invalid_token',
    });
  });

  it('keeps the first of a repeated parameter', () => {
    expect(asObject('Bearer error="invalid_token", error="forged"').error).to.equal('invalid_token');
  });

  it('gives nothing for a missing or empty header', () => {
    expect(asObject(undefined)).to.deep.equal({});
    expect(asObject('')).to.deep.equal({});
  });

  it('reads a parameter named __proto__ as data, without touching any prototype', () => {
    const params = parseBearerChallenge('Bearer __proto__="polluted", error="invalid_token"');
    expect(params.get('__proto__')).to.equal('polluted');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("reads a 15 KB header of letter runs and finds the challenge's parameters", () => {
    const header = `${DOORKEEPER}, ${'a'.repeat(15_000)} ${'b_'.repeat(500)}`;
    expect(asObject(header)).to.deep.equal({
      realm: 'Doorkeeper',
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });

  it(`reads no further than ${MAX_CHALLENGE_LENGTH} characters`, () => {
    const header = `Bearer error="invalid_token", x="${'q'.repeat(MAX_CHALLENGE_LENGTH)}", error_description="late"`;
    expect(asObject(header)).to.not.have.property('error_description');
    expect(asObject(header).error).to.equal('invalid_token');
  });

  it('never throws, and gives only string values, for any header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        for (const value of parseBearerChallenge(`Bearer ${header}`).values()) {
          expect(value).to.be.a('string');
        }
      }),
    );
  });

  describe('in a 401 from /api/public/me', () => {
    useNock();

    async function refused(header: string): Promise<EventpopAPIError> {
      nock(EVENTPOP).get('/api/public/me').reply(401, '', { 'WWW-Authenticate': header });
      const err = await fetchProfile(CLIENT, 'a'.repeat(64)).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EventpopAPIError);
      return err as EventpopAPIError;
    }

    it("names Eventpop's reason from a 15 KB header whose tail is a letter run", async () => {
      const err = await refused(`${DOORKEEPER}, ${'a'.repeat(15_000)}`);
      expect(err.code).to.equal('invalid_token');
      expect(err.message).to.include('(The access token expired)');
    });

    it('ignores a description placed past the bound behind a 15 KB letter run', async () => {
      const err = await refused(
        `Bearer error="invalid_token" ${'a'.repeat(15_000)} error_description="late"`,
      );
      expect(err.code).to.equal('invalid_token');
      expect(err.message).to.not.include('late');
    });
  });
});
