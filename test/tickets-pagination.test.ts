// Every page of the tickets list, answered by nock: where the listing ends, capped pages, the filter, and servers that never end or contradict themselves.
import { expect } from 'chai';
import { EventpopAPIError, type EventpopTicket, type EventpopTicketQuery, listTickets } from '../lib';
import { CLIENT, useNock } from './helpers/passport';
import {
  type ListRequest,
  manyTickets,
  ORGANIZER_ID,
  type PageAnswer,
  serveTickets,
  ticketJSON,
} from './helpers/tickets';

const TOKEN = 'd'.repeat(64);
const OPTIONS = { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret };

/** Everything listTickets yields for `query`, or the error it stops with and what came before. */
async function list(
  query: Partial<EventpopTicketQuery> = {},
): Promise<{ tickets: EventpopTicket[]; error: (EventpopAPIError & Error) | undefined }> {
  const tickets: EventpopTicket[] = [];
  try {
    for await (const ticket of listTickets(OPTIONS, TOKEN, { organizerId: ORGANIZER_ID, ...query })) {
      tickets.push(ticket);
    }
  } catch (err) {
    expect(err).to.be.instanceOf(EventpopAPIError);
    return { tickets, error: err as EventpopAPIError };
  }
  return { tickets, error: undefined };
}

/** The page numbers and sizes asked for, in order. */
function asked(requests: readonly ListRequest[]): string[] {
  return requests.map((r) => `${r.query.get('page')}/${r.query.get('per_page')}`);
}

