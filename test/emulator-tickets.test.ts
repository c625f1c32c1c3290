// The emulator's tickets list over real sockets: the user's own tickets for the organizer's events, paging, order, refusals, faults, options; and the package reading it.
import { expect } from 'chai';
import { type EventpopTicket, listTickets } from '../lib';
import {
  createEmulator,
  defaultClient,
  defaultEvents,
  defaultTickets,
  type Emulator,
  type EmulatorOptions,
  type EmulatorTicket,
} from '../lib/emulator/index';
import { demoClientOptions, login, optionsRefusal, postForm, tickets } from './fixtures/emulator/client';
import type { PageAnswer } from './helpers/tickets';

/** A page of the list as the emulator answers it. */
type ListBody = PageAnswer;

async function page(res: Response): Promise<ListBody> {
  expect(res.status).to.equal(200);
  return (await res.json()) as ListBody;
}

/** A seeded ticket as the list answers it: every field as seeded, without the holder. */
function answered(ticket: EmulatorTicket): Record<string, unknown> {
  const { user_id: _holder, ...rest } = ticket;
  return rest;
}

/** The ids of a page's tickets. */
function ids(body: ListBody): unknown[] {
  return body.tickets.map((t) => t.id);
}

/** Starts an emulator, runs `body` with it, and closes it. */
async function withEmulator(options: EmulatorOptions, body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await createEmulator(options);
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

describe('emulator: GET /api/public/organizers/{id}/tickets', () => {
  let emu: Emulator;
  let token4242: string;
  before(async () => {
    emu = await createEmulator({ profileRateLimit: 0 });
    token4242 = (await login(emu, {}, 4242)).access_token;
  });
  after(() => emu.close());
  afterEach(() => emu.clearFaults());

  describe('the default data', () => {
    it("answers user 4242's first page of 10 of 12 tickets, in Eventpop's shape, by id", async () => {
      const res = await tickets(emu, token4242);
      expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
      const body = await page(res);
      const seeded = defaultTickets.filter((t) => t.user_id === 4242).sort((a, b) => a.id - b.id);
      expect(body).to.deep.equal({
        success: true,
        count: 10,
        total: 12,
        page: 1,
        per_page: 10,
        tickets: seeded.slice(0, 10).map(answered),
      });
    });

    it('answers the last 2 on page 2', async () => {
      const body = await page(await tickets(emu, token4242, { page: '2' }));
      expect([body.count, body.total, body.page, ids(body)]).to.deep.equal([2, 12, 2, [911, 912]]);
    });

    it('holds tickets for both events, active, used and one revoked', () => {
      const mine = defaultTickets.filter((t) => t.user_id === 4242);
      expect(new Set(mine.map((t) => t.event_id))).to.deep.equal(new Set(defaultEvents.map((e) => e.id)));
      expect(mine.filter((t) => t.status === 'revoked').length).to.equal(1);
      expect(new Set(mine.map((t) => t.status))).to.deep.equal(new Set(['active', 'used', 'revoked']));
    });

    it('answers user 4343 an empty list', async () => {
      const { access_token } = await login(emu, {}, 4343);
      const body = await page(await tickets(emu, access_token));
      expect(body).to.deep.equal({ success: true, count: 0, total: 0, page: 1, per_page: 10, tickets: [] });
    });

    it('registers the default client for the default organizer', () => {
      expect(defaultClient.organizerId).to.equal(1017);
    });
  });

  describe('paging and order', () => {
    it('serves per_page as asked, up to the cap of 100', async () => {
      const five = await page(await tickets(emu, token4242, { per_page: '5', page: '3' }));
      expect([five.per_page, five.page, ids(five)]).to.deep.equal([5, 3, [911, 912]]);
      const capped = await page(await tickets(emu, token4242, { per_page: '500' }));
      expect([capped.per_page, capped.count]).to.deep.equal([100, 12]);
    });

    it('reads junk page and per_page as the defaults, as Kaminari does', async () => {
      const body = await page(await tickets(emu, token4242, { page: 'x', per_page: '-5' }));
      expect([body.page, body.per_page]).to.deep.equal([1, 10]);
    });

    it('answers an empty page past the end', async () => {
      const body = await page(await tickets(emu, token4242, { page: '9' }));
      expect([body.count, body.total, body.tickets]).to.deep.equal([0, 12, []]);
    });

    it('sorts by created_at, newest first, with order=desc (ties by id)', async () => {
      const body = await page(
        await tickets(emu, token4242, { order_by: 'created_at', order: 'desc', per_page: '100' }),
      );
      expect(ids(body)).to.deep.equal([912, 911, 910, 906, 904, 909, 908, 903, 902, 901, 905, 907]);
    });

    it('sorts by used_at with the unused last ascending and first descending, as PostgreSQL does', async () => {
      const asc = await page(await tickets(emu, token4242, { order_by: 'used_at', per_page: '100' }));
      expect(ids(asc).slice(0, 3)).to.deep.equal([907, 905, 901]);
      const desc = await page(
        await tickets(emu, token4242, { order_by: 'used_at', order: 'desc', per_page: '100' }),
      );
      expect(ids(desc).slice(-2)).to.deep.equal([905, 907]);
    });

    it('ignores an unknown order_by and the undocumented q filter', async () => {
      const body = await page(
        await tickets(emu, token4242, { order_by: 'paid_at', q: '{"event_id":7211}', per_page: '100' }),
      );
      expect(body.total).to.equal(12);
      expect(ids(body)).to.deep.equal(defaultTickets.map((t) => t.id).sort((a, b) => a - b));
    });

    it('follows maxTicketsPerPage', async () => {
      await withEmulator({ maxTicketsPerPage: 3 }, async (small) => {
        const { access_token } = await login(small, {}, 4242);
        const body = await page(await tickets(small, access_token, { per_page: '10' }));
        expect([body.per_page, body.count, body.total]).to.deep.equal([3, 3, 12]);
      });
    });
  });

  describe('refusals', () => {
    it('answers a missing or unknown token with 401 and Doorkeeper’s WWW-Authenticate', async () => {
      const res = await tickets(emu, 'f'.repeat(64));
      expect([res.status, await res.text()]).to.deep.equal([401, '']);
      expect(res.headers.get('www-authenticate')).to.equal(
        'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"',
      );
    });

    it('answers an expired token with 401 "expired"', async () => {
      const { access_token } = await login(emu, {}, 4242);
      emu.expireToken(access_token);
      const res = await tickets(emu, access_token);
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.include('The access token expired');
    });

    it('answers a token without the public scope with 403 and an empty body', async () => {
      const { access_token } = await login(emu, { scope: 'organizer' }, 4242);
      const res = await tickets(emu, access_token);
      expect([res.status, await res.text()]).to.deep.equal([403, '']);
    });

    it('answers an app token (client credentials, no user) with 403', async () => {
      const res = await postForm(emu, '/oauth/token', {
        grant_type: 'client_credentials',
        client_id: defaultClient.clientId,
        client_secret: defaultClient.clientSecret,
        scope: 'public',
      });
      const { access_token } = (await res.json()) as { access_token: string };
      expect((await tickets(emu, access_token)).status).to.equal(403);
    });

    it("answers 401 with an empty body for another organizer's list (the client belongs to 1017)", async () => {
      const res = await tickets(emu, token4242, {}, 9999);
      expect([res.status, await res.text(), res.headers.get('www-authenticate')]).to.deep.equal([
        401,
        '',
        null,
      ]);
    });

    it('answers POST with 404 (the route is GET only)', async () => {
      const res = await fetch(`${emu.url}/api/public/organizers/1017/tickets`, { method: 'POST' });
      expect(res.status).to.equal(404);
    });
  });

  describe('faults and the request log', () => {
    it('injects faults into the tickets endpoint, for any organizer', async () => {
      emu.inject('tickets', { status: 503, body: 'down', times: 1 });
      expect((await tickets(emu, token4242, {}, 5)).status).to.equal(503);
      expect((await tickets(emu, token4242)).status).to.equal(200);
    });

    it('cuts a tickets body in half with malformedJSON', async () => {
      emu.inject('tickets', { malformedJSON: true, times: 1 });
      const res = await tickets(emu, token4242);
      const text = await res.text();
      expect([res.status, text.startsWith('{"success":true')]).to.deep.equal([200, true]);
      expect(() => JSON.parse(text)).to.throw(SyntaxError);
    });

    it('counts and logs tickets requests, without their query', async () => {
      emu.clearRequests();
      await tickets(emu, token4242, { page: '2', per_page: '5' });
      expect(emu.counts.tickets).to.equal(1);
      expect(emu.requests).to.deep.equal([
        { endpoint: 'tickets', method: 'GET', path: '/api/public/organizers/1017/tickets', status: 200 },
      ]);
    });
  });
});

describe('emulator: ticket data options', () => {
  const organizers = [
    { id: 1, name: 'One' },
    { id: 2, name: 'Two' },
  ];
  const events = [
    { id: 10, organizer_id: 1, name: 'One A' },
    { id: 20, organizer_id: 2, name: 'Two A' },
  ];
  const seeded: EmulatorTicket[] = [
    { id: 100, event_id: 10, user_id: 4242, status: 'active' },
    { id: 101, event_id: 20, user_id: 4242, status: 'active' },
    { id: 102, event_id: 10, user_id: 4343, status: 'active' },
    { id: 103, event_id: 10, user_id: 4242, status: 'used', reference_code: 'X1' },
  ];
  const clients = [
    { ...defaultClient, organizerId: 1 },
    { ...defaultClient, clientId: 'second', organizerId: 2 },
  ];

  it("lists only the token user's tickets for the events of the client's organizer, as seeded", async () => {
    await withEmulator({ organizers, events, tickets: seeded, clients }, async (emu) => {
      const { access_token } = await login(emu, {}, 4242);
      const body = await page(await tickets(emu, access_token, {}, 1));
      expect(body.tickets).to.deep.equal([
        { id: 100, event_id: 10, status: 'active' },
        { id: 103, event_id: 10, status: 'used', reference_code: 'X1' },
      ]);
      expect((await tickets(emu, access_token, {}, 2)).status, 'organizer 2 is another app’s').to.equal(401);
    });
  });

  it('seeds no default tickets when any ticket data is given', async () => {
    await withEmulator({ organizers: [{ id: 1017, name: 'Mine' }] }, async (emu) => {
      const { access_token } = await login(emu, {}, 4242);
      expect((await page(await tickets(emu, access_token))).total).to.equal(0);
    });
  });

  const refusals: readonly [string, EmulatorOptions, string][] = [
    [
      'an event of an unknown organizer',
      { organizers, events: [{ id: 1, organizer_id: 3, name: 'x' }] },
      'events[0].organizer_id',
    ],
    [
      'a ticket of an unknown event',
      { organizers, events, tickets: [{ id: 1, event_id: 99, user_id: 1, status: 'active' }] },
      'tickets[0].event_id',
    ],
    [
      'a ticket without a status',
      { organizers, events, tickets: [{ id: 1, event_id: 10, user_id: 1, status: '' }] },
      'tickets[0].status',
    ],
    [
      'a ticket without a holder',
      { organizers, events, tickets: [{ id: 1, event_id: 10, status: 'active' } as never] },
      'tickets[0].user_id',
    ],
    ['two tickets with one id', { organizers, events, tickets: [seeded[0]!, seeded[0]!] }, 'tickets[1].id'],
    ['an organizer id of 0', { organizers: [{ id: 0, name: 'x' }] }, 'organizers[0].id'],
    [
      'a client of an unknown organizer',
      { clients: [{ ...defaultClient, organizerId: 5 }] },
      'clients[0].organizerId',
    ],
    [
      'a client organizerId that is not an integer',
      { clients: [{ ...defaultClient, organizerId: 1.5 }] },
      'clients[0].organizerId',
    ],
    ['maxTicketsPerPage 0', { maxTicketsPerPage: 0 }, 'maxTicketsPerPage'],
  ];
  for (const [what, options, option] of refusals) {
    it(`refuses ${what} with a TypeError naming ${option}`, async () => {
      const err = await optionsRefusal(options);
      expect(err).to.be.instanceOf(TypeError);
      expect(err.message).to.include(`option \`${option}\``);
    });
  }
});

describe('the package against the emulator: listTickets', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({ maxTicketsPerPage: 5 });
  });
  after(() => emu.close());

  async function all(query: Parameters<typeof listTickets>[2], userId = 4242): Promise<EventpopTicket[]> {
    const { access_token } = await login(emu, {}, userId);
    const out: EventpopTicket[] = [];
    for await (const ticket of listTickets(demoClientOptions(emu), access_token, query)) out.push(ticket);
    return out;
  }

  it("reads all 12 of user 4242's tickets through a cap of 5 a page, each page once", async () => {
    emu.clearRequests();
    const list = await all({ organizerId: 1017 });
    expect(list.map((t) => t.id)).to.deep.equal(defaultTickets.map((t) => t.id).sort((a, b) => a - b));
    expect(emu.requests.filter((r) => r.endpoint === 'tickets').length).to.equal(3);
  });

  it('keeps the tickets of one event with a status', async () => {
    const list = await all({ organizerId: 1017, eventId: 7210, status: ['active', 'used'] });
    expect(list.map((t) => [t.id, t.status])).to.deep.equal([
      [901, 'active'],
      [902, 'active'],
      [904, 'active'],
      [905, 'used'],
      [906, 'active'],
      [911, 'active'],
    ]);
  });

  it('reads nothing for user 4343', async () => {
    expect(await all({ organizerId: 1017 }, 4343)).to.deep.equal([]);
  });
});
