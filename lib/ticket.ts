// Pure: the body of Eventpop's tickets list -> normalized EventpopTickets and the page's metadata (no I/O).
import { EventpopAPIError } from './errors';
import { describeJSONProblem, isJSONObject, readJSON, trimmedText } from './json';

/**
 * A ticket as Eventpop's `GET /api/public/organizers/{id}/tickets` sends it (observed shape; the
 * published schema types `ticket_type.id`, `price` and `price_satangs` as strings, real answers
 * carry numbers for `id` and `price_satangs`). Values are unchecked: prefer {@link EventpopTicket}'s
 * normalized fields.
 */
export interface EventpopTicketJSON {
  id: number;
  order_id?: number | null;
  event_id: number;
  /** `active`, `used` (checked in), `revoked`, ... */
  status?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  email?: string | null;
  phone?: string | null;
  reference_code?: string | null;
  kind?: string | null;
  ticket_type?: {
    id?: number | string | null;
    name?: string | null;
    price?: string | null;
    price_satangs?: number | string | null;
    kind?: string | null;
  } | null;
  price_label?: string | null;
  forms?: unknown[] | null;
  /** ISO 8601. */
  created_at?: string | null;
  updated_at?: string | null;
  used_at?: string | null;
  registered_at?: string | null;
  external_id?: string | null;
  revoke_note?: string | null;
}

/** The body of one page of the tickets list, as observed in real integrations. */
export interface EventpopTicketsResponse {
  success?: boolean;
  /** Tickets on this page. */
  count?: number;
  /** Tickets matching overall. */
  total?: number;
  /** The page the server applied. */
  page?: number;
  /** The page size the server applied (it may cap what was asked). */
  per_page?: number;
  tickets: EventpopTicketJSON[];
}

/** A ticket's type, normalized. Fields Eventpop left absent, `null` or unusable are absent. */
export interface EventpopTicketType {
  id?: number;
  /** e.g. `Early bird`. */
  name?: string;
  /** The price as Eventpop labels it, e.g. `฿500.00`. */
  price?: string;
  /** The price in satangs (hundredths of a baht), e.g. `50000`. */
  priceSatangs?: number;
  /** e.g. `paid`. */
  kind?: string;
}

/**
 * One of the user's Eventpop tickets, parsed and normalized: numbers are numbers (sent as
 * numbers or digit strings), texts are trimmed, timestamps are ISO 8601 strings as Eventpop sent
 * them. A field Eventpop left absent, `null`, empty, of the wrong type or implausibly long is
 * absent here (never `undefined` or `''`).
 */
export interface EventpopTicket {
  /** Eventpop's ticket id. */
  id: number;
  /** The event the ticket admits to. */
  eventId: number;
  orderId?: number;
  /**
   * Lower-cased: `active`, `used` (the holder has checked in: still a genuine attendee),
   * `revoked`, ... Absent when Eventpop sent none (such a ticket never counts at sign-in).
   */
  status?: string;
  /** The code printed on the ticket, e.g. `ABC123`. */
  referenceCode?: string;
  /** e.g. `normal`. */
  kind?: string;
  /** The attendee's name and contact as entered for this ticket (not necessarily the buyer's). */
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  ticketType?: EventpopTicketType;
  /** e.g. `฿500.00`. */
  priceLabel?: string;
  /** ISO 8601, e.g. `2026-03-01T10:00:00+07:00`. */
  createdAt?: string;
  updatedAt?: string;
  /** When the holder checked in; absent until then. */
  usedAt?: string;
  registeredAt?: string;
  externalId?: string;
  revokeNote?: string;
  /** The ticket object as Eventpop sent it, minus any `__proto__` key. */
  _json: EventpopTicketJSON;
}

/** One page as the body states it: what the server echoed is absent when it sent nothing usable. @internal */
export interface ParsedTicketPage {
  readonly tickets: EventpopTicket[];
  /** Entries of the body's `tickets` array, usable or not. */
  readonly entries: number;
  /** Entries that were not usable tickets (no usable `id` or `event_id`) and were left out. */
  readonly skipped: number;
  readonly page?: number;
  readonly perPage?: number;
  readonly count?: number;
  readonly total?: number;
}

// Longest value kept per field: longer ones are left out rather than cut (a cut value is a wrong
// value). No real name, address, code or label comes near these.
const LIMITS = { name: 512, email: 320, phone: 64, code: 128, label: 128, note: 2048, kind: 64 } as const;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** A code or label: a string, or a number sent where a string was expected (`"reference_code": 123456`). */
function label(value: unknown, limit: number): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return trimmedText(value, limit);
}

