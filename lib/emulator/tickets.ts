// The emulator's tickets: organizers, events and tickets, their validation, and GET /api/public/organizers/{id}/tickets.
import type { IncomingMessage, ServerResponse } from 'node:http';
// Types only: the emulator answers the shape the package parses, and loads nothing of it.
import type { EventpopTicketJSON } from '../ticket';
import { authorizeBearer, publicUser } from './api';
import { send, sendJson } from './http';
import { fail } from './option-error';
import type { EmulatorClient, Store } from './store';

/** An organizer: Eventpop issues each API application for one. */
export interface EmulatorOrganizer {
  id: number;
  name: string;
}

/** An event of an organizer. */
export interface EmulatorEvent {
  id: number;
  organizer_id: number;
  name: string;
}

/**
 * A ticket, in the shape Eventpop's tickets list answers with (the package's
 * `EventpopTicketJSON`), plus `user_id`: the user whose token lists it, never sent. Every other
 * field is answered exactly as given.
 */
export type EmulatorTicket = EventpopTicketJSON & {
  /** The holder. Not part of the answer. */
  user_id: number;
  status: string;
};

/** @internal The ticket data, checked, with what the endpoint needs to answer. */
export interface TicketData {
  readonly organizers: readonly EmulatorOrganizer[];
  readonly events: readonly EmulatorEvent[];
  readonly tickets: readonly EmulatorTicket[];
  /** The largest `per_page` served; larger requests get this many. */
  readonly maxPerPage: number;
}

/** Eventpop's default page size when `per_page` is absent or unusable. */
const defaultPerPage = 10;
const orderKeys = ['id', 'created_at', 'updated_at', 'used_at'] as const;
type OrderKey = (typeof orderKeys)[number];

const ticketsPath = /^\/api\/public\/organizers\/(\d{1,15})\/tickets$/;

/** @internal The organizer id of a tickets-list path, or `undefined` for any other path. */
export function ticketsPathOrganizer(path: string): number | undefined {
  const match = ticketsPath.exec(path);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function uniqueIds<T extends { id: number }>(list: readonly T[], option: string): Set<number> {
  const seen = new Set<number>();
  list.forEach((item, i) => {
    if (!(Number.isSafeInteger(item?.id) && item.id > 0)) fail(`${option}[${i}].id`, 'a positive integer');
    if (seen.has(item.id)) fail(`${option}[${i}].id`, `unique (${item.id} appears twice)`);
    seen.add(item.id);
  });
  return seen;
}

/** @internal Checks the ticket data and the clients' organizers, naming the option that is wrong. */
export function checkTicketData(
  given: { organizers?: unknown; events?: unknown; tickets?: unknown },
  seed: {
    organizers: readonly EmulatorOrganizer[];
    events: readonly EmulatorEvent[];
    tickets: readonly EmulatorTicket[];
  },
  clients: readonly EmulatorClient[],
): Omit<TicketData, 'maxPerPage'> {
  // Seeded data references the seeded organizer and events: take it whole or not at all.
  const own = given.organizers !== undefined || given.events !== undefined || given.tickets !== undefined;
  const list = <T>(value: unknown, fallback: readonly T[], option: string): readonly T[] => {
    if (value === undefined) return own ? [] : fallback;
    if (!Array.isArray(value)) fail(option, 'an array');
    return value as T[];
  };
  const organizers = list<EmulatorOrganizer>(given.organizers, seed.organizers, 'organizers');
  const events = list<EmulatorEvent>(given.events, seed.events, 'events');
  const tickets = list<EmulatorTicket>(given.tickets, seed.tickets, 'tickets');

  const organizerIds = uniqueIds(organizers, 'organizers');
  organizers.forEach((o, i) => {
    if (typeof o.name !== 'string') fail(`organizers[${i}].name`, 'a string');
  });
  const eventIds = uniqueIds(events, 'events');
  events.forEach((e, i) => {
    if (!organizerIds.has(e.organizer_id)) fail(`events[${i}].organizer_id`, 'the id of one of `organizers`');
    if (typeof e.name !== 'string') fail(`events[${i}].name`, 'a string');
  });
  uniqueIds(tickets, 'tickets');
  tickets.forEach((t, i) => {
    if (!eventIds.has(t.event_id)) fail(`tickets[${i}].event_id`, 'the id of one of `events`');
    if (!Number.isSafeInteger(t.user_id)) fail(`tickets[${i}].user_id`, 'a user id (an integer)');
    if (typeof t.status !== 'string' || t.status === '')
      fail(`tickets[${i}].status`, 'a status such as "active"');
  });
  clients.forEach((c, i) => {
    if (c.organizerId !== undefined && !organizerIds.has(c.organizerId)) {
      fail(`clients[${i}].organizerId`, 'the id of one of `organizers`');
    }
  });

  return {
    organizers: structuredClone(organizers),
    events: structuredClone(events),
    tickets: structuredClone(tickets),
  };
}

/** A positive integer query parameter, else `fallback` (Kaminari reads junk as the default). */
function positiveParam(value: string | null, fallback: number): number {
  if (value === null || !/^\d{1,9}$/.test(value.trim())) return fallback;
  const n = Number(value.trim());
  return n >= 1 ? n : fallback;
}

/** Sorts like PostgreSQL: nulls last ascending, first descending; ties by id. */
function compare(key: OrderKey, direction: 1 | -1): (a: EmulatorTicket, b: EmulatorTicket) => number {
  const value = (t: EmulatorTicket): number | undefined => {
    if (key === 'id') return t.id;
    const text = t[key];
    const time = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    return Number.isNaN(time) ? undefined : time;
  };
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === undefined || y === undefined) {
      if (x === y) return (a.id - b.id) * direction;
      return (x === undefined ? 1 : -1) * direction;
    }
    return (x - y || a.id - b.id) * direction;
  };
}

