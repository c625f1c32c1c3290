import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator/index';
import {
  allow,
  answerConsent,
  authorizeParams,
  consentForm,
  exchange,
  get,
  me,
  postForm,
  type TokenBody,
} from './fixtures/emulator/client';

const callback = 'http://localhost:3000/auth/eventpop/callback';
const hex64 = /^[0-9a-f]{64}$/;

function authorizePath(params: Record<string, string>): string {
  return `/oauth/authorize?${new URLSearchParams(params)}`;
}

describe('emulator: GET /oauth/authorize', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      clients: [
        defaultClient,
        {
          clientId: 'multi',
          clientSecret: 's',
          redirectUris: ['https://app.example/cb?tenant=7', 'https://app.example/other'],
          name: 'Multi <App>',
        },
      ],
    });
  });
  after(() => emu.close());

  it('shows a consent page naming the app, each scope in a sentence, the users and Allow / Deny', async () => {
    const res = await get(emu, authorizePath(authorizeParams({ scope: 'public organizer', state: 's1' })));
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const html = await res.text();
    expect(html).to.include('Authorize Eventpop Demo to use your account?');
    expect(html).to.include('your own orders and tickets');
    expect(html).to.include('events you organize');
    expect(html).to.match(/<input type="radio" name="user_id" value="4242" checked>/);
    expect(html).to.match(/<input type="radio" name="user_id" value="4343">/);
    expect(html).to.include('สมชาย ใจดี');
    expect(html).to.match(/<button[^>]*value="allow">Allow<\/button>/);
    expect(html).to.match(/<button[^>]*value="deny">Deny<\/button>/);
    expect(html).to.include('<meta name="viewport"');
  });

  it('carries every request parameter to the form as hidden fields', async () => {
    const params = authorizeParams({ state: 'st', code_challenge: 'abc', code_challenge_method: 'S256' });
    const html = await (await get(emu, authorizePath(params))).text();
    expect(html).to.include('<form method="post" action="/oauth/authorize">');
    for (const [name, value] of Object.entries(params)) {
      expect(html).to.include(`<input type="hidden" name="${name}" value="${value}">`);
    }
  });

  it('escapes echoed values, so a hostile state cannot inject markup', async () => {
    const evil = '"><script>alert(1)</script>';
    const html = await (await get(emu, authorizePath(authorizeParams({ state: evil })))).text();
    expect(html).not.to.include('<script>');
    expect(html).to.include('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
  });

  it('escapes the app name', async () => {
    const res = await get(
      emu,
      authorizePath({ client_id: 'multi', redirect_uri: 'https://app.example/other', response_type: 'code' }),
    );
    const html = await res.text();
    expect(html).to.include('Multi &#60;App&#62;');
    expect(html).not.to.include('<App>');
  });

  const refusals: [string, Record<string, string>, string][] = [
    ['an unknown client', authorizeParams({ client_id: 'nobody' }), 'invalid_client'],
    ['a missing client_id', { response_type: 'code', redirect_uri: callback }, 'invalid_request'],
    [
      'an unregistered redirect URI',
      authorizeParams({ redirect_uri: 'https://evil.example/cb' }),
      'invalid_redirect_uri',
    ],
    [
      'a redirect URI that differs only by a trailing slash',
      authorizeParams({ redirect_uri: `${callback}/` }),
      'invalid_redirect_uri',
    ],
    ['response_type=token', authorizeParams({ response_type: 'token' }), 'unsupported_response_type'],
    ['an unknown scope', authorizeParams({ scope: 'public admin' }), 'invalid_scope'],
    [
      'an unknown PKCE method',
      authorizeParams({ code_challenge: 'x', code_challenge_method: 'S512' }),
      'invalid_code_challenge_method',
    ],
    [
      'no redirect URI for a client with two',
      { client_id: 'multi', response_type: 'code' },
      'invalid_request',
    ],
  ];
  for (const [what, params, error] of refusals) {
    it(`shows an error page (200, no redirect) for ${what}`, async () => {
      const res = await get(emu, authorizePath(params));
      expect(res.status).to.equal(200);
      expect(res.headers.get('location')).to.equal(null);
      const html = await res.text();
      expect(html).to.include('An error has occurred');
      expect(html).to.include(error);
      expect(html).not.to.include('<form');
    });
  }

  it('defaults a missing redirect_uri to the client’s only registered one', async () => {
    const query = await allow(emu, { redirect_uri: '' });
    expect(query.get('code')).to.match(hex64);
  });

  it('defaults the scope to public', async () => {
    const html = await (await get(emu, authorizePath(authorizeParams({ scope: '' })))).text();
    expect(html).to.include('your own orders and tickets');
    expect(html).not.to.include('events you organize');
  });
});

