// End to end over HTTP: the demo's tickets (listed on the profile page) and its ticket holders' page, against the emulator on real sockets.
import { expect } from 'chai';
import { defaultTickets, type EmulatorTicket } from '../../lib/emulator';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import {
  countingCodes,
  NO_TICKETS,
  type RunningDemo,
  signIn,
  startDemo,
  TEST_USERS,
  TICKET_HOLDER,
  textOf,
  ticketRows,
} from '../helpers/demo-app';

/** A seeded ticket as the demo shows it: event name, ticket type, reference code, status. */
function row(ticket: EmulatorTicket): string[] {
  const event = ticket.event_id === 7210 ? 'Bangkok Jazz Night 2026' : 'Chiang Mai Tech Meetup';
  const status = ticket.status === 'used' ? 'used (checked in)' : ticket.status;
  return [event, ticket.ticket_type?.name ?? '-', ticket.reference_code ?? '-', status];
}

describe('the demo app: tickets', () => {
  let demo: RunningDemo;
  before(async () => {
    demo = await startDemo();
  });
  after(async () => {
    await demo?.close();
  });
  afterEach(() => {
    demo.emu.clearFaults();
  });

  /** Signs in as `userId` and returns the browser (signed in) and the page it landed on. */
  async function signInAs(userId: number): Promise<{ browser: HttpBrowser; page: Page }> {
    const browser = new HttpBrowser();
    const { final } = await signIn(browser, demo, { userId });
    return { browser, page: final as Page };
  }

  describe('a user who holds tickets (4242)', () => {
    let browser: HttpBrowser;
    let profile: Page;
    let ticketRequests: number;

    before(async () => {
      demo.emu.clearRequests();
      ({ browser, page: profile } = await signInAs(TICKET_HOLDER));
      ticketRequests = demo.emu.counts.tickets;
    });

    it('sees every ticket that counts on the profile page: event, ticket type, reference code, status', () => {
      const counted = defaultTickets.filter((t) => t.user_id === TICKET_HOLDER && t.status !== 'revoked');
      expect(profile.url).to.equal(`${demo.appURL}/profile`);
      expect(ticketRows(profile.body)).to.deep.equal(counted.sort((a, b) => a.id - b.id).map(row));
    });

    it('does not see the revoked ticket', () => {
      const revoked = defaultTickets.find((t) => t.status === 'revoked');
      expect(profile.body).to.not.include(revoked?.reference_code);
    });

    it('cost the sign-in one tickets request (twelve tickets fit one page of 100)', () => {
      expect(ticketRequests).to.equal(1);
    });

    it("gets into the ticket holders' page, which lists their tickets for the event", async () => {
      const page = await browser.open(`${demo.appURL}/holders`);
      expect([page.status, textOf(page.body, 'title'), textOf(page.body, 'event')]).to.deep.equal([
        200,
        'Welcome, ticket holder',
        'Bangkok Jazz Night 2026',
      ]);
      expect(ticketRows(page.body).map((r) => r[2])).to.deep.equal(countingCodes(7210));
    });
  });

  describe('a user who holds none (4343)', () => {
    let browser: HttpBrowser;
    let profile: Page;

    before(async () => {
      ({ browser, page: profile } = await signInAs(NO_TICKETS));
    });

    it('is signed in, and the profile page says they hold no ticket', () => {
      expect(textOf(profile.body, 'name')).to.equal(TEST_USERS.find((u) => u.id === NO_TICKETS)?.full_name);
      expect(textOf(profile.body, 'no-tickets')).to.equal(
        "Your Eventpop account holds no ticket for this organizer's events.",
      );
    });

    it("is refused the ticket holders' page with a 403 page that says why", async () => {
      const page = await browser.open(`${demo.appURL}/holders`);
      expect([page.status, textOf(page.body, 'title')]).to.deep.equal([403, 'Ticket holders only']);
      expect(textOf(page.body, 'why')).to.match(
        /^This page is for people holding a ticket for Bangkok Jazz Night 2026\.\s+Eventpop says the account you signed in with, Ploy Chaiyaporn, holds none for it/,
      );
    });
  });

  it("sends a signed-out visitor from the holders' page home", async () => {
    const page = await new HttpBrowser().open(`${demo.appURL}/holders`, { follow: false });
    expect([page.status, page.location]).to.deep.equal([303, `${demo.appURL}/`]);
  });

  it('fails the sign-in, signing no one in, when the tickets list refuses the token', async () => {
    demo.emu.inject('tickets', { status: 401, times: 1 });
    const { browser, page } = await signInAs(TICKET_HOLDER);
    expect([page.status, textOf(page.body, 'reason')]).to.deep.equal([
      502,
      'EventpopAPIError · invalid_token',
    ]);
    const profile = await browser.open(`${demo.appURL}/profile`, { follow: false });
    expect(profile.status, 'not signed in').to.equal(303);
  });

  describe('with tickets whose fields hold markup', () => {
    let hostileDemo: RunningDemo;
    let page: Page;
    const markup = '<img src=x onerror=alert(1)>';

    before(async () => {
      hostileDemo = await startDemo(
        { tickets: { organizerId: 1, eventId: 10, events: { 10: '<b>Gala</b>' } } },
        {
          organizers: [{ id: 1, name: 'Org' }],
          events: [{ id: 10, organizer_id: 1, name: 'Gala' }],
          tickets: [
            {
              id: 1,
              event_id: 10,
              user_id: 7002,
              status: 'active',
              reference_code: '"><script>alert(2)</script>',
              ticket_type: { name: markup },
            },
          ],
        },
      );
      const browser = new HttpBrowser();
      await signIn(browser, hostileDemo);
      page = await browser.open(`${hostileDemo.appURL}/holders`);
    });

    after(async () => {
      await hostileDemo?.close();
    });

    it('shows every field as text, escaped', () => {
      expect(page.status).to.equal(200);
      expect(ticketRows(page.body)).to.deep.equal([
        ['<b>Gala</b>', markup, '"><script>alert(2)</script>', 'active'],
      ]);
      expect(page.body).not.to.include('<img src=x');
      expect(page.body).not.to.include('<script>');
      expect(page.body).not.to.include('<b>Gala');
    });
  });
});
