// The strategy's tickets option, answered by nock: tickets fetched alongside /me, the ones that count on the profile, required refusals and failures.
import { expect } from 'chai';
import nock from 'nock';
import {
  EventpopAPIError,
  type EventpopProfile,
  type EventpopStrategyOptions,
  type EventpopVerifyFunction,
} from '../lib';
import {
  EVENTPOP,
  expectKind,
  ME_RESPONSE,
  makeStrategy,
  signIn,
  TOKEN_RESPONSE,
  useNock,
} from './helpers/passport';
import { manyTickets, ORGANIZER_ID, serveTickets, TICKETS_PATH, ticketJSON } from './helpers/tickets';

const TICKETS = { organizerId: ORGANIZER_ID } as const;

/** A verify that records the profiles it was called with and signs in `{ id }`. */
function recordingVerify(): { verify: EventpopVerifyFunction; profiles: EventpopProfile[] } {
  const profiles: EventpopProfile[] = [];
  return {
    profiles,
    verify: (_accessToken, _refreshToken, profile, done) => {
      profiles.push(profile);
      done(null, { id: profile.id });
    },
  };
}

/** Signs in with the token endpoint and /me answering well, and the strategy built from `options`. */
async function signInWith(options: Partial<EventpopStrategyOptions>) {
  nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
  nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
  const { verify, profiles } = recordingVerify();
  const { outcome } = await signIn(makeStrategy(options, verify));
  return { outcome, profiles };
}

