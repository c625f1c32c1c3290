// The emulator's default data: one demo client, two users, and one organizer whose two events user 4242 holds tickets for.
import type { EmulatorClient, EmulatorUser } from './store';
import type { EmulatorEvent, EmulatorOrganizer, EmulatorTicket } from './tickets';

/**
 * The client the emulator registers when `clients` is not given: a confidential client with one
 * redirect URI, the shape Eventpop issues (one callback URL per application).
 */
export const defaultClient: Readonly<EmulatorClient> = Object.freeze({
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  redirectUris: Object.freeze(['http://localhost:3000/auth/eventpop/callback']),
  name: 'Eventpop Demo',
  confidential: true,
  organizerId: 1017,
});

/**
 * The users the emulator offers on its sign-in page when `users` is not given: the first has every
 * field Eventpop's `/api/public/me` returns (with a Thai name, and avatars on the emulator's own
 * `/avatars/` route, which `/api/public/me` answers as absolute URLs), the second only `id` and
 * `email`, like an account that never filled in its profile.
 */
export const defaultUsers: readonly Readonly<EmulatorUser>[] = Object.freeze([
  Object.freeze({
    id: 4242,
    full_name: 'สมชาย ใจดี',
    email: 'somchai@example.com',
    // Served by the emulator itself, so the demo shows a picture without network.
    avatar: '/avatars/4242/medium.svg',
    avatars: Object.freeze({
      original: '/avatars/4242/original.svg',
      medium: '/avatars/4242/medium.svg',
      thumb: '/avatars/4242/thumb.svg',
      tiny: '/avatars/4242/tiny.svg',
    }),
    birthday: '1990-04-13',
    gender: 'male',
    phone: '+66812345678',
  }),
  Object.freeze({ id: 4343, email: 'minimal@example.com' }),
]);

/** The organizer the default client was issued for. */
export const defaultOrganizers: readonly Readonly<EmulatorOrganizer>[] = Object.freeze([
  Object.freeze({ id: 1017, name: 'Eventpop Demo Organizer' }),
]);

/** Its two events. */
export const defaultEvents: readonly Readonly<EmulatorEvent>[] = Object.freeze([
  Object.freeze({ id: 7210, organizer_id: 1017, name: 'Bangkok Jazz Night 2026' }),
  Object.freeze({ id: 7211, organizer_id: 1017, name: 'Chiang Mai Tech Meetup' }),
]);

const ticketTypes = {
  earlyBird: { id: 55, name: 'Early bird', price: '฿500.00', price_satangs: 50000, kind: 'paid' },
  regular: { id: 56, name: 'Regular', price: '฿800.00', price_satangs: 80000, kind: 'paid' },
  vip: { id: 57, name: 'VIP', price: '฿2,500.00', price_satangs: 250000, kind: 'paid' },
  freePass: { id: 60, name: 'Free pass', price: '฿0.00', price_satangs: 0, kind: 'free' },
  supporter: { id: 61, name: 'Supporter', price: '฿300.00', price_satangs: 30000, kind: 'paid' },
} as const;

/** One of user 4242's tickets, in the holder's name unless `extra` says it is a friend's; tickets bought together share an order. */
function held(
  id: number,
  orderId: number,
  eventId: number,
  type: keyof typeof ticketTypes,
  status: 'active' | 'used' | 'revoked',
  referenceCode: string,
  createdAt: string,
  extra: Partial<EmulatorTicket> = {},
): Readonly<EmulatorTicket> {
  const ticketType = ticketTypes[type];
  return Object.freeze({
    id,
    order_id: orderId,
    event_id: eventId,
    user_id: 4242,
    status,
    firstname: 'Somchai',
    lastname: 'Jaidee',
    email: 'somchai@example.com',
    phone: '+66812345678',
    reference_code: referenceCode,
    kind: 'normal',
    ticket_type: { ...ticketType },
    price_label: ticketType.price,
    forms: [],
    created_at: createdAt,
    updated_at: extra.used_at ?? createdAt,
    used_at: null,
    registered_at: null,
    external_id: null,
    revoke_note: null,
    ...extra,
  });
}

/**
 * User 4242's tickets: twelve, more than one page at Eventpop's default `per_page` of 10, for both
 * events, active, used (checked in) and one revoked. User 4343 holds none.
 */
export const defaultTickets: readonly Readonly<EmulatorTicket>[] = Object.freeze([
  held(901, 7701, 7210, 'earlyBird', 'active', 'BJN4K2', '2026-03-01T10:00:00+07:00'),
  held(902, 7701, 7210, 'earlyBird', 'active', 'BJN7Q8', '2026-03-01T10:00:00+07:00', {
    firstname: 'Malee',
    lastname: 'Srisuk',
    email: 'malee@example.com',
    phone: null,
  }),
  held(903, 7702, 7210, 'regular', 'revoked', 'BJN2W5', '2026-03-02T14:20:00+07:00', {
    revoke_note: 'Refunded at the buyer’s request',
  }),
  held(904, 7703, 7210, 'vip', 'active', 'BJN9V1', '2026-03-05T09:15:00+07:00'),
  held(905, 7700, 7210, 'regular', 'used', 'BJN3M6', '2026-02-10T18:45:00+07:00', {
    used_at: '2026-04-18T19:02:00+07:00',
    registered_at: '2026-04-18T19:02:00+07:00',
  }),
  held(906, 7704, 7210, 'regular', 'active', 'BJN8T4', '2026-03-06T11:30:00+07:00'),
  held(907, 7699, 7211, 'freePass', 'used', 'CMT5R3', '2026-01-20T08:00:00+07:00', {
    used_at: '2026-02-07T09:41:00+07:00',
    registered_at: '2026-02-07T09:41:00+07:00',
  }),
  held(908, 7705, 7211, 'freePass', 'active', 'CMT1H9', '2026-03-03T16:05:00+07:00'),
  held(909, 7705, 7211, 'supporter', 'active', 'CMT6D2', '2026-03-03T16:05:00+07:00'),
  held(910, 7706, 7211, 'freePass', 'active', 'CMT4J7', '2026-03-10T12:00:00+07:00', {
    firstname: 'Anan',
    lastname: 'Wongsa',
    email: 'anan@example.com',
    phone: null,
  }),
  held(911, 7707, 7210, 'earlyBird', 'active', 'BJN6P3', '2026-03-12T20:10:00+07:00'),
  held(912, 7708, 7211, 'supporter', 'active', 'CMT8Z5', '2026-03-14T07:55:00+07:00'),
]);
