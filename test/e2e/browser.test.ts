// End to end in headless Chromium: the demo app's home, Eventpop's (emulated) consent page, the profile and the refusal page.
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type RunningDemo, startDemo, TEST_USERS } from '../helpers/demo-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../screenshots');

/** A round placeholder picture for the avatars, which live on a host the tests must not reach. */
function avatarSvg(letter: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ff7a59"/><stop offset="1" stop-color="#e8314a"/></linearGradient></defs>
<rect width="160" height="160" fill="url(#g)"/><text x="80" y="104" font-family="sans-serif" font-size="72" font-weight="700" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
}

describe('the demo app in a real browser (headless Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (CI does).`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [demo, browser] = await Promise.all([
      startDemo(),
      chromium.launch({
        executablePath: CHROMIUM,
        timeout: 15_000,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      }),
    ]);
  });

  after(async () => {
    await Promise.all([browser?.close(), demo?.close()]);
  });

  /** A fresh browser profile (no cookies) whose only network is loopback; avatars are drawn locally. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 900, height: 720 } });
    context.setDefaultTimeout(10_000);
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => {
        const url = new URL(route.request().url());
        const user = TEST_USERS.find((u) => u.avatar === url.href);
        if (user === undefined) return route.abort();
        return route.fulfill({ contentType: 'image/svg+xml', body: avatarSvg(user.full_name?.[0] ?? '?') });
      },
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

  it('signs in as the user chosen on the consent page and shows their profile', async () => {
    const { context, page } = await newPage();
    try {
      await toConsent(page);
      const second = TEST_USERS[1]!;
      await page.getByLabel(second.full_name!).check();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'consent.png'), fullPage: true });
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`${demo.appURL}/profile`);
      await page
        .locator('.avatar img')
        .evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
      await page.screenshot({ path: path.join(SCREENSHOTS, 'profile.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 700 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-mobile.png'), fullPage: true });
      expect(await page.locator('#name').textContent()).to.equal(second.full_name);
    } finally {
      await context.close();
    }
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
