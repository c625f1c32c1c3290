// The emulator's consent page in headless Chromium: its style applies under its CSP, and no other site can frame it.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createEmulator, type Emulator } from '../lib/emulator/index';
import { authorizeParams } from './fixtures/emulator/client';
import { launchChromium } from './helpers/chromium';

describe('emulator: the consent page in a real browser (headless Chromium)', () => {
  let emu: Emulator;
  let browser: Browser;
  let framer: Server;
  let framerURL: string;
  let consentURL: string;

  before(async () => {
    emu = await createEmulator();
    consentURL = `${emu.url}/oauth/authorize?${new URLSearchParams(authorizeParams())}`;
    // Another site (another port is another origin) that puts the consent page in an iframe.
    framer = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>framer</title><iframe src="${consentURL}"></iframe>`);
    });
    framer.listen(0, '127.0.0.1');
    await once(framer, 'listening');
    framerURL = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    framer?.close();
    await emu?.close();
  });

  it('applies the page’s own style with no CSP violation', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (m) => messages.push(m.text()));
      await page.goto(consentURL);
      const background = await page.evaluate(
        "getComputedStyle(document.querySelector('button[value=allow]')).backgroundColor",
      );
      expect(background, 'the Allow button is Eventpop red').to.equal('rgb(232, 49, 74)');
      expect(messages.filter((m) => m.includes('Content Security Policy'))).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('takes the form as Chromium submits it, even for a state with a line break (sent back as CRLF)', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(5_000);
    try {
      // Nothing listens on the callback: stop there and read where the emulator sent the browser.
      await context.route('http://localhost:3000/**', (route) => route.fulfill({ status: 204 }));
      const page = await context.newPage();
      await page.goto(
        `${emu.url}/oauth/authorize?${new URLSearchParams(authorizeParams({ state: 'a\nb' }))}`,
      );
      const [callback] = await Promise.all([
        page.waitForRequest((r) => r.url().startsWith('http://localhost:3000/')),
        page.click('button[value=allow]'),
      ]);
      const query = new URL(callback.url()).searchParams;
      expect(query.get('code')).to.match(/^[0-9a-f]{64}$/);
      expect(query.get('state')).to.equal('a\r\nb');
    } finally {
      await context.close();
    }
  });

  it('is not shown inside another site’s frame', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const shown = emu.stats().consents;
      await page.goto(framerURL);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame, 'the iframe exists').not.to.equal(undefined);
      expect(await frame?.$('form'), 'the consent form did not load in the frame').to.equal(null);
      expect(emu.stats().consents, 'the emulator did answer the framed request').to.equal(shown + 1);
    } finally {
      await context.close();
    }
  });
});
