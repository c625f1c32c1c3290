// One request to the tickets list, answered by nock: the exact request, each page checked against it, and every failure typed.
import { expect } from 'chai';
import nock from 'nock';
import {
  EventpopAPIError,
  type EventpopTicketPage,
  fetchTicketPage,
  InternalOAuthError,
  listTickets,
} from '../lib';
import { rejection } from './fixtures/emulator/client';
import { CLIENT, EVENTPOP, hungServer, type LoopbackServer, useNock, withoutNock } from './helpers/passport';
import {
  manyTickets,
  ORGANIZER_ID,
  type PageAnswer,
  serveTickets,
  TICKETS_PATH,
  ticketJSON,
} from './helpers/tickets';

const TOKEN = 'c'.repeat(64);
const OPTIONS = { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret };

/** The error the first page request fails with when the list answers `status`/`body`/`headers`. */
async function pageError(status: number, body: string | object = '', headers: Record<string, string> = {}) {
  nock(EVENTPOP).get(TICKETS_PATH).query(true).reply(status, body, headers);
  const err = await rejection(fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID }));
  expect(err).to.be.instanceOf(EventpopAPIError);
  return err as unknown as EventpopAPIError;
}

describe('the tickets list: one page', () => {
  useNock();

  describe('the request', () => {
    it('sends the token in the Authorization header only, never in the URL', async () => {
      const requests = serveTickets(manyTickets(3));
      await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID });
      expect(requests.map((r) => r.authorization)).to.deep.equal([`Bearer ${TOKEN}`]);
      expect(requests[0]?.query.toString()).to.not.include(TOKEN);
      expect(requests[0]?.query.has('access_token')).to.equal(false);
    });

    it('asks for page 1 of 100 by default, and sends no undocumented q= filter', async () => {
      const requests = serveTickets(manyTickets(3));
      await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID });
      expect(Object.fromEntries(requests[0]?.query ?? [])).to.deep.equal({ page: '1', per_page: '100' });
    });

    it('sends page, per_page, order_by and order as asked', async () => {
      const requests = serveTickets(manyTickets(30));
      await fetchTicketPage(OPTIONS, TOKEN, {
        organizerId: ORGANIZER_ID,
        page: 3,
        perPage: 5,
        orderBy: 'used_at',
        order: 'desc',
      });
      expect(Object.fromEntries(requests[0]?.query ?? [])).to.deep.equal({
        page: '3',
        per_page: '5',
        order_by: 'used_at',
        order: 'desc',
      });
    });

    it('calls the organizer named in the query, under baseURL and its path prefix', async () => {
      const scope = nock('http://127.0.0.1:4000')
        .get('/eventpop/api/public/organizers/77/tickets')
        .query(true)
        .reply(200, { tickets: [] });
      await fetchTicketPage({ ...OPTIONS, baseURL: 'http://127.0.0.1:4000/eventpop/' }, TOKEN, {
        organizerId: 77,
      });
      expect(scope.isDone()).to.equal(true);
    });
  });

  describe('the page it answers', () => {
    it("gives the page's tickets and metadata, and the next page while there is one", async () => {
      serveTickets(manyTickets(12));
      const page = await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, perPage: 10 });
      const { tickets, ...metadata } = page;
      expect(tickets.map((t) => t.id)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(metadata).to.deep.equal({ page: 1, perPage: 10, count: 10, total: 12, nextPage: 2, skipped: 0 });
    });

    it('has no next page on the last page', async () => {
      serveTickets(manyTickets(12));
      const page = await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, perPage: 10, page: 2 });
      expect([page.tickets.length, page.nextPage, 'nextPage' in page]).to.deep.equal([2, undefined, false]);
    });

    it('uses the page size the server applied when it caps per_page', async () => {
      serveTickets(manyTickets(30), { cap: 20 });
      const page = await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, perPage: 50 });
      expect([page.perPage, page.count, page.nextPage]).to.deep.equal([20, 20, 2]);
    });

    it('without a total, names a next page after a full page and none after a short one', async () => {
      const withoutTotal = (body: object) => ({ ...body, total: undefined });
      serveTickets(manyTickets(15), { answer: withoutTotal });
      const full = await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, perPage: 10 });
      const short = await fetchTicketPage(OPTIONS, TOKEN, {
        organizerId: ORGANIZER_ID,
        perPage: 10,
        page: 2,
      });
      expect([full.nextPage, short.nextPage, 'total' in short]).to.deep.equal([2, undefined, false]);
    });

    it('does not filter: the page holds every event and status the server sent', async () => {
      serveTickets([ticketJSON(1), ticketJSON(2, { event_id: 9999, status: 'revoked' })]);
      const page = await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID });
      expect(page.tickets.map((t) => [t.eventId, t.status])).to.deep.equal([
        [7210, 'active'],
        [9999, 'revoked'],
      ]);
    });

    it('counts entries that are not usable tickets as skipped', async () => {
      serveTickets([ticketJSON(1), { status: 'active' }]);
      const page: EventpopTicketPage = await fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID });
      expect([page.tickets.length, page.count, page.skipped]).to.deep.equal([1, 2, 1]);
    });
  });

  describe('a page that contradicts its request', () => {
    const cases: readonly [string, (body: PageAnswer) => object, RegExp][] = [
      ['echoes another page number', (b) => ({ ...b, page: 1 }), /asked for page 2, it answered page 1/],
      [
        'says a count the page does not hold',
        (b) => ({ ...b, count: 9 }),
        /"count" says 9 tickets but the page holds 10/,
      ],
      [
        'holds more tickets than its per_page',
        (b) => ({ ...b, per_page: 5 }),
        /the page holds 10 tickets, more than "per_page" 5/,
      ],
      [
        'holds fewer tickets than its total implies',
        (b) => ({ ...b, tickets: b.tickets.slice(0, 7), count: 7 }),
        /"total" says 25 tickets, so this page of 10 should hold 10; it holds 7/,
      ],
    ];
    for (const [what, answer, message] of cases) {
      it(`fails with EventpopAPIError inconsistent_pages when it ${what}`, async () => {
        serveTickets(manyTickets(25), { answer });
        const err = await rejection(
          fetchTicketPage(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, page: 2, perPage: 10 }),
        );
        expect(err).to.be.instanceOf(EventpopAPIError);
        expect([err.code, err.status]).to.deep.equal(['inconsistent_pages', 200]);
        expect(err.message).to.match(message);
        expect(err.message).to.match(
          /^Eventpop's tickets list for organizer 1017 contradicted itself on page 2: /,
        );
      });
    }
  });

  describe('answers that are errors', () => {
    it('maps 401 to invalid_token and says it can also mean the app belongs to another organizer', async () => {
      const err = await pageError(401, '', {
        'WWW-Authenticate':
          'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired"',
      });
      expect([err.code, err.status]).to.deep.equal(['invalid_token', 401]);
      expect(err.message).to.include('(The access token expired)');
      expect(err.message).to.include('or this application was issued for another organizer than 1017');
    });

    it('maps 403 to insufficient_scope naming public', async () => {
      const err = await pageError(403);
      expect([err.code, err.status]).to.deep.equal(['insufficient_scope', 403]);
      expect(err.message).to.include("lacks the 'public' scope");
    });

    it('maps 429 to rate_limited with retryAfter from Retry-After', async () => {
      const err = await pageError(429, '', { 'Retry-After': '30' });
      expect([err.code, err.status, err.retryAfter]).to.deep.equal(['rate_limited', 429, 30]);
      expect(err.message).to.include('Retry after 30 s.');
    });

    for (const status of [500, 502, 503]) {
      it(`maps ${status} to server_error`, async () => {
        const err = await pageError(status, '<html>down</html>', { 'Content-Type': 'text/html' });
        expect([err.code, err.status]).to.deep.equal(['server_error', status]);
      });
    }

    it('maps a redirect to redirected, without following it', async () => {
      const err = await pageError(302, '', { Location: 'https://eventpop.me/login?next=/api' });
      expect([err.code, err.status]).to.deep.equal(['redirected', 302]);
      expect(err.message).to.include('a redirect to https://eventpop.me. ');
      expect(err.message).to.not.include('/login');
    });

    it('maps another status to unexpected_status', async () => {
      const err = await pageError(404, '{"error":"Not Found"}');
      expect([err.code, err.status]).to.deep.equal(['unexpected_status', 404]);
    });

    it('maps a 200 that is not a tickets list to invalid_response', async () => {
      const err = await pageError(200, '<html>Sign in</html>', { 'Content-Type': 'text/html' });
      expect([err.code, err.status]).to.deep.equal(['invalid_response', 200]);
    });

    it('refuses a body over 1 MiB with response_too_large', async () => {
      const err = await pageError(200, `{"tickets":[],"pad":"${'x'.repeat(1024 * 1024)}"}`);
      expect([err.code, err.status]).to.deep.equal(['response_too_large', 200]);
    });

    it('puts no token in any error, even when the server echoes it', async () => {
      const echoes: [number, string, Record<string, string>][] = [
        [
          401,
          '',
          { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="token ${TOKEN} is bad"` },
        ],
        [302, '', { Location: `https://evil.example/${TOKEN}?t=${TOKEN}` }],
        [200, `{"error":"${TOKEN}"}`, {}],
        [500, TOKEN, {}],
      ];
      for (const [status, body, headers] of echoes) {
        const err = await pageError(status, body, headers);
        expect(`${err.message} ${JSON.stringify(err)} ${err.stack}`, String(status)).to.not.include(TOKEN);
      }
    });
  });

  describe('arguments', () => {
    const bad: readonly [string, unknown, RegExp][] = [
      ['no organizerId', {}, /the query's organizerId must be a positive integer .* got undefined/],
      ['organizerId 0', { organizerId: 0 }, /the query's organizerId must be a positive integer/],
      [
        'organizerId as a string',
        { organizerId: '1017' },
        /organizerId must be a positive integer .* got "1017"/,
      ],
      ['page 0', { organizerId: 1, page: 0 }, /the query's page must be a positive integer/],
      [
        'perPage 5000',
        { organizerId: 1, perPage: 5000 },
        /the query's perPage must be at most 1000, got 5000/,
      ],
      [
        'orderBy paid_at',
        { organizerId: 1, orderBy: 'paid_at' },
        /orderBy must be one of 'id', 'created_at'/,
      ],
      ['order up', { organizerId: 1, order: 'up' }, /the query's order must be 'asc' or 'desc', got "up"/],
      ['no query', undefined, /the tickets page query must be an object such as/],
      [
        'a page query with eventId',
        { organizerId: 1, eventId: 2 },
        /the tickets page query has an unknown key "eventId"; its keys are organizerId, page, perPage, orderBy, order\./,
      ],
    ];
    for (const [what, query, message] of bad) {
      it(`throws a TypeError for ${what}, with no request`, async () => {
        const err = await rejection(fetchTicketPage(OPTIONS, TOKEN, query as never));
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.match(message);
      });
    }

    it('throws a TypeError for an empty access token', async () => {
      const err = await rejection(fetchTicketPage(OPTIONS, '', { organizerId: 1 }));
      expect([err.name, err.message]).to.deep.equal([
        'TypeError',
        'passport-eventpop: the access token must be a non-empty string.',
      ]);
    });
  });
});

describe('the tickets list: network failures', () => {
  withoutNock();
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('fails with InternalOAuthError ETIMEDOUT naming the list, and closes the socket', async () => {
    server = await hungServer();
    const err = await rejection(
      fetchTicketPage({ ...OPTIONS, baseURL: server.url, timeout: 200 }, TOKEN, {
        organizerId: ORGANIZER_ID,
      }),
    );
    expect(err).to.be.instanceOf(InternalOAuthError);
    expect(err.code).to.equal('ETIMEDOUT');
    expect(err.message).to.include(
      `organizer 1017 (${server.url}${TICKETS_PATH}) did not answer within 200 ms`,
    );
    expect(err.message).to.not.include(TOKEN);
    await server.socketClosed;
  });

  it('refuses a misspelt listTickets query key, which would otherwise drop the filter', () => {
    expect(() => listTickets(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, eventID: 7210 } as never)).to.throw(
      TypeError,
      'passport-eventpop: the tickets query has an unknown key "eventID": did you mean eventId?',
    );
  });

  it('checks listTickets arguments when called, before any iteration', () => {
    expect(() => listTickets(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, eventId: [] })).to.throw(
      TypeError,
      "the query's eventId must be an event id or a non-empty array of them, got [].",
    );
    expect(() =>
      listTickets(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, status: 'active' as never }),
    ).to.throw(
      TypeError,
      /the query's status must be a non-empty array of ticket statuses such as \['active', 'used'\], got "active"/,
    );
  });
});
