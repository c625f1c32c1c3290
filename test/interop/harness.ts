// The interop harness: a browser over the shared cookie jar, the emulator and app servers, and the suite every framework passes.
import { expect } from 'chai';
import { createEmulator, type Emulator, type Fault } from '../../lib/emulator';
import { consentFields } from '../fixtures/emulator/client';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import { closeServer, listeningServer } from '../helpers/listening';
import type { LoginErrorBody, SessionUser, StartApp } from './app-kit';

const CLIENT_ID = 'interop-client';
const CLIENT_SECRET = 'interop-secret';
/** Each strategy's timeout: short, so that a hung token endpoint fails the login quickly. */
export const STRATEGY_TIMEOUT_MS = 1000;

/**
 * One request at a time, redirects not followed: the shared cookie-keeping {@link HttpBrowser}
 * (all servers here are 127.0.0.1, so one jar; ports do not isolate cookies).
 */
export class Browser {
  private readonly http = new HttpBrowser();

  get(url: string): Promise<Page> {
    return this.http.open(url, { follow: false });
  }

  postForm(url: string, form: URLSearchParams): Promise<Page> {
    return this.http.open(url, { form, follow: false });
  }
}

/** A running app under test and the emulator it signs in with. */
export interface Interop {
  readonly appURL: string;
  readonly emu: Emulator;
  close(): Promise<void>;
}

/**
 * Listens first (so the callback URL's port is known), starts the emulator with a client whose
 * redirect URIs are the app's callbacks, then starts the app on the listening server.
 */
export async function startInterop(startApp: StartApp): Promise<Interop> {
  const { server, url: appURL } = await listeningServer();
  const callbackURL = `${appURL}/auth/eventpop/callback`;
  // The NestJS app's second strategy (its validate gets the token params) has its own callback.
  const paramsCallbackURL = `${appURL}/auth/eventpop-params/callback`;
  const emu = await createEmulator({
    port: 0,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [callbackURL, paramsCallbackURL],
        name: 'Interop',
      },
    ],
  });
  const app = await startApp(server, {
    strategy: {
      clientID: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      baseURL: emu.url,
      callbackURL,
      timeout: STRATEGY_TIMEOUT_MS,
    },
  });
  return {
    appURL,
    emu,
    async close() {
      await app.close();
      await closeServer(server);
      await emu.close();
    },
  };
}

/** What the user does on Eventpop's consent page. */
export type Decision = 'allow' | 'deny';

/**
 * Goes through a login as a browser would: the app's login route, the emulator's consent page,
 * the form's Allow or Deny (as the first seeded user), and back to the app's callback. Returns the
 * app's answer to the callback.
 */
export async function login(
  browser: Browser,
  interop: Interop,
  decision: Decision,
  loginPath = '/auth/eventpop',
): Promise<Page> {
  const start = await browser.get(`${interop.appURL}${loginPath}`);
  expect(start.status, 'the login route redirects to Eventpop').to.equal(302);
  expect(start.location).to.match(new RegExp(`^${interop.emu.url}/oauth/authorize\\?`));
  const consent = await browser.get(start.location ?? '');
  expect(consent.status, 'the emulator shows its consent page').to.equal(200);
  const form = consentFields(consent.body);
  form.set('user_id', String(interop.emu.users[0]?.id));
  form.set('decision', decision);
  const back = await browser.postForm(`${interop.emu.url}/oauth/authorize`, form);
  expect(back.status, 'the emulator redirects back to the app').to.equal(302);
  expect(back.location).to.match(new RegExp(`^${interop.appURL}/auth/`));
  return browser.get(back.location ?? '');
}

/** The first seeded user as each app's `/me` should return it. */
export function expectedUser(emu: Emulator): SessionUser {
  const user = emu.users[0];
  if (user === undefined) throw new Error('the emulator has no users');
  return { id: String(user.id), displayName: user.full_name ?? '', email: user.email ?? null };
}

/** Token endpoint failures, and the error each app's error handler must receive for it. */
const loginFailures: readonly { when: string; fault: Fault; answer: LoginErrorBody }[] = [
  {
    when: 'Eventpop refuses the code',
    fault: {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid.' },
    },
    answer: { error: 'TokenError', code: 'invalid_grant' },
  },
  {
    when: 'the token endpoint hangs',
    fault: { hang: true },
    answer: { error: 'InternalOAuthError', code: 'ETIMEDOUT' },
  },
];

/**
 * The tests every framework's app must pass: a full login that ends with the typed profile in the
 * session, a refusal that ends at the app's failure redirect, and token-endpoint failures that
 * reach the framework's error handling as typed errors.
 */
export function describeLogin(framework: string, startApp: StartApp): void {
  describe(`${framework}: signing in with Eventpop`, () => {
    let interop: Interop;

    before(async () => {
      interop = await startInterop(startApp);
    });

    after(async () => {
      await interop?.close();
    });

    afterEach(() => {
      interop.emu.clearFaults();
    });

    it('signs the user in and serves the typed profile from the session', async () => {
      const browser = new Browser();
      const callback = await login(browser, interop, 'allow');
      expect(callback.status).to.equal(302);
      expect(callback.location).to.equal(`${interop.appURL}/`);
      const me = await browser.get(`${interop.appURL}/me`);
      expect(me.status).to.equal(200);
      expect(JSON.parse(me.body)).to.deep.equal(expectedUser(interop.emu));
    });

    it('redirects to the failure page, with no token request, when the user denies consent', async () => {
      const browser = new Browser();
      const tokenRequests = interop.emu.counts.token;
      const callback = await login(browser, interop, 'deny');
      expect([callback.status, callback.location]).to.deep.equal([302, `${interop.appURL}/login`]);
      expect(interop.emu.counts.token).to.equal(tokenRequests);
      expect((await browser.get(`${interop.appURL}/me`)).status).to.equal(401);
    });

    it("answers through the framework's error handling with AuthorizationError temporarily_unavailable when Eventpop sends the user back with it", async () => {
      const browser = new Browser();
      const start = await browser.get(`${interop.appURL}/auth/eventpop`);
      const state = new URL(start.location ?? '').searchParams.get('state');
      expect(state, 'the login sends a state').to.be.a('string');
      const tokenRequests = interop.emu.counts.token;
      // What Eventpop redirects to when it cannot sign the user in just now (RFC 6749 section 4.1.2.1).
      const query = new URLSearchParams({
        error: 'temporarily_unavailable',
        error_description: 'Eventpop is under maintenance.',
        state: state ?? '',
      });
      const callback = await browser.get(`${interop.appURL}/auth/eventpop/callback?${query}`);
      expect([callback.status, JSON.parse(callback.body)]).to.deep.equal([
        502,
        { error: 'AuthorizationError', code: 'temporarily_unavailable' },
      ]);
      expect(interop.emu.counts.token, 'no token request').to.equal(tokenRequests);
      expect((await browser.get(`${interop.appURL}/me`)).status, 'and nobody is signed in').to.equal(401);
    });

    for (const { when, fault, answer } of loginFailures) {
      it(`answers through the framework's error handling with ${answer.error} ${answer.code} when ${when}`, async () => {
        interop.emu.inject('token', { ...fault, times: 1 });
        const browser = new Browser();
        const callback = await login(browser, interop, 'allow');
        expect([callback.status, JSON.parse(callback.body)]).to.deep.equal([502, answer]);
        expect((await browser.get(`${interop.appURL}/me`)).status, 'and the app keeps serving').to.equal(401);
      });
    }
  });
}
