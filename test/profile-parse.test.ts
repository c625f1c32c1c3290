// The pure profile parser: /api/public/me bodies (fixtures, hostile bodies, any JSON) to EventpopProfile or EventpopAPIError.
import { expect } from 'chai';
import fc from 'fast-check';
import { EventpopAPIError, type EventpopProfile, parseProfile } from '../lib';
import { PARSEABLE_HTTP_URL } from '../lib/profile';
import {
  anyBodyText,
  assertNoPrototypePollution,
  parseErrorOf,
  undefinedKeys,
} from './helpers/parser-properties';
import { profileFixture } from './helpers/passport';

/** The profile without `_raw` and `_json`, for comparing the normalized fields. */
function fields(profile: EventpopProfile): Omit<EventpopProfile, '_raw' | '_json'> {
  const { _raw, _json, ...rest } = profile;
  return rest;
}

const parseError = parseErrorOf(parseProfile, 'parseProfile');

describe('parseProfile', () => {
  describe('a full user (full-user.json)', () => {
    const body = profileFixture('full-user');
    const profile = parseProfile(body);

    it('maps every field', () => {
      expect(fields(profile)).to.deep.equal({
        provider: 'eventpop',
        id: '4242',
        displayName: 'Somchai Jaidee',
        name: { givenName: 'Somchai', familyName: 'Jaidee' },
        emails: [{ value: 'somchai@example.com' }],
        photos: [{ value: 'https://cdn.eventpop.me/avatars/4242/original.png' }],
        phoneNumbers: [{ value: '+66812345678' }],
        gender: 'male',
        birthday: '1990-04-13',
      });
    });

    it('keeps the body text as _raw', () => {
      expect(profile._raw).to.equal(body);
    });

    it('keeps the parsed body, wrapper included, as _json', () => {
      expect(profile._json).to.deep.equal(JSON.parse(body));
    });
  });

  it('maps a user with only id and email (id-and-email-only.json), leaving the rest out', () => {
    const profile = parseProfile(profileFixture('id-and-email-only'));
    expect(Object.keys(profile).sort()).to.deep.equal([
      '_json',
      '_raw',
      'displayName',
      'emails',
      'id',
      'provider',
    ]);
    expect(fields(profile)).to.deep.equal({
      provider: 'eventpop',
      id: '7',
      displayName: 'nid@example.com',
      emails: [{ value: 'nid@example.com' }],
    });
  });

  it('maps a bare user object without the user wrapper (bare-user-object.json)', () => {
    expect(fields(parseProfile(profileFixture('bare-user-object')))).to.deep.equal({
      provider: 'eventpop',
      id: '4243',
      displayName: 'Malee Srisuk',
      name: { givenName: 'Malee', familyName: 'Srisuk' },
      emails: [{ value: 'malee@example.com' }],
      photos: [{ value: 'https://cdn.eventpop.me/avatars/4243/original.png' }],
      phoneNumbers: [{ value: '+66898765432' }],
      gender: 'female',
      birthday: '1995-12-01',
    });
  });

  describe('null and empty fields (null-fields.json)', () => {
    const profile = parseProfile(profileFixture('null-fields'));

    it('leaves out every null, empty or blank field', () => {
      expect(Object.keys(profile).sort()).to.deep.equal(['_json', '_raw', 'displayName', 'id', 'provider']);
    });

    it('has no key holding undefined', () => {
      for (const key of ['name', 'emails', 'photos', 'phoneNumbers', 'gender', 'birthday']) {
        expect(key in profile, key).to.equal(false);
      }
      expect(undefinedKeys(fields(profile))).to.deep.equal([]);
    });

    it("names the user 'Eventpop user <id>'", () => {
      expect(profile.displayName).to.equal('Eventpop user 4244');
    });
  });

  describe('names', () => {
    it('splits a Thai name at the first run of white space (thai-name.json)', () => {
      expect(parseProfile(profileFixture('thai-name')).name).to.deep.equal({
        givenName: 'สมชาย',
        familyName: 'ใจดี มีสุข',
      });
    });

    it('collapses white space runs in the display name', () => {
      expect(parseProfile(profileFixture('thai-name')).displayName).to.equal('สมชาย ใจดี มีสุข');
    });

    it('splits at a tab or a no-break space as at a space', () => {
      const profile = parseProfile(JSON.stringify({ user: { id: 1, full_name: 'สมหญิง\u00a0\tรักดี' } }));
      expect(profile.name).to.deep.equal({ givenName: 'สมหญิง', familyName: 'รักดี' });
    });

    it('gives a one-word name a givenName and no familyName key (one-word-name.json)', () => {
      const profile = parseProfile(profileFixture('one-word-name'));
      expect(profile.name).to.deep.equal({ givenName: 'Madonna' });
      expect('familyName' in (profile.name ?? {})).to.equal(false);
      expect(profile.displayName).to.equal('Madonna');
    });
  });

  describe('avatars', () => {
    it('falls back to avatars.original when avatar is null (avatar-fallback-to-original.json)', () => {
      expect(parseProfile(profileFixture('avatar-fallback-to-original')).photos).to.deep.equal([
        { value: 'https://cdn.eventpop.me/avatars/4247/original.jpg' },
      ]);
    });

    it('rejects javascript: and data: avatars (non-http-avatar.json)', () => {
      expect('photos' in parseProfile(profileFixture('non-http-avatar'))).to.equal(false);
    });

    it('accepts a plain http avatar', () => {
      const profile = parseProfile(JSON.stringify({ user: { id: 1, avatar: 'http://cdn.example/a.png' } }));
      expect(profile.photos).to.deep.equal([{ value: 'http://cdn.example/a.png' }]);
    });

    // URL-shaped strings near the edges of PARSEABLE_HTTP_URL: labels with hyphens, digits, upper
    // case and punycode prefixes, octets and ports past their ranges, any printable tail.
    const label = fc.oneof(
      { arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), weight: 6 },
      fc.stringMatching(/^[a-zA-Z0-9-]{1,12}$/),
      fc.stringMatching(/^(xn|XN)--[a-z0-9-]{0,8}$/),
      fc.integer({ min: 0, max: 999 }).map(String),
      fc.constantFrom('', '0x1f', 'localhost', 'a'.repeat(64)),
    );
    const urlLike = fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constantFrom('http://', 'https://'), weight: 4 },
          fc.constantFrom('HTTPS://', 'http:/', 'ftp://'),
        ),
        fc.oneof(
          {
            arbitrary: fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
            weight: 3,
          },
          fc
            .array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom('00', '01', '0x7f')), {
              minLength: 3,
              maxLength: 5,
            })
            .map((parts) => parts.join('.')),
        ),
        fc.option(
          fc.oneof(
            fc.integer({ min: 0, max: 99999 }).map(String),
            fc.constantFrom('', '65535', '65536', '0080'),
          ),
        ),
        fc.option(
          fc.tuple(
            fc.constantFrom('/', '?', '#', '\\', '@'),
            fc.oneof(
              { arbitrary: fc.stringMatching(/^[\x21-\x7e]{0,20}$/), weight: 3 },
              fc.string({ unit: 'binary-ascii', maxLength: 20 }),
            ),
          ),
        ),
      )
      .map(
        ([scheme, host, port, tail]) =>
          `${scheme}${host}${port === null ? '' : `:${port}`}${tail === null ? '' : tail.join('')}`,
      );
    /** What the parser says of an avatar: kept when the URL parser reads it with an http(s) scheme. */
    function parserKeeps(avatar: string): boolean {
      const trimmed = avatar.trim();
      return URL.canParse(trimmed) && ['http:', 'https:'].includes(new URL(trimmed).protocol);
    }

    it('matches only URLs the URL parser accepts with PARSEABLE_HTTP_URL, its shortcut', () => {
      fc.assert(
        fc.property(urlLike, (candidate) => {
          if (PARSEABLE_HTTP_URL.test(candidate)) expect(URL.canParse(candidate), candidate).to.equal(true);
        }),
        { numRuns: 5000 },
      );
    });

    it('keeps exactly the avatars that parse as http(s) URLs, whether or not the shortcut matched them', () => {
      const shortcut = { matched: 0, missed: 0 };
      fc.assert(
        fc.property(urlLike, (avatar) => {
          shortcut[PARSEABLE_HTTP_URL.test(avatar) ? 'matched' : 'missed'] += 1;
          const profile = parseProfile(JSON.stringify({ user: { id: 1, avatar } }));
          expect(profile.photos?.[0]?.value === avatar.trim(), avatar).to.equal(parserKeeps(avatar));
        }),
        { numRuns: 3000 },
      );
      // Both sides of the shortcut were exercised.
      expect(shortcut.matched).to.be.above(250);
      expect(shortcut.missed).to.be.above(250);
    });

    it('rejects an avatar that is not a URL', () => {
      const profile = parseProfile(JSON.stringify({ user: { id: 1, avatar: '/avatars/1.png' } }));
      expect('photos' in profile).to.equal(false);
    });
  });

  describe('hostile bodies', () => {
    it('leaves out every field of the wrong type (wrong-types.json)', () => {
      expect(fields(parseProfile(profileFixture('wrong-types')))).to.deep.equal({
        provider: 'eventpop',
        id: '4249',
        displayName: 'Eventpop user 4249',
      });
    });

    it('leaves out a field too long to be real rather than cutting it', () => {
      const huge = 'ก'.repeat(200_000);
      const profile = parseProfile(
        JSON.stringify({
          user: {
            id: 1,
            full_name: huge,
            email: `${huge}@x.example`,
            phone: huge,
            avatar: `https://x/${huge}`,
          },
        }),
      );
      expect(fields(profile)).to.deep.equal({
        provider: 'eventpop',
        id: '1',
        displayName: 'Eventpop user 1',
      });
    });

    describe('with __proto__ keys (hostile-proto-keys.json)', () => {
      const profile = parseProfile(profileFixture('hostile-proto-keys'));

      it('still maps the user', () => {
        expect(profile.id).to.equal('4250');
        expect(profile.displayName).to.equal('Proto Hacker');
      });

      it('leaves Object.prototype clean', () => {
        const probe: Record<string, unknown> = {};
        expect(probe.polluted).to.equal(undefined);
        expect(probe.isAdmin).to.equal(undefined);
      });

      it('drops __proto__ from _json at every level', () => {
        const json = profile._json as unknown as { user: { avatars: object } };
        expect(Object.hasOwn(json, '__proto__')).to.equal(false);
        expect(Object.hasOwn(json.user, '__proto__')).to.equal(false);
        expect(Object.hasOwn(json.user.avatars, '__proto__')).to.equal(false);
        expect(Object.getPrototypeOf(json)).to.equal(Object.prototype);
      });

      it('keeps _json safe to merge into another object', () => {
        const merged = Object.assign({}, profile._json) as Record<string, unknown>;
        expect(merged.polluted).to.equal(undefined);
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      });

      it('takes no avatar from a __proto__ key', () => {
        expect('photos' in profile).to.equal(false);
      });
    });
  });

  describe('ids', () => {
    it('accepts a digit string id (string-id.json)', () => {
      expect(parseProfile(profileFixture('string-id')).id).to.equal('4251');
    });

    it('accepts id 0', () => {
      expect(parseProfile('{"id":0}').id).to.equal('0');
    });

    it('fails with EventpopAPIError invalid_response for a missing id (missing-id.json)', () => {
      const err = parseError(profileFixture('missing-id'));
      expect(err.code).to.equal('invalid_response');
      expect(err.status).to.equal(200);
      expect(err.message).to.include('id');
    });

    for (const id of [-1, 1.5, 2 ** 53, '12a', '', ' 12', '0x10', '1e3', null, true, [1], { id: 1 }]) {
      it(`fails with EventpopAPIError invalid_response for id ${JSON.stringify(id)}`, () => {
        expect(parseError(JSON.stringify({ user: { id } })).code).to.equal('invalid_response');
      });
    }
  });

  describe('bodies that are not a JSON object', () => {
    for (const body of [
      '',
      'not json',
      '<html><body>Bad gateway</body></html>',
      'null',
      '[]',
      '[{"id":1}]',
      '"user"',
      '42',
      '{"id":1',
    ]) {
      it(`fails with EventpopAPIError invalid_response for ${JSON.stringify(body)}`, () => {
        expect(parseError(body).code).to.equal('invalid_response');
      });
    }

    it('carries the status it was given', () => {
      expect(parseError('nope', 203).status).to.equal(203);
    });
  });

  describe('for any input (property-based)', () => {
    /** The parser's contract: a profile with a digit-string id, or an EventpopAPIError. */
    function holdsContract(body: string): void {
      let profile: EventpopProfile;
      try {
        profile = parseProfile(body);
      } catch (err) {
        if (!(err instanceof EventpopAPIError) || err.code !== 'invalid_response') throw err;
        return;
      }
      if (!/^\d+$/.test(profile.id))
        throw new Error(`id ${JSON.stringify(profile.id)} is not a digit string`);
      if (profile.provider !== 'eventpop') throw new Error('provider is not eventpop');
      if (typeof profile.displayName !== 'string' || profile.displayName === '')
        throw new Error('no displayName');
      const holes = undefinedKeys(fields(profile));
      if (holes.length > 0) throw new Error(`keys holding undefined: ${holes.join(', ')}`);
      if (profile.photos && !/^https?:/.test(profile.photos[0].value)) throw new Error('non-http photo');
    }

    it('returns a profile whose id is a digit string or throws EventpopAPIError, for any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => holdsContract(JSON.stringify(value) ?? 'null')),
        {
          numRuns: 500,
        },
      );
    });

    it('keeps the contract for user-shaped JSON with any field values', () => {
      // URL-like strings of every scheme (fc.webUrl() alone takes a second to build).
      const url = fc.oneof(
        fc.constantFrom(
          'https://cdn.eventpop.me/a.png',
          'http://x.example/a',
          'javascript:alert(1)',
          'data:,x',
          'ftp://x/y',
        ),
        fc
          .tuple(fc.constantFrom('https://', 'http://', 'javascript:', ''), fc.string())
          .map(([a, b]) => a + b),
      );
      const anything = fc.oneof(
        fc.jsonValue({ maxDepth: 1 }),
        fc.string(),
        fc.constant(null),
        url,
        fc.integer(),
      );
      const user = fc.record(
        {
          id: fc.oneof(
            fc.nat(),
            fc.integer(),
            fc.double(),
            fc.string(),
            fc.stringMatching(/^\d{1,25}$/),
            anything,
          ),
          full_name: anything,
          email: anything,
          avatar: anything,
          avatars: fc.oneof(anything, fc.record({ original: anything }, { requiredKeys: [] })),
          birthday: anything,
          gender: anything,
          phone: anything,
        },
        { requiredKeys: [] },
      );
      const body = fc.oneof(user, fc.record({ user }));
      fc.assert(
        fc.property(body, (value) => holdsContract(JSON.stringify(value))),
        { numRuns: 300 },
      );
    });

    it('keeps the contract for any string body', () => {
      fc.assert(fc.property(anyBodyText(['i', 'd', '1', 'ก']), holdsContract), { numRuns: 300 });
    });

    it('never pollutes Object.prototype, whatever the keys', () => {
      assertNoPrototypePollution(parseProfile, ['user', 'id', 'avatars', 'full_name'], (outer, inner) => [
        `{"__proto__":${inner},"user":${inner},"x":${outer}}`,
        outer,
      ]);
    });
  });
});