describe('emulator: POST /oauth/authorize (the consent form)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      clients: [
        defaultClient,
        { clientId: 'q', clientSecret: 's', redirectUris: ['https://app.example/cb?tenant=7'], name: 'Q' },
      ],
    });
  });
  after(() => emu.close());

  it('redirects Allow to the callback with a 64-hex code and the state', async () => {
    const res = await answerConsent(emu, { state: 'abc 123' }, { decision: 'allow', user_id: '4242' });
    expect(res.status).to.equal(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).to.equal(callback);
    expect(location.searchParams.get('code')).to.match(hex64);
    expect(location.searchParams.get('state')).to.equal('abc 123');
  });

  it('leaves state out of the redirect when none was sent', async () => {
    const query = await allow(emu);
    expect(query.has('state')).to.equal(false);
  });

  it('keeps a query the registered redirect URI already has', async () => {
    const query = await allow(emu, {
      client_id: 'q',
      redirect_uri: 'https://app.example/cb?tenant=7',
      state: 'z',
    });
    expect(query.get('tenant')).to.equal('7');
    expect(query.get('code')).to.match(hex64);
    expect(query.get('state')).to.equal('z');
  });

  it('redirects Deny with error=access_denied and Doorkeeper’s description, spaces as +', async () => {
    const res = await answerConsent(emu, { state: 'st' }, { decision: 'deny' });
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal(
      `${callback}?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=st`,
    );
  });

  it('refuses Allow for a user that was not seeded', async () => {
    const res = await answerConsent(emu, {}, { decision: 'allow', user_id: '1' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('location')).to.equal(null);
  });
});

describe('emulator: the consent form’s one-time token (CSRF)', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await createEmulator();
  });
  afterEach(() => emu.close());

  async function expectRefused(res: Response): Promise<void> {
    expect(res.status).to.equal(403);
    expect(res.headers.get('location')).to.equal(null);
    expect(await res.text()).to.include('Go back to the application and sign in again');
    expect(emu.stats().codes, 'no code was issued').to.equal(0);
  }

  it('gives each consent page its own authenticity_token', async () => {
    const first = (await consentForm(emu)).get('authenticity_token');
    const second = (await consentForm(emu)).get('authenticity_token');
    expect(first).to.match(hex64);
    expect(second).to.match(hex64).and.not.equal(first);
  });

  it('refuses a consent POST that no page of the emulator issued (a cross-site form), issuing no code', async () => {
    const res = await postForm(emu, '/oauth/authorize', {
      ...authorizeParams(),
      decision: 'allow',
      user_id: '4242',
    });
    await expectRefused(res);
  });

  it('refuses a made-up token', async () => {
    const res = await postForm(emu, '/oauth/authorize', {
      ...authorizeParams(),
      authenticity_token: 'f'.repeat(64),
      decision: 'allow',
      user_id: '4242',
    });
    await expectRefused(res);
  });

  it('takes each form once: a second submission is refused', async () => {
    const form = Object.fromEntries(await consentForm(emu));
    const answer = { ...form, decision: 'allow', user_id: '4242' };
    expect((await postForm(emu, '/oauth/authorize', answer)).status).to.equal(302);
    const again = await postForm(emu, '/oauth/authorize', answer);
    expect(again.status).to.equal(403);
    expect(emu.stats().codes).to.equal(1);
  });

  it('refuses a form whose parameters were changed after the page was shown (a tampered redirect_uri)', async () => {
    const emuMulti = await createEmulator({
      clients: [{ ...defaultClient, redirectUris: [callback, 'http://localhost:3000/other'] }],
    });
    try {
      const form = await consentForm(emuMulti);
      form.set('redirect_uri', 'http://localhost:3000/other');
      const res = await postForm(emuMulti, '/oauth/authorize', {
        ...Object.fromEntries(form),
        decision: 'allow',
        user_id: '4242',
      });
      expect(res.status).to.equal(403);
      expect(res.headers.get('location')).to.equal(null);
    } finally {
      await emuMulti.close();
    }
  });

  it('refuses a form answered more than an hour after it was shown', async () => {
    const form = Object.fromEntries(await consentForm(emu));
    emu.advanceTime(3601);
    await expectRefused(
      await postForm(emu, '/oauth/authorize', { ...form, decision: 'allow', user_id: '4242' }),
    );
  });

  it('needs no token with autoApprove, which shows no form', async () => {
    const auto = await createEmulator({ autoApprove: true });
    try {
      const res = await get(auto, authorizePath(authorizeParams()));
      expect(res.status).to.equal(302);
      expect(auto.stats().consents).to.equal(0);
    } finally {
      await auto.close();
    }
  });
});