/**
 * @internal `GET /api/public/organizers/{id}/tickets`: the token's user's tickets for that organizer's
 * events. A refused token is Doorkeeper's `401`; an app token or one without `public`, `403`; a
 * token of a client registered for another organizer, `401` with an empty body (Eventpop issues
 * applications per organizer). `page`, `per_page` (capped), `order_by` and `order` as Eventpop
 * documents them; no other filter.
 */
export function handleTickets(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  store: Store,
  data: TicketData,
  organizerId: number,
): void {
  const record = authorizeBearer(req, res, query, store);
  if (record === undefined) return;
  const user = publicUser(record, store);
  if (user === undefined) {
    send(res, 403, '');
    return;
  }
  const userId = user.id;
  const client = store.clients.get(record.clientId);
  // A client registered without an organizer belongs to the first one, as every Eventpop app has one.
  if ((client?.organizerId ?? data.organizers[0]?.id) !== organizerId) {
    send(res, 401, '');
    return;
  }

  const events = new Set(data.events.filter((e) => e.organizer_id === organizerId).map((e) => e.id));
  const key = orderKeys.find((k) => k === query.get('order_by')) ?? 'id';
  const held = data.tickets
    .filter((t) => t.user_id === userId && events.has(t.event_id))
    .sort(compare(key, query.get('order') === 'desc' ? -1 : 1));
  const page = positiveParam(query.get('page'), 1);
  const perPage = Math.min(data.maxPerPage, positiveParam(query.get('per_page'), defaultPerPage));
  const slice = held
    .slice((page - 1) * perPage, page * perPage)
    .map(({ user_id: _holder, ...ticket }) => ticket);
  sendJson(
    res,
    200,
    { success: true, count: slice.length, total: held.length, page, per_page: perPage, tickets: slice },
    { 'Cache-Control': 'max-age=0, private, must-revalidate' },
  );
}
