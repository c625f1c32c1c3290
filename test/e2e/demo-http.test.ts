// End to end over HTTP: the demo app and the emulator on real sockets, driven by a cookie-keeping fetch client.
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import type { Endpoint, Fault } from '../../lib/emulator';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import {
  csrfOf,
  DEMO_CLIENT,
  expiryOnPage,
  type RunningDemo,
  serveApp,
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

/** What a button on this demo page sends: the form's CSRF token. */
function formOf(page: Page): URLSearchParams {
  const token = csrfOf(page.body);
  expect(token, `a CSRF token on ${page.url}`).to.be.a('string');
  return new URLSearchParams({ _csrf: token! });
}

/** The headers a browser adds to a form posted from one of the app's own pages. */
function fromAppPage(appURL: string): Record<string, string> {
  return { origin: appURL, 'sec-fetch-site': 'same-origin' };
}

/** The session cookie's Set-Cookie line on an answer, if it set one. */
function sessionCookieOf(page: Page): string | undefined {
  return page.headers.getSetCookie().find((line) => line.startsWith('eventpop-demo.sid='));
}

/** Seconds from now until the session cookie set on this answer expires (NaN without Expires). */
function cookieLifetimeOf(page: Page): number {
  const expires = /;\s*Expires=([^;]+)/i.exec(sessionCookieOf(page) ?? '')?.[1];
  return (Date.parse(expires ?? '') - Date.now()) / 1000;
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

  describe('when a forged link sends the user to ?error=access_denied with words of its own', () => {
    const words = 'Your account is locked. Call +66 2 000 0000 to unlock it.';
    let page: Page;

    before(async () => {
      const browser = new HttpBrowser();
      // A sign-in in progress, so the session holds a state the forged link does not have.
      await browser.open(`${demo.appURL}/auth/eventpop`, { follow: false });
      const forged = new URL(demo.callbackURL);
      forged.search = new URLSearchParams({ error: 'access_denied', error_description: words }).toString();
      page = await browser.open(forged.href);
    });

    it("shows the state failure page (403), not the refusal page with the link's words", () => {
      expect([page.status, textOf(page.body, 'title'), page.body.includes('Call +66')]).to.deep.equal([
        403,
        "We couldn't verify this sign-in",
        false,
      ]);
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
      const profile = await signInAs(browser);
      home = await browser.open(`${demo.appURL}/logout`, {
        form: formOf(profile),
        headers: fromAppPage(demo.appURL),
      });
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
      after_ = await browser.open(`${demo.appURL}/refresh`, {
        form: formOf(before_),
        headers: fromAppPage(demo.appURL),
      });
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
      const profile = await signInAs(browser);
      demo.emu.inject('token', {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The refresh token is invalid.' },
        times: 1,
      });
      page = await browser.open(`${demo.appURL}/refresh`, { form: formOf(profile) });
    });

    it('shows a 400 TokenError invalid_grant page asking to sign in again', () => {
      expect([page.status, reasonOf(page), textOf(page.body, 'title')]).to.deep.equal([
        400,
        'TokenError · invalid_grant',
        'Your Eventpop sign-in has expired',
      ]);
    });
  });

  describe('a forged POST to /logout or /refresh (CSRF)', () => {
    let victim: HttpBrowser;
    let victimPage: Page;
    let otherPage: Page;

    before(async () => {
      victim = new HttpBrowser();
      victimPage = await signInAs(victim);
      otherPage = await signInAs(new HttpBrowser());
    });

    /** What a forging page can send: its form and the headers the browser adds to it. */
    const forgeries: readonly {
      what: string;
      form: () => URLSearchParams;
      headers?: Record<string, string>;
      reason: string;
    }[] = [
      { what: 'no token', form: () => new URLSearchParams(), reason: 'csrf · csrf_token_mismatch' },
      {
        what: 'a wrong token',
        form: () => new URLSearchParams({ _csrf: 'A'.repeat(43) }),
        reason: 'csrf · csrf_token_mismatch',
      },
      {
        what: "another session's token",
        form: () => formOf(otherPage),
        reason: 'csrf · csrf_token_mismatch',
      },
      {
        what: 'the right token but a cross-site Origin',
        form: () => formOf(victimPage),
        headers: { origin: 'http://evil.example' },
        reason: 'csrf · cross_site',
      },
      {
        what: 'the right token from another port of the same host (Sec-Fetch-Site: same-site)',
        form: () => formOf(victimPage),
        headers: { 'sec-fetch-site': 'same-site' },
        reason: 'csrf · cross_site',
      },
    ];

    for (const path of ['/logout', '/refresh']) {
      for (const forgery of forgeries) {
        it(`refuses ${path} with ${forgery.what}: 403, no cookie change, nothing sent to Eventpop, still signed in`, async () => {
          const eventpopBefore = { ...demo.emu.counts };
          const page = await victim.open(`${demo.appURL}${path}`, {
            form: forgery.form(),
            follow: false,
            ...(forgery.headers ? { headers: forgery.headers } : {}),
          });
          const profile = await victim.open(`${demo.appURL}/profile`, { follow: false });
          expect({
            status: page.status,
            reason: reasonOf(page),
            setCookie: page.headers.getSetCookie(),
            eventpop: demo.emu.counts,
            profile: profile.status,
          }).to.deep.equal({
            status: 403,
            reason: forgery.reason,
            setCookie: [],
            eventpop: eventpopBefore,
            profile: 200,
          });
        });
      }
    }

    it("accepts the same session's token from its own page (the genuine button still works)", async () => {
      const page = await victim.open(`${demo.appURL}/refresh`, {
        form: formOf(victimPage),
        headers: fromAppPage(demo.appURL),
      });
      expect([page.url, textOf(page.body, 'name')]).to.deep.equal([`${demo.appURL}/profile`, 'Malee Srisuk']);
    });

    it('answers a POST /logout without a session with the home page and clears no cookie', async () => {
      const page = await new HttpBrowser().open(`${demo.appURL}/logout`, {
        form: new URLSearchParams(),
        follow: false,
      });
      expect([page.status, page.location, page.headers.getSetCookie()]).to.deep.equal([
        303,
        `${demo.appURL}/`,
        [],
      ]);
    });
  });

  describe('when a crafted callback puts a line break in error_description', () => {
    const forgedLine = '{"time":"2026-01-01T00:00:00.000Z","level":"error","event":"forged"}';
    let lines: string[];

    before(async () => {
      const browser = new HttpBrowser();
      // A genuine state, so the callback reaches the app's error handling whatever order the
      // strategy checks things in.
      const steps = await signIn(browser, demo, { follow: false });
      const crafted = new URL(demo.callbackURL);
      crafted.search = new URLSearchParams({
        error: 'temporarily_unavailable',
        error_description: `Try again later.\r\n${forgedLine}\n`,
        state: steps.callbackURL.searchParams.get('state') ?? '',
      }).toString();
      const logged = demo.logs.length;
      await browser.open(crafted.href);
      lines = demo.logs.slice(logged);
    });

    it('logs one JSON line with the line break escaped, so no forged line appears', () => {
      expect(lines.map((line) => /[\r\n]/.test(line))).to.deep.equal([false]);
      expect(JSON.parse(lines[0]!)).to.include({ event: 'request_failed', kind: 'AuthorizationError' });
    });
  });

  describe('session lifetimes', () => {
    it('gives the session of a sign-in in progress (anyone can start one) 10 minutes', async () => {
      const start = await new HttpBrowser().open(`${demo.appURL}/auth/eventpop`, { follow: false });
      expect(cookieLifetimeOf(start)).to.be.within(600 - 5, 600 + 1);
    });

    it('gives a signed-in session 8 hours', async () => {
      const browser = new HttpBrowser();
      const steps = await signIn(browser, demo, { follow: false });
      const landed = await browser.open(steps.callbackURL.href, { follow: false });
      expect(landed.location).to.equal(`${demo.appURL}/profile`);
      expect(cookieLifetimeOf(landed)).to.be.within(8 * 3600 - 5, 8 * 3600 + 1);
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

  describe("with the strategy's default, PKCE on", () => {
    let authorizeURL: URL;
    let page: Page;

    before(async () => {
      const steps = await signIn(new HttpBrowser(), demo);
      authorizeURL = steps.authorizeURL;
      page = steps.final as Page;
    });

    it('sends an S256 code_challenge to the authorize endpoint', () => {
      expect(authorizeURL.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(authorizeURL.searchParams.get('code_challenge_method')).to.equal('S256');
    });

    it('signs the user in (the emulator checked the code_verifier)', () => {
      expect(page.url).to.equal(`${demo.appURL}/profile`);
      expect(textOf(page.body, 'name')).to.equal('Malee Srisuk');
    });
  });

  describe('with pkce: false (the way out)', () => {
    let plainDemo: RunningDemo;
    let steps: Awaited<ReturnType<typeof signIn>>;

    before(async () => {
      plainDemo = await startDemo({ pkce: false });
      steps = await signIn(new HttpBrowser(), plainDemo);
    });

    after(async () => {
      await plainDemo?.close();
    });

    it('sends no code_challenge and still signs the user in', () => {
      expect([steps.authorizeURL.searchParams.has('code_challenge'), steps.final?.url]).to.deep.equal([
        false,
        `${plainDemo.appURL}/profile`,
      ]);
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
    it('wrote every log entry as one line of JSON', () => {
      const broken = demo.logs.filter((line) => {
        if (/[\r\n]/.test(line)) return true;
        try {
          return typeof JSON.parse(line).event !== 'string';
        } catch {
          return true;
        }
      });
      expect(broken).to.deep.equal([]);
    });

    it('never wrote the client secret or an authorization code to its log', () => {
      expect(demo.logs.length, 'the failures above were logged').to.be.greaterThan(5);
      const leaked = [...secretsSeen].filter((secret) => demo.logs.some((line) => line.includes(secret)));
      expect(leaked).to.deep.equal([]);
    });
  });
});

describe('the demo app against an https Eventpop', () => {
  it("allows images from https: and data: only (Eventpop's origin is https: already)", async () => {
    const served = await serveApp({ baseURL: 'https://staging.eventpop.example' });
    try {
      const page = await new HttpBrowser().open(`${served.url}/healthz`);
      expect(page.headers.get('content-security-policy')).to.include(
        "; img-src https: data:; form-action 'self'",
      );
    } finally {
      await served.close();
    }
  });
});

describe('the demo app behind a TLS-terminating proxy', () => {
  /** Whether the session cookie that GET /auth/eventpop sets is Secure. */
  async function secureCookie(trustProxy: string | undefined, headers: Record<string, string>) {
    const served = await serveApp(trustProxy === undefined ? {} : { trustProxy });
    try {
      const page = await new HttpBrowser().open(`${served.url}/auth/eventpop`, { follow: false, headers });
      const cookie = sessionCookieOf(page);
      expect(cookie, 'the sign-in sets a session cookie').to.be.a('string');
      return /;\s*Secure(?:;|$)/i.test(cookie!);
    } finally {
      await served.close();
    }
  }

  it('marks the session cookie Secure when the trusted proxy says X-Forwarded-Proto: https', async () => {
    expect(await secureCookie('loopback', { 'x-forwarded-proto': 'https' })).to.equal(true);
  });

  it('leaves it plain when the trusted proxy forwards plain http (local development)', async () => {
    expect(await secureCookie('loopback', {})).to.equal(false);
  });

  it('ignores X-Forwarded-Proto from a client when no proxy is trusted (the default)', async () => {
    expect(await secureCookie(undefined, { 'x-forwarded-proto': 'https' })).to.equal(false);
  });
});

describe('the demo app given a form it cannot read', () => {
  let served: Awaited<ReturnType<typeof serveApp>>;

  before(async () => {
    served = await serveApp();
  });

  after(async () => {
    await served?.close();
  });

  const cases: readonly {
    what: string;
    headers: Record<string, string>;
    body: string | Uint8Array;
    status: number;
    title: string;
    reason: string;
  }[] = [
    {
      what: 'larger than the 2 KB limit',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${'x'.repeat(3000)}`,
      status: 413,
      title: 'That form was too large',
      reason: 'request · entity.too.large',
    },
    {
      what: 'gzip-encoded but not gzip',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
      body: new Uint8Array(gzipSync('_csrf=x').subarray(0, 12)),
      status: 400,
      title: 'That form could not be read',
      reason: 'request · http_400',
    },
    {
      what: 'in a charset the app does not read',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=koi8-r' },
      body: '_csrf=x',
      status: 415,
      title: 'That form was sent in an encoding the app does not read',
      reason: 'request · charset.unsupported',
    },
  ];

  for (const { what, headers, body, status, title, reason } of cases) {
    it(`answers a form ${what} with ${status} and a page that says so`, async () => {
      const res = await fetch(`${served.url}/logout`, { method: 'POST', headers, body });
      const html = await res.text();
      expect([res.status, textOf(html, 'title'), textOf(html, 'reason')]).to.deep.equal([
        status,
        title,
        reason,
      ]);
    });
  }
});
