// End to end in headless Chromium: the demo app's home, Eventpop's (emulated) consent page, the profile, logging out and the refusal page.
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { NO_TICKETS, type RunningDemo, startDemo, TEST_USERS, TICKET_HOLDER } from '../helpers/demo-app';

const SCREENSHOTS = path.resolve(__dirname, '../../screenshots');

describe('the demo app in a real browser (headless Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    demo = await startDemo();
  });

  after(async () => {
    await Promise.all([browser?.close(), demo?.close()]);
  });

  /**
   * A fresh browser profile (no cookies) whose only network is loopback: the avatars come from the
   * emulator, like everything else.
   */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 900, height: 720 } });
    context.setDefaultTimeout(10_000);
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    return { context, page: await context.newPage() };
  }

  /** Opens the home page, clicks "Login with Eventpop" and waits for the consent page. */
  async function toConsent(page: Page): Promise<void> {
    await page.goto(demo.appURL);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'home.png'), fullPage: true });
    await page.getByRole('link', { name: 'Login with Eventpop' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${demo.emu.url}/oauth/authorize?`));
  }

  describe('signing in as the user chosen on the consent page', () => {
    const chosen = TEST_USERS[1]!;
    let name: string | null;
    /** The profile page's <img> as the browser loaded it. */
    let avatar: { src: string; naturalWidth: number };
    /** After clicking "Log out" (which lands on the home page): what it showed, what /profile did next. */
    let loggedOut: {
      loginLink: boolean;
      profileURL: string;
      revocations: (number | undefined)[];
    };

    before(async () => {
      const { context, page } = await newPage();
      try {
        await toConsent(page);
        await page.getByLabel(chosen.full_name!).check();
        await page.screenshot({ path: path.join(SCREENSHOTS, 'consent.png'), fullPage: true });
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL(`${demo.appURL}/profile`);
        avatar = await page.locator('.avatar img').evaluate(async (element) => {
          const img = element as unknown as {
            decode(): Promise<void>;
            currentSrc: string;
            naturalWidth: number;
          };
          // decode() rejects for an image that failed (or was blocked): naturalWidth then stays 0.
          await img.decode().catch(() => {});
          return { src: img.currentSrc, naturalWidth: img.naturalWidth };
        });
        await page.screenshot({ path: path.join(SCREENSHOTS, 'profile.png'), fullPage: true });
        await page.setViewportSize({ width: 390, height: 700 });
        await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-mobile.png'), fullPage: true });
        name = await page.locator('#name').textContent();

        const revokedBefore = demo.emu.requests.filter((r) => r.endpoint === 'revoke').length;
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.waitForURL(`${demo.appURL}/`);
        const loginLink = await page.getByRole('link', { name: 'Login with Eventpop' }).isVisible();
        await page.goto(`${demo.appURL}/profile`);
        loggedOut = {
          loginLink,
          profileURL: page.url(),
          revocations: demo.emu.requests
            .filter((r) => r.endpoint === 'revoke')
            .slice(revokedBefore)
            .map((r) => r.status),
        };
      } finally {
        await context.close();
      }
    });

    it('shows their profile', () => {
      expect(name).to.equal(chosen.full_name);
    });

    it('logs them out with the Log out button (its form carries the CSRF token), revoking the token', () => {
      expect(loggedOut).to.deep.equal({
        loginLink: true,
        profileURL: `${demo.appURL}/`,
        revocations: [200],
      });
    });

    it("shows their avatar, loaded from the emulator's origin (the demo's CSP allows it)", () => {
      expect(avatar).to.deep.equal({
        src: `${demo.emu.url}/avatars/${chosen.id}/medium.svg`,
        naturalWidth: 256,
      });
    });
  });

  describe('when a page on another port of the same host posts a form to /logout', () => {
    let attacker: http.Server;
    let forged: { url: string; title: string; urlAfter: string };

    before(async () => {
      // Another port of 127.0.0.1 is "same-site": the browser sends the SameSite=Lax cookie with it.
      attacker = http.createServer((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(`<!doctype html><form method="post" action="${demo.appURL}/logout">
<input type="hidden" name="_csrf" value="guessed"></form><script>document.forms[0].submit()</script>`);
      });
      attacker.listen(0, '127.0.0.1');
      await once(attacker, 'listening');
      const { context, page } = await newPage();
      try {
        await toConsent(page);
        await page.getByLabel(TEST_USERS[1]!.full_name!).check();
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL(`${demo.appURL}/profile`);
        await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
        await page.waitForURL((url) => url.origin === demo.appURL);
        await page.waitForLoadState();
        const landed = { url: page.url(), title: await page.title() };
        await page.goto(`${demo.appURL}/profile`);
        forged = { ...landed, urlAfter: page.url() };
      } finally {
        await context.close();
      }
    });

    after(() => {
      attacker?.close();
    });

    it('refuses it and the user stays signed in', () => {
      expect(forged).to.deep.equal({
        url: `${demo.appURL}/logout`,
        title: 'This form did not come from this app · Eventpop login demo',
        urlAfter: `${demo.appURL}/profile`,
      });
    });
  });

  /** Signs in as `userId` on the consent page and waits for the profile page. */
  async function signInAs(page: Page, userId: number): Promise<void> {
    await toConsent(page);
    await page.getByLabel(TEST_USERS.find((u) => u.id === userId)?.full_name ?? '').check();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${demo.appURL}/profile`);
  }

  describe("the ticket holders' page", () => {
    it('lists the tickets of a holder (4242) on the profile page, and lets them in', async () => {
      const { context, page } = await newPage();
      try {
        await signInAs(page, TICKET_HOLDER);
        const rows = page.locator('#tickets tbody tr');
        expect(await rows.count()).to.equal(11);
        expect(await rows.first().locator('td').allTextContents()).to.deep.equal([
          'Bangkok Jazz Night 2026',
          'Early bird',
          'BJN4K2',
          'active',
        ]);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-tickets.png'), fullPage: true });
        await page.getByRole('link', { name: "Ticket holders' page" }).click();
        await page.waitForURL(`${demo.appURL}/holders`);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'holders.png'), fullPage: true });
        expect(await page.locator('#title').textContent()).to.equal('Welcome, ticket holder');
        expect(await page.locator('#tickets tbody tr').count()).to.equal(6);
      } finally {
        await context.close();
      }
    });

    it('turns away a user without a ticket (4343) with a page that says why', async () => {
      const { context, page } = await newPage();
      try {
        await signInAs(page, NO_TICKETS);
        expect(await page.locator('#no-tickets').isVisible()).to.equal(true);
        const [answer] = await Promise.all([
          page.waitForResponse(`${demo.appURL}/holders`),
          page.getByRole('link', { name: "Ticket holders' page" }).click(),
        ]);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'not-a-holder.png'), fullPage: true });
        expect(answer.status()).to.equal(403);
        expect(await page.locator('#title').textContent()).to.equal('Ticket holders only');
        expect(await page.getByRole('alert').textContent()).to.include('holds none for it');
      } finally {
        await context.close();
      }
    });
  });

  it('shows the refusal page when the user clicks Deny', async () => {
    const { context, page } = await newPage();
    try {
      await toConsent(page);
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL(`${demo.appURL}/login-refused`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'refused.png'), fullPage: true });
      expect(await page.locator('#title').textContent()).to.equal("You didn't allow access");
    } finally {
      await context.close();
    }
  });
});