/** A non-negative integer, sent as a number or as a digit string (the published schema's strings). */
function whole(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function id(value: unknown): number | undefined {
  const n = whole(value);
  return n === undefined || n === 0 ? undefined : n;
}

function timestamp(value: unknown): string | undefined {
  const candidate = trimmedText(value, 40);
  return candidate !== undefined && ISO_8601.test(candidate) && !Number.isNaN(Date.parse(candidate))
    ? candidate
    : undefined;
}

/**
 * Statuses are compared with the `status` option, and the default rule ("every status but
 * revoked") excludes one: a `Revoked` that slipped through unnormalized would count. Lower-case
 * identifiers only; anything else is left out, and a ticket without a status never counts.
 */
function ticketStatus(value: unknown): string | undefined {
  const candidate = trimmedText(value, LIMITS.kind)?.toLowerCase();
  return candidate !== undefined && /^[a-z][a-z0-9_-]*$/.test(candidate) ? candidate : undefined;
}

/** Copies the defined values only, so that absent fields are absent keys. */
function defined<T extends object>(target: T, fields: { [K in keyof T]?: T[K] | undefined }): T {
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const value = fields[key];
    if (value !== undefined) target[key] = value as T[keyof T];
  }
  return target;
}

function ticketType(value: unknown): EventpopTicketType | undefined {
  if (!isJSONObject(value)) return undefined;
  const type = defined<EventpopTicketType>(
    {},
    {
      id: id(value.id),
      name: trimmedText(value.name, LIMITS.name),
      price: label(value.price, LIMITS.label),
      priceSatangs: whole(value.price_satangs),
      kind: trimmedText(value.kind, LIMITS.kind),
    },
  );
  return Object.keys(type).length === 0 ? undefined : type;
}

/**
 * @internal Builds one ticket from an entry of the list; `undefined` for an entry that is not an object or
 * has no usable `id` or `event_id` (such a ticket cannot be matched to an event, so it cannot
 * count).
 */
export function parseTicket(value: unknown): EventpopTicket | undefined {
  if (!isJSONObject(value)) return undefined;
  const ticketId = id(value.id);
  const eventId = id(value.event_id);
  if (ticketId === undefined || eventId === undefined) return undefined;
  return defined<EventpopTicket>(
    { id: ticketId, eventId, _json: value as unknown as EventpopTicketJSON },
    {
      orderId: id(value.order_id),
      status: ticketStatus(value.status),
      referenceCode: label(value.reference_code, LIMITS.code),
      kind: trimmedText(value.kind, LIMITS.kind),
      firstName: trimmedText(value.firstname, LIMITS.name),
      lastName: trimmedText(value.lastname, LIMITS.name),
      email: trimmedText(value.email, LIMITS.email),
      phone: trimmedText(value.phone, LIMITS.phone),
      ticketType: ticketType(value.ticket_type),
      priceLabel: label(value.price_label, LIMITS.label),
      createdAt: timestamp(value.created_at),
      updatedAt: timestamp(value.updated_at),
      usedAt: timestamp(value.used_at),
      registeredAt: timestamp(value.registered_at),
      externalId: label(value.external_id, LIMITS.code),
      revokeNote: trimmedText(value.revoke_note, LIMITS.note),
    },
  );
}

function invalid(message: string, status: number): EventpopAPIError {
  return new EventpopAPIError(`Eventpop's tickets list answered ${message}`, {
    code: 'invalid_response',
    status,
  });
}

/**
 * @internal Reads one page of the tickets list: the usable tickets, and the metadata the server echoed
 * (`page`, `per_page`, `count`, `total`), each absent when it sent no usable value. Checking the
 * metadata against the request is the caller's job.
 *
 * @throws {EventpopAPIError} `invalid_response` for a body that is not a JSON object with a
 * `tickets` array (or JSON nested too deeply to be checked for `__proto__` keys), or that says
 * `"success": false`.
 */
export function parseTicketPage(body: string, status = 200): ParsedTicketPage {
  const json = readJSON(body);
  if (typeof json === 'string') throw invalid(`${describeJSONProblem(json)}, not a tickets list.`, status);
  if (json.success === false) throw invalid('"success": false.', status);
  if (!Array.isArray(json.tickets)) throw invalid('a body without a "tickets" list.', status);
  const entries: readonly unknown[] = json.tickets;
  const tickets: EventpopTicket[] = [];
  for (const entry of entries) {
    const ticket = parseTicket(entry);
    if (ticket) tickets.push(ticket);
  }
  const page: { -readonly [K in keyof ParsedTicketPage]: ParsedTicketPage[K] } = {
    tickets,
    entries: entries.length,
    skipped: entries.length - tickets.length,
  };
  return defined(page, {
    page: id(json.page),
    perPage: id(json.per_page),
    count: whole(json.count),
    total: whole(json.total),
  });
}
