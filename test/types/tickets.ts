// Type tests for the tickets option, profile.tickets, listTickets and fetchTicketPage: checked by `tsc -p test/tsconfig.json` and by test/strategy-types.test.ts.
import {
  type EventpopProfile,
  type EventpopProfileWithTickets,
  type EventpopStrategyOptions,
  type EventpopTicket,
  type EventpopTicketPage,
  type EventpopVerifyFunction,
  type EventpopVerifyFunctionWithParams,
  fetchTicketPage,
  listTickets,
  Strategy,
} from '../../lib';
import { expectNotAny, expectType } from './verify-forms';

const options = { clientID: 'id', clientSecret: 'secret', callbackURL: '/auth/eventpop/callback' };

// With the tickets option, profile.tickets is there: no ?. needed.
new Strategy(
  { ...options, tickets: { organizerId: 1017, eventId: 7210, required: true } },
  (_accessToken, _refreshToken, profile, done) => {
    expectType<EventpopTicket[]>(expectNotAny(profile.tickets));
    expectType<EventpopProfileWithTickets>(profile);
    const [ticket] = profile.tickets;
    expectType<number | undefined>(ticket?.id);
    done(null, { id: profile.id, codes: profile.tickets.map((t) => t.referenceCode) });
  },
);

// Without it, profile.tickets may be absent.
new Strategy(options, (_accessToken, _refreshToken, profile, done) => {
  expectType<EventpopTicket[] | undefined>(expectNotAny(profile.tickets));
  // @ts-expect-error without the tickets option there may be no tickets: read them with ?.
  profile.tickets.length;
  done(null, { id: profile.id });
});

// Options whose type leaves tickets optional give the optional profile.
declare const wide: EventpopStrategyOptions;
new Strategy(wide, (_accessToken, _refreshToken, profile, done) => {
  expectType<EventpopTicket[] | undefined>(profile.tickets);
  // @ts-expect-error the options may have no tickets
  profile.tickets.length;
  done();
});

// An options literal typed partly by context (skipUserProfile's parameters) still gets its form.
new Strategy(
  { ...options, skipUserProfile: (accessToken, done) => done(null, accessToken === '') },
  (_accessToken, _refreshToken, profile, done) => {
    expectType<EventpopProfile>(expectNotAny(profile));
    done(null, { id: profile.id });
  },
);

// passReqToCallback and tickets.
new Strategy(
  { ...options, passReqToCallback: true, tickets: { organizerId: 1017 } },
  (_req, _accessToken, _refreshToken, profile, done) => {
    expectType<EventpopTicket[]>(expectNotAny(profile.tickets));
    done(null, { id: profile.id });
  },
);

// The forms with params, typed through their exported types.
const withParams: EventpopVerifyFunctionWithParams<EventpopProfileWithTickets> = (
  _accessToken,
  _refreshToken,
  params,
  profile,
  done,
) => done(null, { id: profile.id, tickets: profile.tickets.length, expiresIn: params.expires_in });
new Strategy({ ...options, tickets: { organizerId: 1017, status: ['active', 'used'] } }, withParams);
// @ts-expect-error a verify that needs profile.tickets needs the tickets option
new Strategy(options, withParams);

// A verify written for any profile works with the tickets option too.
const plain: EventpopVerifyFunction = (_accessToken, _refreshToken, profile, done) =>
  done(null, { id: profile.id });
new Strategy({ ...options, tickets: { organizerId: 1017, eventId: [7210, 7211], perPage: 50 } }, plain);

// A ticket's fields.
declare const ticket: EventpopTicket;
expectType<number>(ticket.id);
expectType<number>(ticket.eventId);
expectType<number | undefined>(ticket.orderId);
expectType<string | undefined>(ticket.status);
expectType<string | undefined>(ticket.referenceCode);
expectType<number | undefined>(ticket.ticketType?.priceSatangs);
expectType<string | undefined>(ticket.ticketType?.price);
expectType<string | undefined>(ticket.usedAt);
expectType<number>(ticket._json.event_id);
// @ts-expect-error ids are numbers, as Eventpop's
expectType<string>(ticket.id);
// @ts-expect-error the normalized ticket is camelCase; Eventpop's own names are in _json
ticket.event_id;

// listTickets yields tickets; fetchTicketPage gives a page.
export async function readTickets(accessToken: string): Promise<void> {
  for await (const t of listTickets(options, accessToken, {
    organizerId: 1017,
    eventId: 7210,
    order: 'desc',
  })) {
    expectType<EventpopTicket>(expectNotAny(t));
  }
  const page = await fetchTicketPage(options, accessToken, {
    organizerId: 1017,
    page: 2,
    orderBy: 'used_at',
  });
  expectType<EventpopTicketPage>(expectNotAny(page));
  expectType<number | undefined>(page.nextPage);
  expectType<number | undefined>(page.total);
  expectType<number>(page.perPage);
}

// Wrong uses that must not compile.

// @ts-expect-error tickets needs organizerId
new Strategy({ ...options, tickets: { eventId: 7210 } }, plain);

// @ts-expect-error organizerId is a number
new Strategy({ ...options, tickets: { organizerId: '1017' } }, plain);

// @ts-expect-error status is an array of statuses
new Strategy({ ...options, tickets: { organizerId: 1017, status: 'active' } }, plain);

// @ts-expect-error a misspelt field is caught (eventID for eventId)
new Strategy({ ...options, tickets: { organizerId: 1017, eventID: 7210 } }, plain);

// @ts-expect-error orders can be sorted by paid_at, tickets cannot
listTickets(options, 'token', { organizerId: 1017, orderBy: 'paid_at' });

// @ts-expect-error listTickets filters; the one-page call does not take eventId
fetchTicketPage(options, 'token', { organizerId: 1017, eventId: 7210 });
