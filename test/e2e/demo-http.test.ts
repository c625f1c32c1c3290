// End to end over HTTP: the demo app and the emulator on real sockets, driven by a cookie-keeping fetch client.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Endpoint, Fault } from '../../lib/emulator';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import {
  DEMO_CLIENT,
  expiryOnPage,
  type RunningDemo,
  signIn,
  startDemo,
  TEST_USERS,
  textOf,
} from '../helpers/demo-app';

/** Token-endpoint requests the emulator has seen with this grant type. */
function tokenGrants(demo: RunningDemo, grantType: string): number {
  return demo.emu.requests.filter((r) => r.endpoint === 'token' && r.grantType === grantType).length;
}

/** The "Reason" line of a problem page: `<error class> · <code>`. */
function reasonOf(page: Page): string | undefined {
  return textOf(page.body, 'reason');
}

describe('the demo app over HTTP', () => {
  // A short strategy timeout so that a hung Eventpop fails the login quickly.
  const TIMEOUT_MS = 750;
  let demo: RunningDemo;
  /** Codes and tokens seen during the run, which must never reach the log. */
  const secretsSeen = new Set<string>([DEMO_CLIENT.clientSecret]);

  before(async () => {
    demo = await startDemo({ timeout: TIMEOUT_MS });
  });

  after(async () => {
    await demo?.close();
  });

  afterEach(() => {
    demo.emu.clearFaults();
  });

  /** Signs in through the consent page and returns the page the app ends on. */
  async function signInAs(browser: HttpBrowser, userId?: number): Promise<Page> {
    const steps = await signIn(browser, demo, userId === undefined ? {} : { userId });
    const code = steps.callbackURL.searchParams.get('code');
    if (code) secretsSeen.add(code);
    return steps.final as Page;
  }

  it('answers GET /healthz with 200 ok', async () => {
    const page = await new HttpBrowser().open(`${demo.appURL}/healthz`);
    expect([page.status, page.body]).to.deep.equal([200, 'ok']);
  });

  it('offers "Login with Eventpop" on the home page', async () => {
    const page = await new HttpBrowser().open(`${demo.appURL}/`);
    expect(page.body).to.match(/<a class="button" href="\/auth\/eventpop">Login with Eventpop<\/a>/);
  });

  describe('signing in through the consent page', () => {
    let page: Page;
    const user = { id: 7002, name: 'Malee Srisuk', email: 'malee@example.com' };
    let tokenRequestsBefore: number;
    let signedInAt: number;

    before(async () => {
      tokenRequestsBefore = tokenGrants(demo, 'authorization_code');
      signedInAt = demo.emu.now() / 1000;
      page = await signInAs(new HttpBrowser(), user.id);
    });

    it('lands on the profile page with the chosen user', () => {
      expect(page.url).to.equal(`${demo.appURL}/profile`);
      expect([
        textOf(page.body, 'name'),
        textOf(page.body, 'email'),
        textOf(page.body, 'user-id'),
      ]).to.deep.equal([user.name, user.email, String(user.id)]);
    });

    it('shows the token expiry as created_at + expires_in (two hours)', () => {
      const expiry = expiryOnPage(page.body);
      expect(expiry).to.be.a('number');
      expect(expiry! - signedInAt).to.be.within(7200 - 2, 7200 + 2);
    });

    it('exchanged exactly one authorization code', () => {
      expect(tokenGrants(demo, 'authorization_code') - tokenRequestsBefore).to.equal(1);
    });

    it('never puts a token on the page', () => {
      expect(page.body).not.to.match(/[0-9a-f]{64}/);
    });

    it("shows the user's avatar from the emulator's own origin", () => {
      expect(/<img src="([^"]*)"/.exec(page.body)?.[1]).to.equal(
        `${demo.emu.url}/avatars/${user.id}/medium.svg`,
      );
    });

    it("lets the page load images from https: and from the emulator's origin, and nothing else", () => {
      const csp = page.headers.get('content-security-policy') ?? '';
      const imgSrc = /(?:^|;\s*)img-src ([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/);
      expect(imgSrc).to.have.members(['https:', 'data:', demo.emu.url]);
      expect(csp).to.match(/(?:^|;\s*)default-src 'none'(?:;|$)/);
    });
  });

  describe('when the user clicks Deny', () => {
    let page: Page;
    let tokenRequests: number;

    before(async () => {
      tokenRequests = demo.emu.counts.token;
      page = (await signIn(new HttpBrowser(), demo, { decision: 'deny' })).final as Page;
    });

    it("shows the refusal page with Eventpop's description", () => {
      expect([page.url, page.status]).to.deep.equal([`${demo.appURL}/login-refused`, 200]);
      expect(textOf(page.body, 'title')).to.equal("You didn't allow access");
      expect(page.body).to.include('The resource owner or authorization server denied the request.');
    });

    it('sends no token request', () => {
      expect(demo.emu.counts.token).to.equal(tokenRequests);
    });
  });

  describe('when the state in the callback URL was tampered with', () => {
    let page: Page;
    let tokenRequests: number;

    before(async () => {
      const browser = new HttpBrowser();
      const steps = await signIn(browser, demo, { follow: false });
      tokenRequests = demo.emu.counts.token;
      const tampered = new URL(steps.callbackURL);
      tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
      page = await browser.open(tampered.href);
    });

    it('rejects the sign-in with 403 and the state failure page', () => {
      expect(page.status).to.equal(403);
      expect(textOf(page.body, 'title')).to.equal("We couldn't verify this sign-in");
      expect(reasonOf(page)).to.equal('state · state_mismatch');
    });

    it('sends no token request', () => {
      expect(demo.emu.counts.token).to.equal(tokenRequests);
    });
  });

  describe('when a used callback URL is replayed with a fresh, valid state', () => {
    let page: Page;

    before(async () => {
      const browser = new HttpBrowser();
      const first = await signIn(browser, demo);
      expect(first.final?.url, 'the first sign-in succeeds').to.equal(`${demo.appURL}/profile`);
      // A new login puts a new state in the session; the old code travels with it.
      const again = await browser.open(`${demo.appURL}/auth/eventpop`, { follow: false });
      const replay = new URL(first.callbackURL);
      replay.searchParams.set('state', new URL(again.location ?? '').searchParams.get('state') ?? '');
      page = await browser.open(replay.href);
    });

    it('fails with TokenError invalid_grant on a 400 error page', () => {
      expect(page.status).to.equal(400);
      expect(reasonOf(page)).to.equal('TokenError · invalid_grant');
    });
  });

  describe('signing out', () => {
    let browser: HttpBrowser;
    let home: Page;

    before(async () => {
      browser = new HttpBrowser();
      await signInAs(browser);
      home = await browser.open(`${demo.appURL}/logout`, { form: new URLSearchParams() });
    });

    it('returns to the home page with the login button', () => {
      expect(home.url).to.equal(`${demo.appURL}/`);
      expect(home.body).to.include('Login with Eventpop');
    });

    it('ends the session: the profile page sends the visitor home', async () => {
      const profile = await browser.open(`${demo.appURL}/profile`, { follow: false });
      expect([profile.status, profile.location]).to.deep.equal([303, `${demo.appURL}/`]);
    });

    it('revokes the access token at Eventpop', () => {
      const revocations = demo.emu.requests.filter((r) => r.endpoint === 'revoke');
      expect(revocations.map((r) => r.status)).to.deep.equal([200]);
    });
  });

  describe('refreshing the token with passport-oauth2-refresh', () => {
    let before_: Page;
    let after_: Page;
    let refreshGrants: number;
    const LATER_S = 600;

    before(async () => {
      const browser = new HttpBrowser();
      before_ = await signInAs(browser);
      refreshGrants = tokenGrants(demo, 'refresh_token');
      // Ten minutes pass on Eventpop's clock, so the new token's created_at (and expiry) moves.
      demo.emu.advanceTime(LATER_S);
      after_ = await browser.open(`${demo.appURL}/refresh`, { form: new URLSearchParams() });
    });

    it('shows the profile page with the refreshed notice', () => {
      expect(after_.url).to.equal(`${demo.appURL}/profile`);
      expect(after_.body).to.include('Your access token was refreshed.');
    });

    it('shows the new expiry', () => {
      const old = expiryOnPage(before_.body) ?? Number.NaN;
      expect(expiryOnPage(after_.body)! - old).to.be.within(LATER_S - 2, LATER_S + 2);
    });

    it('sent one refresh_token grant to Eventpop', () => {
      expect(tokenGrants(demo, 'refresh_token') - refreshGrants).to.equal(1);
    });
  });

  describe('when Eventpop refuses the refresh token', () => {
    let page: Page;

    before(async () => {
      const browser = new HttpBrowser();
      await signInAs(browser);
      demo.emu.inject('token', {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The refresh token is invalid.' },
        times: 1,
      });
      page = await browser.open(`${demo.appURL}/refresh`, { form: new URLSearchParams() });
    });

    it('shows a 400 TokenError invalid_grant page asking to sign in again', () => {
      expect([page.status, reasonOf(page), textOf(page.body, 'title')]).to.deep.equal([
        400,
        'TokenError · invalid_grant',
        'Your Eventpop sign-in has expired',
      ]);
    });
  });

  describe('with a user whose profile holds markup', () => {
    let hostileDemo: RunningDemo;
    let page: Page;
    const hostile = {
      id: 6666,
      full_name: '<img src=x onerror=alert(1)>',
      email: '"><script>alert(2)</script>@x.test',
    };

    before(async () => {
      hostileDemo = await startDemo({}, { users: [TEST_USERS[0]!, hostile] });
      page = (await signIn(new HttpBrowser(), hostileDemo)).final as Page;
    });

    after(async () => {
      await hostileDemo?.close();
    });

    it('shows the name and email as text, escaped', () => {
      expect([textOf(page.body, 'name'), textOf(page.body, 'email')]).to.deep.equal([
        hostile.full_name,
        hostile.email,
      ]);
      expect(page.body).not.to.include('<img src=x');
      expect(page.body).not.to.include('<script>');
    });
  });

  describe('with PKCE on', () => {
    let pkceDemo: RunningDemo;
    let authorizeURL: URL;
    let page: Page;

    before(async () => {
      pkceDemo = await startDemo({ pkce: true });
      const steps = await signIn(new HttpBrowser(), pkceDemo);
      authorizeURL = steps.authorizeURL;
      page = steps.final as Page;
    });

    after(async () => {
      await pkceDemo?.close();
    });

    it('sends an S256 code_challenge to the authorize endpoint', () => {
      expect(authorizeURL.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(authorizeURL.searchParams.get('code_challenge_method')).to.equal('S256');
    });

    it('signs the user in (the emulator checked the code_verifier)', () => {
      expect(page.url).to.equal(`${pkceDemo.appURL}/profile`);
      expect(textOf(page.body, 'name')).to.equal('Malee Srisuk');
    });
  });

  describe('when Eventpop fails', () => {
    /** Signs in with a fault on one endpoint and returns the error page. */
    async function signInWith(endpoint: Endpoint, fault: Fault): Promise<Page> {
      demo.emu.inject(endpoint, fault);
      return signInAs(new HttpBrowser());
    }

    /** Each fault, the page status and the "Reason" line the strategy's typed error leads to. */
    const cases: readonly {
      when: string;
      endpoint: Endpoint;
      fault: Fault;
      status: number;
      reason: string;
    }[] = [
      {
        when: 'the token endpoint hangs',
        endpoint: 'token',
        fault: { hang: true },
        status: 504,
        reason: 'InternalOAuthError · ETIMEDOUT',
      },
      {
        when: 'the token endpoint answers a 502 HTML page',
        endpoint: 'token',
        fault: { html: true },
        status: 502,
        reason: 'InternalOAuthError',
      },
      {
        when: 'the token endpoint answers malformed JSON',
        endpoint: 'token',
        fault: { malformedJSON: true },
        status: 502,
        reason: 'InternalOAuthError',
      },
      {
        when: 'the token endpoint drops the connection',
        endpoint: 'token',
        // Twice: a request whose reused keep-alive connection is reset is sent once more.
        fault: { drop: true, times: 2 },
        status: 502,
        reason: 'InternalOAuthError · ECONNRESET',
      },
      {
        when: '/api/public/me answers 401',
        endpoint: 'me',
        fault: { status: 401 },
        status: 502,
        reason: 'EventpopAPIError · invalid_token',
      },
      {
        when: '/api/public/me answers 403',
        endpoint: 'me',
        fault: { status: 403 },
        status: 502,
        reason: 'EventpopAPIError · insufficient_scope',
      },
      {
        when: '/api/public/me answers 429',
        endpoint: 'me',
        fault: { status: 429, headers: { 'Retry-After': '42' } },
        status: 503,
        reason: 'EventpopAPIError · rate_limited',
      },
      {
        when: '/api/public/me answers 500',
        endpoint: 'me',
        fault: { status: 500, body: 'Internal Server Error' },
        status: 502,
        reason: 'EventpopAPIError · server_error',
      },
      {
        when: '/api/public/me answers 2 MiB',
        endpoint: 'me',
        fault: { oversized: 2 * 1024 * 1024 },
        status: 502,
        reason: 'EventpopAPIError · response_too_large',
      },
      {
        when: '/api/public/me drops the connection',
        endpoint: 'me',
        // Twice: a request whose reused keep-alive connection is reset is sent once more.
        fault: { drop: true, times: 2 },
        status: 502,
        reason: 'InternalOAuthError · ECONNRESET',
      },
    ];

    for (const { when, endpoint, fault, status, reason } of cases) {
      it(`shows a ${status} page with reason "${reason}" when ${when}`, async () => {
        const page = await signInWith(endpoint, { times: 1, ...fault });
        expect([page.status, reasonOf(page)]).to.deep.equal([status, reason]);
      });
    }

    it('passes Retry-After on when Eventpop rate-limits the profile request', async () => {
      const page = await signInWith('me', { status: 429, headers: { 'Retry-After': '42' }, times: 1 });
      expect(page.headers.get('retry-after')).to.equal('42');
    });

    it('keeps stacks and the client secret off every error page', async () => {
      const page = await signInWith('token', { html: true, times: 1 });
      expect(page.body).not.to.include(DEMO_CLIENT.clientSecret);
      expect(page.body).not.to.match(/\bat [^ ]+ \(|node:internal|\.js:\d+/);
    });
  });

  // Last, so that every failure above has been logged (mocha runs a suite's own tests before its children).
  describe('after all of the above', () => {
    it('never wrote the client secret or an authorization code to its log', () => {
      expect(demo.logs.length, 'the failures above were logged').to.be.greaterThan(5);
      const leaked = [...secretsSeen].filter((secret) => demo.logs.some((line) => line.includes(secret)));
      expect(leaked).to.deep.equal([]);
    });
  });
});

describe('the demo app against an https Eventpop', () => {
  it("allows images from https: and data: only (Eventpop's origin is https: already)", async () => {
    const { createApp } = await import('../../examples/express/app.mjs');
    const { app } = createApp({
      clientID: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      callbackURL: 'http://127.0.0.1/auth/eventpop/callback',
      baseURL: 'https://staging.eventpop.example',
    });
    const server = app.listen(0, '127.0.0.1');
    try {
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const page = await new HttpBrowser().open(`http://127.0.0.1:${port}/healthz`);
      expect(page.headers.get('content-security-policy')).to.include(
        "; img-src https: data:; form-action 'self'",
      );
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
