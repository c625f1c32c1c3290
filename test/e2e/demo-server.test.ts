// The demo's command line (examples/express/server.mjs) as `npm start` runs it: its own process, its own emulator, PORT=0.
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultUsers } from '../../lib/emulator';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import { signIn, textOf } from '../helpers/demo-app';
import { type Proc, startProcess, stopProcess } from '../helpers/processes';

const SERVER = join(__dirname, '..', '..', 'examples', 'express', 'server.mjs');

describe('the demo server started with PORT=0', () => {
  let proc: Proc | undefined;
  let appURL: string;
  let emulatorURL: string;

  before(async () => {
    const [started, match] = await startProcess(
      process.execPath,
      [SERVER],
      /emulator at (http:\/\/\S+)[\s\S]*open (http:\/\/\S+)/,
      {
        env: {
          PORT: '0',
          HOST: '127.0.0.1',
          SESSION_SECRET: 'demo-server-test-session-secret',
          TRUST_PROXY: 'loopback',
          EVENTPOP_CLIENT_ID: undefined,
          EVENTPOP_CLIENT_SECRET: undefined,
          EVENTPOP_CALLBACK_URL: undefined,
          EVENTPOP_BASE_URL: undefined,
        },
      },
    );
    proc = started;
    [, emulatorURL = '', appURL = ''] = match;
  });

  after(() => stopProcess(proc));

  it('prints a URL with the port it actually listens on', () => {
    expect(appURL).to.match(/^http:\/\/localhost:(?!0\b)\d+$/);
  });

  it('signs a user in through its emulator, the callback URL naming that port', async () => {
    const user = defaultUsers[1]!;
    const steps = await signIn(
      new HttpBrowser(),
      {
        appURL,
        callbackURL: `${appURL}/auth/eventpop/callback`,
        emu: { url: emulatorURL, users: defaultUsers },
      },
      { userId: user.id },
    );
    const page = steps.final as Page;
    expect([page.url, textOf(page.body, 'user-id')]).to.deep.equal([`${appURL}/profile`, String(user.id)]);
  });

  it('reads TRUST_PROXY: behind a trusted proxy that says https, the session cookie is Secure', async () => {
    const page = await new HttpBrowser().open(`${appURL}/auth/eventpop`, {
      follow: false,
      headers: { 'x-forwarded-proto': 'https' },
    });
    const cookie = page.headers.getSetCookie().find((line) => line.startsWith('eventpop-demo.sid='));
    expect(cookie).to.match(/;\s*Secure(?:;|$)/i);
  });
});
