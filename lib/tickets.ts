// Eventpop's tickets list, GET /api/public/organizers/{id}/tickets: one page checked against its request, and every page in turn.
import { fetchWithBearer } from './bearer';
import { EventpopAPIError } from './errors';
import type { ClientConfig, TicketListQuery, TicketPageRequest, TicketPaging } from './options';
import { type EventpopTicket, parseTicketPage } from './ticket';

/**
 * The most pages one listing reads (10,000 tickets at the default 100 a page): a server whose
 * pages never end stops with `too_many_pages` here instead of looping.
 */
export const MAX_TICKET_PAGES = 100;

/** One page of the user's tickets, checked against the request that asked for it. */
export interface EventpopTicketPage {
  /** The page's usable tickets, in Eventpop's order, unfiltered. */
  tickets: EventpopTicket[];
  /** The page number Eventpop applied (it must equal the one asked for). */
  page: number;
  /** The page size Eventpop applied: what was asked, or less where Eventpop caps it. */
  perPage: number;
  /** How many entries the page holds (`tickets.length + skipped`). */
  count: number;
  /** How many tickets match overall, when Eventpop says. */
  total?: number;
  /** The page to ask for next; absent on the last page (a short page, or `page * perPage >= total`). */
  nextPage?: number;
  /** Entries Eventpop sent that were not usable tickets (no usable `id` or `event_id`), left out. */
  skipped: number;
}

function describe(organizerId: number): string {
  return `Eventpop's tickets list for organizer ${organizerId}`;
}

function pageURL(config: ClientConfig, r: TicketPageRequest): URL {
  const url = new URL(`${config.apiBase}/organizers/${r.organizerId}/tickets`);
  url.searchParams.set('page', String(r.page));
  url.searchParams.set('per_page', String(r.perPage));
  // No `q=` filter: it is undocumented; the caller filters by event itself (the documented way).
  if (r.orderBy !== undefined) url.searchParams.set('order_by', r.orderBy);
  if (r.order !== undefined) url.searchParams.set('order', r.order);
  return url;
}

function inconsistent(organizerId: number, page: number, detail: string): EventpopAPIError {
  return new EventpopAPIError(
    `${describe(organizerId)} contradicted itself on page ${page}: ${detail}. ` +
      'Its pages cannot be trusted to be complete; try again later.',
    { code: 'inconsistent_pages', status: 200 },
  );
}

function tooManyPages(organizerId: number, detail: string): EventpopAPIError {
  return new EventpopAPIError(
    `${describe(organizerId)} ${detail}, more than the limit of ${MAX_TICKET_PAGES} pages; ` +
      'stopped rather than read on. Ask for a larger perPage (up to 1000) if the user really holds that many.',
    { code: 'too_many_pages', status: 200 },
  );
}

/**
 * Requests one page with the token in the `Authorization` header and checks the answer against
 * the request: the page number echoed, `count` against the entries, the entries against
 * `per_page` and, when Eventpop gives a `total`, against what this page must then hold.
 * @internal
 */