describe('emulator: framing and the invalid_redirect_uri page', () => {
  let emu: Emulator;
  before(async () => {
    emu = await createEmulator({
      clients: [{ ...defaultClient, redirectUris: [callback, 'http://localhost:3000/second'] }],
    });
  });
  after(() => emu.close());

  function expectUnframeable(res: Response): void {
    expect(res.headers.get('x-frame-options')).to.equal('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("frame-ancestors 'none'");
    expect(csp).to.include("default-src 'none'");
  }

  it('forbids framing the consent page, and its CSP allows the page’s own inline style by hash', async () => {
    const res = await get(emu, authorizePath(authorizeParams()));
    expectUnframeable(res);
    const html = await res.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(res.headers.get('content-security-policy')).to.include(`style-src 'sha256-${hash}'`);
  });

  it('forbids framing the error page', async () => {
    expectUnframeable(await get(emu, authorizePath(authorizeParams({ client_id: 'nobody' }))));
  });

  it('forbids framing the refusal of a stale consent form and the redirect back to the app', async () => {
    expectUnframeable(await postForm(emu, '/oauth/authorize', { ...authorizeParams(), decision: 'deny' }));
    expectUnframeable(await answerConsent(emu, {}, { decision: 'deny' }));
  });

  it('names the redirect URI sent, lists the registered ones and says how to register another', async () => {
    const sent = 'http://127.0.0.1:3000/auth/eventpop/callback';
    const html = await (await get(emu, authorizePath(authorizeParams({ redirect_uri: sent })))).text();
    expect(html).to.include('invalid_redirect_uri');
    expect(html).to.include(`The application sent the redirect URI <code>${sent}</code>`);
    expect(html).to.include(`<li><code>${callback}</code></li>`);
    expect(html).to.include('<li><code>http://localhost:3000/second</code></li>');
    expect(html).to.include(`<code>--redirect-uri ${sent}</code>`);
    expect(html).to.include('<code>localhost</code> and <code>127.0.0.1</code> are different hosts');
  });

  it('escapes a hostile redirect URI on that page', async () => {
    const sent = 'https://x.example/"><script>alert(1)</script>';
    const html = await (await get(emu, authorizePath(authorizeParams({ redirect_uri: sent })))).text();
    expect(html).not.to.include('<script>');
    expect(html).to.include('&#34;&#62;&#60;script&#62;');
  });
});

describe('emulator: autoApprove', () => {
  it('redirects GET /oauth/authorize at once with a code for the first user when true', async () => {
    const emu = await createEmulator({ autoApprove: true });
    try {
      const res = await get(emu, authorizePath(authorizeParams({ state: 'k' })));
      expect(res.status).to.equal(302);
      const query = new URL(res.headers.get('location') ?? '').searchParams;
      expect(query.get('code')).to.match(hex64);
      expect(query.get('state')).to.equal('k');
      const token = (await (await exchange(emu, query.get('code') ?? '')).json()) as TokenBody;
      const profile = await me(emu, token.access_token);
      const body = (await profile.json()) as { user: { id: number } };
      expect(body.user.id).to.equal(4242);
    } finally {
      await emu.close();
    }
  });

  it('signs in the named user with { userId }', async () => {
    const emu = await createEmulator({ autoApprove: { userId: 4343 } });
    try {
      const res = await get(emu, authorizePath(authorizeParams()));
      const authorizationCode = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const token = (await (await exchange(emu, authorizationCode)).json()) as TokenBody;
      const profile = await me(emu, token.access_token);
      expect(await profile.json()).to.deep.equal({ user: { id: 4343, email: 'minimal@example.com' } });
    } finally {
      await emu.close();
    }
  });

  it('still shows the error page, never a redirect, for a bad request', async () => {
    const emu = await createEmulator({ autoApprove: true });
    try {
      const res = await get(emu, authorizePath(authorizeParams({ redirect_uri: 'https://evil.example/' })));
      expect(res.status).to.equal(200);
      expect(res.headers.get('location')).to.equal(null);
    } finally {
      await emu.close();
    }
  });
});
