// Test helpers for the tickets list: raw tickets in Eventpop's shape, and a nock interceptor that pages them as Eventpop does.
import nock from 'nock';
import { EVENTPOP } from './passport';

/** The organizer most tests list tickets for. */
export const ORGANIZER_ID = 1017;
/** The path of its tickets list. */
export const TICKETS_PATH = `/api/public/organizers/${ORGANIZER_ID}/tickets`;

/** A ticket object as Eventpop sends it; `id` decides the rest unless overridden. */
export function ticketJSON(id: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    order_id: 5000 + id,
    event_id: 7210,
    status: 'active',
    firstname: 'Somchai',
    lastname: 'Jaidee',
    email: 'somchai@example.com',
    reference_code: `REF${id}`,
    kind: 'normal',
    ticket_type: { id: 55, name: 'Early bird', price: '฿500.00', price_satangs: 50000, kind: 'paid' },
    created_at: '2026-03-01T10:00:00+07:00',
    used_at: null,
    ...fields,
  };
}

/** `n` active tickets for event 7210 with ids 1 to n. */
export function manyTickets(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ticketJSON(i + 1));
}

/** A request the list received: its query and the headers that matter. */
export interface ListRequest {
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

/** What a page answer is built from, for a misbehaving server to change. */
export interface PageAnswer {
  success: boolean;
  count: number;
  total: number;
  page: number;
  per_page: number;
  tickets: Record<string, unknown>[];
}

/**
 * Answers every request to the tickets list from `tickets` as Eventpop would: `page` (default 1)
 * and `per_page` (default 10, capped at `cap`), echoing both. `answer` may rewrite each body, to
 * play a server that contradicts itself. Returns the requests received, in order.
 */
export function serveTickets(
  tickets: readonly Record<string, unknown>[],
  init: { cap?: number; answer?: (body: PageAnswer) => object; organizerId?: number } = {},
): ListRequest[] {
  const requests: ListRequest[] = [];
  const cap = init.cap ?? 100;
  nock(EVENTPOP)
    .persist()
    .get(`/api/public/organizers/${init.organizerId ?? ORGANIZER_ID}/tickets`)
    .query(true)
    .reply(function (uri) {
      const query = new URL(uri, EVENTPOP).searchParams;
      const header = this.req.headers.authorization;
      requests.push({ query, authorization: Array.isArray(header) ? header.join(', ') : header });
      const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
      const perPage = Math.min(cap, Math.max(1, Number(query.get('per_page') ?? 10) || 10));
      const slice = tickets.slice((page - 1) * perPage, page * perPage);
      const body: PageAnswer = {
        success: true,
        count: slice.length,
        total: tickets.length,
        page,
        per_page: perPage,
        tickets: [...slice],
      };
      return [
        200,
        init.answer ? init.answer(body) : body,
        { 'Content-Type': 'application/json; charset=utf-8' },
      ];
    });
  return requests;
}