/** `from` to `to`, inclusive. */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('the tickets list: every page', () => {
  useNock();

  describe('a user holding', () => {
    const holdings: readonly [number, number, number][] = [
      // [tickets, perPage, pages asked]
      [0, 10, 1],
      [1, 10, 1],
      [10, 10, 1],
      [11, 10, 2],
      [250, 10, 25],
      [250, 100, 3],
    ];
    for (const [n, perPage, pages] of holdings) {
      it(`${n} tickets, ${perPage} a page: yields all ${n} in order from ${pages} request${pages === 1 ? '' : 's'}, each page once`, async () => {
        const requests = serveTickets(manyTickets(n));
        const { tickets, error } = await list({ perPage });
        expect(error).to.equal(undefined);
        expect(tickets.map((t) => t.id)).to.deep.equal(range(1, n));
        expect(asked(requests)).to.deep.equal(range(1, pages).map((p) => `${p}/${perPage}`));
      });
    }

    it('10 tickets, 10 a page, from a server that gives no total: ends on the empty page 2', async () => {
      const requests = serveTickets(manyTickets(10), { answer: (b) => ({ ...b, total: undefined }) });
      const { tickets, error } = await list({ perPage: 10 });
      expect([error, tickets.length, asked(requests)]).to.deep.equal([undefined, 10, ['1/10', '2/10']]);
    });

    it('250 tickets from a server that gives no total and no count: ends on the empty page 26', async () => {
      const requests = serveTickets(manyTickets(250), {
        answer: (b) => ({ tickets: b.tickets, page: b.page, per_page: b.per_page }),
      });
      const { tickets, error } = await list({ perPage: 10 });
      expect([error, tickets.length, requests.length]).to.deep.equal([undefined, 250, 26]);
    });
  });

  it('follows a server that caps per_page: every later page asks for the size it applied', async () => {
    const requests = serveTickets(manyTickets(250), { cap: 20 });
    const { tickets, error } = await list({ perPage: 100 });
    expect([error, tickets.length]).to.deep.equal([undefined, 250]);
    expect(asked(requests)).to.deep.equal(['1/100', ...range(2, 13).map((p) => `${p}/20`)]);
  });

  it('asks with the sort order on every page', async () => {
    const requests = serveTickets(manyTickets(15));
    await list({ perPage: 10, orderBy: 'created_at', order: 'desc' });
    expect(requests.map((r) => [r.query.get('order_by'), r.query.get('order')])).to.deep.equal([
      ['created_at', 'desc'],
      ['created_at', 'desc'],
    ]);
  });

  describe('the filter, applied to every page whatever the server sends', () => {
    // The server ignores filters (Eventpop documents none): every event and status comes back.
    const mixed = [
      ticketJSON(1, { event_id: 7210, status: 'active' }),
      ticketJSON(2, { event_id: 7211, status: 'used' }),
      ticketJSON(3, { event_id: 9999, status: 'active' }),
      ticketJSON(4, { event_id: 7210, status: 'revoked' }),
      ticketJSON(5, { event_id: 7211, status: 'active' }),
      ticketJSON(6, { event_id: 7210, status: 'used' }),
    ];
    const cases: readonly [string, Partial<EventpopTicketQuery>, number[]][] = [
      ['no filter yields every ticket, revoked ones included', {}, [1, 2, 3, 4, 5, 6]],
      ['eventId 7210', { eventId: 7210 }, [1, 4, 6]],
      ['eventId [7210, 7211]', { eventId: [7210, 7211] }, [1, 2, 4, 5, 6]],
      ["status ['active']", { status: ['active'] }, [1, 3, 5]],
      ["eventId 7210 and status ['ACTIVE', 'used']", { eventId: 7210, status: ['ACTIVE', 'used'] }, [1, 6]],
    ];
    for (const [what, query, ids] of cases) {
      it(`${what}, across pages`, async () => {
        const requests = serveTickets(mixed);
        const { tickets } = await list({ ...query, perPage: 2 });
        expect(tickets.map((t) => t.id)).to.deep.equal(ids);
        expect(requests.length, 'every page is read whatever the filter').to.equal(3);
        expect(requests.every((r) => !r.query.has('q') && !r.query.has('event_id'))).to.equal(true);
      });
    }
  });

  describe('a server that never ends', () => {
    it('stops with too_many_pages after page 100 when full pages keep coming without a total', async () => {
      let id = 0;
      const requests = serveTickets([], {
        answer: (b) => {
          const tickets = Array.from({ length: b.per_page }, () => ticketJSON(++id));
          return { ...b, tickets, count: tickets.length, total: undefined };
        },
      });
      const { tickets, error } = await list({ perPage: 10 });
      expect([error?.code, error?.status]).to.deep.equal(['too_many_pages', 200]);
      expect(error?.message).to.match(
        /had more after page 100 \(10 tickets a page\), more than the limit of 100 pages/,
      );
      expect([requests.length, tickets.length]).to.deep.equal([100, 1000]);
    });

    it('stops with too_many_pages at page 1 when the total needs more than 100 pages', async () => {
      const requests = serveTickets(manyTickets(1001), { cap: 10 });
      const { error } = await list({ perPage: 10 });
      expect(error?.code).to.equal('too_many_pages');
      expect(error?.message).to.include('says 1001 tickets, 101 pages of 10');
      expect(requests.length).to.equal(1);
    });
  });

  describe('a server that contradicts itself across pages', () => {
    const cases: readonly [string, (b: PageAnswer) => object, RegExp][] = [
      ['changes its total', (b) => (b.page === 2 ? { ...b, total: 26 } : b), /"total" changed from 25 to 26/],
      [
        'drops its total',
        (b) => (b.page === 2 ? { ...b, total: undefined } : b),
        /"total" changed from 25 to none/,
      ],
      [
        'changes its per_page',
        (b) => ({ ...b, total: undefined, per_page: b.page === 2 ? 20 : b.per_page }),
        /"per_page" changed from 10 to 20/,
      ],
      [
        'repeats a ticket',
        (b) => (b.page === 2 ? { ...b, tickets: [ticketJSON(3), ...b.tickets.slice(1)] } : b),
        /ticket 3 was already on an earlier page/,
      ],
      ['answers page 1 again', (b) => ({ ...b, page: 1 }), /asked for page 2, it answered page 1/],
      [
        'ends short of its total',
        (b) => (b.page === 3 ? { ...b, tickets: [], count: 0 } : b),
        /"total" says 25 tickets, so this page of 10 should hold 5; it holds 0/,
      ],
    ];
    for (const [what, answer, message] of cases) {
      it(`stops with inconsistent_pages when it ${what}, after yielding the pages that agreed`, async () => {
        serveTickets(manyTickets(25), { answer });
        const { tickets, error } = await list({ perPage: 10 });
        expect([error?.code, error?.status]).to.deep.equal(['inconsistent_pages', 200]);
        expect(error?.message).to.match(message);
        expect(tickets.length % 10, 'only whole pages were yielded').to.equal(0);
      });
    }
  });
});
