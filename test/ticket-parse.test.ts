// The pure tickets parser: tickets-list bodies (fixtures, hostile bodies, any JSON) to EventpopTickets and page metadata, or EventpopAPIError.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { EventpopAPIError, type EventpopTicket } from '../lib';
import { type ParsedTicketPage, parseTicketPage } from '../lib/ticket';
import {
  anyBodyText,
  assertNoPrototypePollution,
  parseErrorOf,
  undefinedKeys,
} from './helpers/parser-properties';

/** The text of test/fixtures/tickets/<name>.json, exactly as stored. */
function ticketsFixture(name: string): string {
  return readFileSync(path.join(__dirname, 'fixtures', 'tickets', `${name}.json`), 'utf8');
}

/** A ticket without `_json`, for comparing the normalized fields. */
function fields(ticket: EventpopTicket | undefined): Omit<EventpopTicket, '_json'> {
  if (!ticket) throw new Error('no ticket');
  const { _json, ...rest } = ticket;
  return rest;
}

/** The page metadata without the tickets. */
function metadata(page: ParsedTicketPage): Omit<ParsedTicketPage, 'tickets'> {
  const { tickets, ...rest } = page;
  return rest;
}

const parseError = parseErrorOf(parseTicketPage, 'parseTicketPage');

describe('parseTicketPage', () => {
  describe('the observed answer (observed-page.json)', () => {
    const body = ticketsFixture('observed-page');
    const page = parseTicketPage(body);

    it('reads the page metadata the server echoed', () => {
      expect(metadata(page)).to.deep.equal({
        entries: 2,
        skipped: 0,
        page: 1,
        perPage: 10,
        count: 2,
        total: 12,
      });
    });

    it('maps every field of an active ticket, leaving the null ones out', () => {
      expect(fields(page.tickets[0])).to.deep.equal({
        id: 901,
        eventId: 7210,
        orderId: 77,
        status: 'active',
        referenceCode: 'ABC123',
        kind: 'normal',
        firstName: 'Somchai',
        lastName: 'Jaidee',
        email: 'somchai@example.com',
        phone: '+66812345678',
        ticketType: { id: 55, name: 'Early bird', price: '฿500.00', priceSatangs: 50000, kind: 'paid' },
        priceLabel: '฿500.00',
        createdAt: '2026-03-01T10:00:00+07:00',
        updatedAt: '2026-03-01T10:00:00+07:00',
      });
    });

    it('keeps when a used ticket was checked in', () => {
      expect(page.tickets[1]).to.include({
        status: 'used',
        usedAt: '2026-03-20T19:05:00+07:00',
        registeredAt: '2026-03-02T09:31:00+07:00',
      });
    });

    it('keeps each ticket object as Eventpop sent it as _json', () => {
      expect(page.tickets.map((t) => t._json)).to.deep.equal(JSON.parse(body).tickets);
    });
  });

  describe("the published schema's strings (published-schema-strings.json)", () => {
    const page = parseTicketPage(ticketsFixture('published-schema-strings'));

    it('reads ids, prices and page metadata sent as digit strings as numbers', () => {
      expect(metadata(page)).to.deep.equal({
        entries: 1,
        skipped: 0,
        page: 1,
        perPage: 10,
        count: 1,
        total: 1,
      });
      expect(fields(page.tickets[0])).to.deep.include({
        id: 903,
        orderId: 79,
        eventId: 7210,
        ticketType: { id: 57, name: 'Free pass', price: '0', priceSatangs: 0, kind: 'free' },
      });
    });

    it('reads codes and labels sent as numbers as strings', () => {
      expect(page.tickets[0]).to.include({ referenceCode: '778899', priceLabel: '0', externalId: '4455' });
    });
  });

  it('leaves out every null, empty or blank field (null-fields.json)', () => {
    const [ticket] = parseTicketPage(ticketsFixture('null-fields')).tickets;
    expect(fields(ticket)).to.deep.equal({ id: 904, eventId: 7210 });
    expect(undefinedKeys(ticket)).to.deep.equal([]);
  });

  describe('fields of the wrong type (wrong-types.json)', () => {
    const page = parseTicketPage(ticketsFixture('wrong-types'));

    it('leaves out every field it cannot read as what it should be', () => {
      expect(fields(page.tickets[0])).to.deep.equal({ id: 905, eventId: 7210 });
    });

    it('leaves out page metadata that is not a whole number', () => {
      expect(metadata(page)).to.deep.equal({ entries: 1, skipped: 0 });
    });
  });

  describe('__proto__ keys (hostile-proto-keys.json)', () => {
    const page = parseTicketPage(ticketsFixture('hostile-proto-keys'));

    it('drops them from the ticket and its _json', () => {
      const [ticket] = page.tickets;
      expect(Object.hasOwn(ticket!._json, '__proto__')).to.equal(false);
      expect(fields(ticket)).to.deep.equal({
        id: 906,
        eventId: 7210,
        status: 'active',
        ticketType: { id: 55, name: 'Early bird' },
      });
    });

    it('leaves Object.prototype untouched', () => {
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
    });
  });

  describe('entries that are not usable tickets (unusable-entries.json)', () => {
    const page = parseTicketPage(ticketsFixture('unusable-entries'));

    it('leaves out entries without a usable id or event_id and counts them as skipped', () => {
      expect(page.tickets.map((t) => t.id)).to.deep.equal([909]);
      expect([page.entries, page.skipped, page.count]).to.deep.equal([6, 5, 6]);
    });

    it('lower-cases the status, so that "Revoked" is revoked', () => {
      expect(page.tickets[0]?.status).to.equal('revoked');
    });
  });

  describe('statuses', () => {
    for (const [sent, kept] of [
      [' ACTIVE ', 'active'],
      ['checked_in', 'checked_in'],
      ['not a status', undefined],
      ['', undefined],
      ['<script>', undefined],
    ] as const) {
      it(`reads ${JSON.stringify(sent)} as ${kept === undefined ? 'no status' : JSON.stringify(kept)}`, () => {
        const [ticket] = parseTicketPage(
          JSON.stringify({ tickets: [{ id: 1, event_id: 2, status: sent }] }),
        ).tickets;
        expect(ticket?.status).to.equal(kept);
      });
    }
  });

  it('leaves out strings too long to be real (a 10,000-character name and code)', () => {
    const long = 'x'.repeat(10_000);
    const [ticket] = parseTicketPage(
      JSON.stringify({
        tickets: [{ id: 1, event_id: 2, firstname: long, reference_code: long, revoke_note: long }],
      }),
    ).tickets;
    expect(fields(ticket)).to.deep.equal({ id: 1, eventId: 2 });
  });

  it('leaves out ids that are not safe positive integers', () => {
    const body = JSON.stringify({
      tickets: [
        { id: 0, event_id: 2 },
        { id: 1.5, event_id: 2 },
        { id: 2 ** 60, event_id: 2 },
        { id: '12345678901234567890', event_id: 2 },
        { id: -4, event_id: 2 },
        { id: 3, event_id: 0 },
      ],
    });
    const page = parseTicketPage(body);
    expect([page.tickets.length, page.skipped]).to.deep.equal([0, 6]);
  });

  describe('bodies that are not a tickets list', () => {
    for (const [name, body] of [
      ['an empty body', ''],
      ['an HTML page', '<html><body>Bad gateway</body></html>'],
      ['a bare array', '[{"id":901,"event_id":7210}]'],
      ['JSON null', 'null'],
      ['cut-off JSON', '{"tickets":[{"id":901'],
      ['an object without tickets', '{"user":{"id":4242}}'],
      ['tickets that are not an array (tickets-not-a-list.json)', ticketsFixture('tickets-not-a-list')],
      ['"success": false (success-false.json)', ticketsFixture('success-false')],
    ] as const) {
      it(`fails with EventpopAPIError invalid_response for ${name}`, () => {
        const err = parseError(body);
        expect(err.code).to.equal('invalid_response');
        expect(err.message).to.match(/^Eventpop's tickets list answered /);
      });
    }

    it('carries the status it was given', () => {
      expect(parseError('nope', 203).status).to.equal(203);
    });

    it('says why: not JSON, JSON that is not an object, or JSON too deep to check for __proto__', () => {
      const deep = `{"tickets":[],"x":${'{"a":'.repeat(20_000)}"\\u0041"${'}'.repeat(20_000)}}`;
      expect([
        parseError('<html>').message,
        parseError('[]').message,
        parseError(deep).message,
      ]).to.deep.equal([
        "Eventpop's tickets list answered a body that is not valid JSON, not a tickets list.",
        "Eventpop's tickets list answered JSON that is not an object, not a tickets list.",
        "Eventpop's tickets list answered JSON nested too deeply to be checked safely for __proto__ keys, not a tickets list.",
      ]);
    });
  });

  it('reads an empty list as a page without tickets', () => {
    const page = parseTicketPage('{"success":true,"count":0,"total":0,"page":1,"per_page":10,"tickets":[]}');
    expect([page.tickets, metadata(page)]).to.deep.equal([
      [],
      { entries: 0, skipped: 0, page: 1, perPage: 10, count: 0, total: 0 },
    ]);
  });

  describe('for any input (property-based)', () => {
    /** The parser's contract: a page of clean tickets, or an EventpopAPIError invalid_response. */
    function holdsContract(body: string): void {
      let page: ParsedTicketPage;
      try {
        page = parseTicketPage(body);
      } catch (err) {
        if (!(err instanceof EventpopAPIError) || err.code !== 'invalid_response') throw err;
        return;
      }
      if (page.tickets.length + page.skipped !== page.entries)
        throw new Error('tickets + skipped != entries');
      for (const value of [page.page, page.perPage, page.count, page.total]) {
        if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
          throw new Error(`metadata ${value} is not a whole number`);
        }
      }
      for (const ticket of page.tickets) {
        for (const n of [ticket.id, ticket.eventId, ticket.orderId, ticket.ticketType?.id]) {
          if (n !== undefined && !(Number.isSafeInteger(n) && n > 0))
            throw new Error(`id ${n} is not positive`);
        }
        if (ticket.status !== undefined && !/^[a-z][a-z0-9_-]*$/.test(ticket.status)) {
          throw new Error(`status ${JSON.stringify(ticket.status)} is not normalized`);
        }
        for (const t of [ticket.createdAt, ticket.updatedAt, ticket.usedAt, ticket.registeredAt]) {
          if (t !== undefined && Number.isNaN(Date.parse(t)))
            throw new Error(`timestamp ${t} does not parse`);
        }
        const holes = undefinedKeys(ticket);
        if (holes.length > 0) throw new Error(`keys holding undefined: ${holes.join(', ')}`);
      }
    }

    it('returns clean tickets or throws EventpopAPIError, for any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => holdsContract(JSON.stringify(value) ?? 'null')),
        { numRuns: 500 },
      );
    });

    it('keeps the contract for ticket-shaped JSON with any field values', () => {
      const anything = fc.oneof(
        fc.jsonValue({ maxDepth: 1 }),
        fc.string(),
        fc.constant(null),
        fc.integer(),
        fc.double(),
        fc.stringMatching(/^\d{1,20}$/),
        fc.constantFrom('2026-03-01T10:00:00+07:00', '2026-02-30T10:00:00Z', 'Active', 'revoked'),
      );
      const ticketType = fc.oneof(
        anything,
        fc.record(
          { id: anything, name: anything, price: anything, price_satangs: anything, kind: anything },
          { requiredKeys: [] },
        ),
      );
      const ticket = fc.oneof(
        anything,
        fc.record(
          {
            id: anything,
            event_id: anything,
            order_id: anything,
            status: anything,
            firstname: anything,
            lastname: anything,
            email: anything,
            phone: anything,
            reference_code: anything,
            ticket_type: ticketType,
            created_at: anything,
            used_at: anything,
          },
          { requiredKeys: [] },
        ),
      );
      const body = fc.record(
        {
          success: anything,
          count: anything,
          total: anything,
          page: anything,
          per_page: anything,
          tickets: fc.oneof(fc.array(ticket, { maxLength: 8 }), anything),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(body, (value) => holdsContract(JSON.stringify(value))),
        { numRuns: 400 },
      );
    });

    it('keeps the contract for any string body', () => {
      fc.assert(fc.property(anyBodyText(['[', ']', 't', 'i', 'd', '1', 'ก']), holdsContract), {
        numRuns: 300,
      });
    });

    it('never pollutes Object.prototype, whatever the keys', () => {
      assertNoPrototypePollution(
        parseTicketPage,
        ['tickets', 'id', 'event_id', 'ticket_type'],
        (outer, inner) => [`{"__proto__":${inner},"tickets":[${inner},${outer}]}`, outer],
      );
    });
  });
});