export async function requestTicketPage(
  config: ClientConfig,
  accessToken: string,
  r: TicketPageRequest,
): Promise<EventpopTicketPage> {
  const what = describe(r.organizerId);
  const url = pageURL(config, r);
  const res = await fetchWithBearer(
    config,
    {
      what,
      url,
      unauthorized:
        'it is invalid, expired or revoked, or this application was issued for another organizer than ' +
        `${r.organizerId} (Eventpop issues applications per organizer). Refresh the token or sign the user ` +
        "in again; if that does not help, check that organizerId is your application's organizer.",
      rateLimited: 'Eventpop documents no rate limit for this list, but asks to slow down.',
    },
    accessToken,
    (answer) => answer,
  );
  const parsed = parseTicketPage(res.body, res.status);
  const fault = (detail: string) => inconsistent(r.organizerId, r.page, detail);
  if (parsed.page !== undefined && parsed.page !== r.page) {
    throw fault(`asked for page ${r.page}, it answered page ${parsed.page}`);
  }
  const perPage = parsed.perPage ?? r.perPage;
  const count = parsed.entries;
  if (parsed.count !== undefined && parsed.count !== count) {
    throw fault(`"count" says ${parsed.count} tickets but the page holds ${count}`);
  }
  if (count > perPage) throw fault(`the page holds ${count} tickets, more than "per_page" ${perPage}`);
  const { total } = parsed;
  const page: EventpopTicketPage = {
    tickets: parsed.tickets,
    page: r.page,
    perPage,
    count,
    skipped: parsed.skipped,
  };
  if (total !== undefined) {
    const expected = Math.max(0, Math.min(perPage, total - (r.page - 1) * perPage));
    if (count !== expected) {
      throw fault(
        `"total" says ${total} tickets, so this page of ${perPage} should hold ${expected}; it holds ${count}`,
      );
    }
    page.total = total;
    if (r.page * perPage < total) page.nextPage = r.page + 1;
  } else if (count === perPage && count > 0) {
    // No total: only a short page says the list ended.
    page.nextPage = r.page + 1;
  }
  return page;
}

/**
 * Every page of the list, one after the other, each requested once: page 1 at once, then the
 * next while a page names one. Later pages must agree with the first on `per_page` and `total`
 * and repeat no ticket; past {@link MAX_TICKET_PAGES} the listing stops with `too_many_pages`.
 * @internal
 */
export async function* ticketPages(
  config: ClientConfig,
  accessToken: string,
  query: TicketPaging,
): AsyncGenerator<EventpopTicketPage, void, undefined> {
  const { organizerId } = query;
  const seen = new Set<number>();
  let request: TicketPageRequest = { ...query, page: 1 };
  let first: EventpopTicketPage | undefined;
  for (;;) {
    const page = await requestTicketPage(config, accessToken, request);
    const fault = (detail: string) => inconsistent(organizerId, page.page, detail);
    if (first === undefined) {
      first = page;
      const pages = page.total === undefined ? 0 : Math.ceil(page.total / page.perPage);
      if (pages > MAX_TICKET_PAGES) {
        throw tooManyPages(organizerId, `says ${page.total} tickets, ${pages} pages of ${page.perPage}`);
      }
    } else {
      if (page.perPage !== first.perPage)
        throw fault(`"per_page" changed from ${first.perPage} to ${page.perPage}`);
      if (page.total !== first.total)
        throw fault(`"total" changed from ${first.total ?? 'none'} to ${page.total ?? 'none'}`);
    }
    for (const ticket of page.tickets) {
      if (seen.has(ticket.id)) throw fault(`ticket ${ticket.id} was already on an earlier page`);
      seen.add(ticket.id);
    }
    yield page;
    if (page.nextPage === undefined) return;
    if (page.nextPage > MAX_TICKET_PAGES) {
      throw tooManyPages(
        organizerId,
        `had more after page ${MAX_TICKET_PAGES} (${page.perPage} tickets a page)`,
      );
    }
    // Ask for the size Eventpop applied, so that the request and the page arithmetic agree.
    request = { ...request, page: page.nextPage, perPage: first.perPage };
  }
}

/** Every ticket of every page that `query.selects` lets through (all of them without it). @internal */
export async function* selectedTickets(
  config: ClientConfig,
  accessToken: string,
  query: TicketListQuery,
): AsyncGenerator<EventpopTicket, void, undefined> {
  const { selects } = query;
  for await (const page of ticketPages(config, accessToken, query)) {
    for (const ticket of page.tickets) if (selects === undefined || selects(ticket)) yield ticket;
  }
}

/**
 * The selected tickets, as an array. The first page's request is sent before this returns its
 * promise, so a caller can send another request alongside. @internal
 */
export async function collectTickets(
  config: ClientConfig,
  accessToken: string,
  query: TicketListQuery,
): Promise<EventpopTicket[]> {
  const out: EventpopTicket[] = [];
  for await (const ticket of selectedTickets(config, accessToken, query)) out.push(ticket);
  return out;
}