describe('the tickets option at sign-in', () => {
  useNock();

  describe('a user whose tickets span pages', () => {
    const held = [
      ticketJSON(1, { event_id: 7210, status: 'active' }),
      ticketJSON(2, { event_id: 7211, status: 'active' }),
      ticketJSON(3, { event_id: 7210, status: 'revoked' }),
      ticketJSON(4, { event_id: 7210, status: 'used', used_at: '2026-03-20T19:05:00+07:00' }),
      ticketJSON(5, { event_id: 7210, status: null }),
      ticketJSON(6, { event_id: 7210, status: 'active' }),
    ];

    it('hands the verify callback every ticket that counts, from every page: all but revoked by default', async () => {
      const requests = serveTickets(held);
      const { outcome, profiles } = await signInWith({ tickets: { ...TICKETS, perPage: 2 } });
      expectKind(outcome, 'success');
      expect(profiles[0]?.tickets?.map((t) => t.id)).to.deep.equal([1, 2, 4, 6]);
      expect(requests.map((r) => r.query.get('page'))).to.deep.equal(['1', '2', '3']);
    });

    it('keeps only the events asked for', async () => {
      serveTickets(held);
      const { profiles } = await signInWith({ tickets: { ...TICKETS, eventId: 7210, perPage: 2 } });
      expect(profiles[0]?.tickets?.map((t) => t.id)).to.deep.equal([1, 4, 6]);
    });

    it('keeps only the statuses asked for', async () => {
      serveTickets(held);
      const { profiles } = await signInWith({
        tickets: { ...TICKETS, eventId: [7210], status: ['Revoked'] },
      });
      expect(profiles[0]?.tickets?.map((t) => t.id)).to.deep.equal([3]);
    });

    it('sends the token as a Bearer header to the tickets list', async () => {
      const requests = serveTickets(held);
      await signInWith({ tickets: TICKETS });
      expect(requests.map((r) => r.authorization)).to.deep.equal([`Bearer ${TOKEN_RESPONSE.access_token}`]);
    });
  });

  it('requests the first page of tickets at the same time as /api/public/me, not after it', async () => {
    // Each answer waits until the other request has arrived: a strategy that sent them one after
    // the other would never get either answer.
    let meArrived!: () => void;
    let ticketsArrived!: () => void;
    const me = new Promise<void>((resolve) => {
      meArrived = resolve;
    });
    const tickets = new Promise<void>((resolve) => {
      ticketsArrived = resolve;
    });
    nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
    nock(EVENTPOP)
      .get('/api/public/me')
      .reply((_uri, _body, callback) => {
        meArrived();
        tickets.then(() => callback(null, [200, ME_RESPONSE]));
      });
    nock(EVENTPOP)
      .get(TICKETS_PATH)
      .query(true)
      .reply((_uri, _body, callback) => {
        ticketsArrived();
        me.then(() => callback(null, [200, { total: 1, page: 1, per_page: 100, tickets: [ticketJSON(1)] }]));
      });
    const { verify, profiles } = recordingVerify();
    const { outcome } = await signIn(makeStrategy({ tickets: TICKETS, timeout: 2000 }, verify));
    expectKind(outcome, 'success');
    expect(profiles[0]?.tickets?.map((t) => t.id)).to.deep.equal([1]);
  });

  it('without the option, sends no tickets request and leaves profile.tickets out', async () => {
    // nock refuses any request it has no answer for: a tickets request would fail the login.
    const { outcome, profiles } = await signInWith({});
    expectKind(outcome, 'success');
    expect('tickets' in (profiles[0] ?? {})).to.equal(false);
  });

  it('hands an empty list to the verify callback when nothing counts and the check is not required', async () => {
    serveTickets([ticketJSON(1, { status: 'revoked' })]);
    const { outcome, profiles } = await signInWith({ tickets: TICKETS });
    expectKind(outcome, 'success');
    expect(profiles[0]?.tickets).to.deep.equal([]);
  });

  describe('required: true', () => {
    for (const [what, held] of [
      ['no ticket at all', []],
      ['only a revoked ticket', [ticketJSON(1, { status: 'revoked' })]],
      ['tickets for other events only', [ticketJSON(1, { event_id: 9999 })]],
    ] as const) {
      it(`fails with status 403, without calling verify, for a user with ${what}`, async () => {
        serveTickets(held);
        const { outcome, profiles } = await signInWith({
          tickets: { ...TICKETS, eventId: 7210, required: true },
        });
        const { challenge, status } = expectKind(outcome, 'fail');
        expect(status).to.equal(403);
        expect(challenge).to.deep.equal({
          message:
            'This Eventpop account holds no ticket that counts for this sign-in (organizer 1017, event 7210, status not revoked).',
          code: 'ticket_required',
        });
        expect(profiles).to.deep.equal([]);
      });
    }

    it('signs in a user who has checked in (a used ticket counts)', async () => {
      serveTickets([ticketJSON(1, { status: 'used' })]);
      const { outcome, profiles } = await signInWith({ tickets: { ...TICKETS, required: true } });
      expectKind(outcome, 'success');
      expect(profiles[0]?.tickets?.map((t) => t.status)).to.deep.equal(['used']);
    });

    it('signs in a user whose only ticket that counts is on page 11', async () => {
      serveTickets([...manyTickets(100).map((t) => ({ ...t, event_id: 1 })), ticketJSON(101)]);
      const { outcome, profiles } = await signInWith({
        tickets: { ...TICKETS, eventId: 7210, required: true, perPage: 10 },
      });
      expectKind(outcome, 'success');
      expect(profiles[0]?.tickets?.map((t) => t.id)).to.deep.equal([101]);
    });

    it('answers an error, not a profile, when called outside passport (no fail action to call)', async () => {
      serveTickets([]);
      nock(EVENTPOP).get('/api/public/me').reply(200, ME_RESPONSE);
      const strategy = makeStrategy({ tickets: { ...TICKETS, required: true } });
      const [err, profile] = await new Promise<unknown[]>((resolve) =>
        strategy.userProfile('t'.repeat(64), (...args) => resolve(args)),
      );
      expect(profile).to.equal(undefined);
      expect(err).to.be.instanceOf(Error);
      expect(err).to.include({ code: 'ticket_required', status: 403 });
    });
  });

  describe('a failed ticket request fails the login', () => {
    it('with the EventpopAPIError of a 401, though /me answered', async () => {
      nock(EVENTPOP).get(TICKETS_PATH).query(true).reply(401, '');
      const { outcome, profiles } = await signInWith({ tickets: TICKETS });
      const { err } = expectKind(outcome, 'error');
      expect(err).to.be.instanceOf(EventpopAPIError);
      expect(err).to.include({ code: 'invalid_token', status: 401 });
      expect((err as Error).message).to.include('another organizer than 1017');
      expect(profiles).to.deep.equal([]);
    });

    it('when a later page fails, even with tickets that count on the first', async () => {
      serveTickets(manyTickets(15), { answer: (b) => (b.page === 2 ? { oops: true } : b) });
      const { outcome, profiles } = await signInWith({
        tickets: { ...TICKETS, perPage: 10, required: true },
      });
      expect(expectKind(outcome, 'error').err).to.include({ code: 'invalid_response' });
      expect(profiles).to.deep.equal([]);
    });

    it('when the pages contradict each other', async () => {
      serveTickets(manyTickets(15), { answer: (b) => (b.page === 2 ? { ...b, total: 16 } : b) });
      const { outcome } = await signInWith({ tickets: { ...TICKETS, perPage: 10 } });
      expect(expectKind(outcome, 'error').err).to.include({ code: 'inconsistent_pages' });
    });

    it('and a failed /me fails it too, whatever the tickets say', async () => {
      serveTickets(manyTickets(1));
      nock(EVENTPOP).post('/oauth/token').reply(200, TOKEN_RESPONSE);
      nock(EVENTPOP).get('/api/public/me').reply(429, '', { 'Retry-After': '60' });
      const { verify, profiles } = recordingVerify();
      const { outcome } = await signIn(makeStrategy({ tickets: TICKETS }, verify));
      expect(expectKind(outcome, 'error').err).to.include({ code: 'rate_limited', retryAfter: 60 });
      expect(profiles).to.deep.equal([]);
    });
  });
});

describe('the tickets option at construction', () => {
  const refusals: readonly [string, unknown, RegExp][] = [
    [
      'not an object',
      1017,
      /the tickets option must be an object such as \{ organizerId: 1017, eventId: 7210 \}, got 1017/,
    ],
    ['null', null, /the tickets option must be an object .* got null/],
    [
      'without organizerId',
      {},
      /the tickets.organizerId option must be a positive integer \(the id of the organizer/,
    ],
    ['with organizerId 0', { organizerId: 0 }, /tickets.organizerId option must be a positive integer/],
    ['with organizerId "1017"', { organizerId: '1017' }, /tickets.organizerId option .* got "1017"/],
    ['with organizerId 1.5', { organizerId: 1.5 }, /tickets.organizerId option .* got 1.5/],
    [
      'with eventId []',
      { organizerId: 1, eventId: [] },
      /tickets.eventId option must be an event id or a non-empty array/,
    ],
    [
      'with eventId -3',
      { organizerId: 1, eventId: -3 },
      /the tickets.eventId option must be a positive integer/,
    ],
    [
      'with eventId [7210, "7211"]',
      { organizerId: 1, eventId: [7210, '7211'] },
      /tickets.eventId\[1\] option/,
    ],
    [
      'with status "active"',
      { organizerId: 1, status: 'active' },
      /tickets.status option must be a non-empty array/,
    ],
    ['with status []', { organizerId: 1, status: [] }, /tickets.status option must be a non-empty array/],
    [
      'with status [""]',
      { organizerId: 1, status: [''] },
      /tickets.status\[0\] option must be a ticket status/,
    ],
    [
      'with required "yes"',
      { organizerId: 1, required: 'yes' },
      /the tickets.required option must be true or false/,
    ],
    [
      'with perPage 0',
      { organizerId: 1, perPage: 0 },
      /the tickets.perPage option must be a positive integer/,
    ],
    [
      'with perPage 1001',
      { organizerId: 1, perPage: 1001 },
      /the tickets.perPage option must be at most 1000/,
    ],
    // A misspelt key would be ignored, and a check meant for one event would admit holders of any.
    [
      'with eventID (a typo)',
      { organizerId: 1, eventID: 7210 },
      /the tickets option has an unknown key "eventID": did you mean eventId\?/,
    ],
    ['with event_id', { organizerId: 1, event_id: 7210 }, /the tickets option has an unknown key "event_id"/],
    [
      'with statuses',
      { organizerId: 1, statuses: ['active'] },
      /unknown key "statuses": did you mean status\?/,
    ],
  ];
  for (const [what, tickets, message] of refusals) {
    it(`throws a TypeError for a tickets option ${what}`, () => {
      expect(() => makeStrategy({ tickets: tickets as never })).to.throw(TypeError, message);
    });
  }

  for (const skipUserProfile of [true, () => true]) {
    it(`throws a TypeError for tickets with skipUserProfile ${String(skipUserProfile)}, which would skip the check`, () => {
      expect(() => makeStrategy({ tickets: TICKETS, skipUserProfile })).to.throw(
        TypeError,
        /the tickets option cannot be used with skipUserProfile/,
      );
    });
  }

  it('accepts tickets with skipUserProfile: false, and every field', () => {
    expect(() =>
      makeStrategy({
        skipUserProfile: false,
        tickets: { organizerId: 1, eventId: [2, 3], status: ['active'], required: true, perPage: 1000 },
      }),
    ).to.not.throw();
  });
});
