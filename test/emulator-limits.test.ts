// The emulator's memory bounds: floods of consent pages, codes and tokens keep its counts capped.
import { expect } from 'chai';
import { createEmulator, type Emulator, type EmulatorOptions } from '../lib/emulator/index';
import {
  authorizeParams,
  consentFields,
  exchange,
  me,
  optionsRefusal,
  pipeline,
  rawGet,
  rawPost,
} from './fixtures/emulator/client';

const authorizePath = `/oauth/authorize?${new URLSearchParams(authorizeParams())}`;
const appTokenRequest = rawPost('/oauth/token', {
  grant_type: 'client_credentials',
  client_id: 'demo-client',
  client_secret: 'demo-secret',
});

/** Shows `n` consent pages and answers each with Allow; returns the codes, oldest first. */
async function approveMany(emu: Emulator, n: number): Promise<string[]> {
  const pages = await pipeline(
    emu,
    Array.from({ length: n }, () => rawGet(authorizePath)),
  );
  const answers = await pipeline(
    emu,
    pages.map((page) => {
      const form = consentFields(page.body);
      form.set('decision', 'allow');
      form.set('user_id', '4242');
      return rawPost('/oauth/authorize', Object.fromEntries(form));
    }),
  );
  return answers.map(
    (a) => new URL(/\r\nlocation: *(\S+)/i.exec(a.headers)?.[1] ?? '').searchParams.get('code') ?? '',
  );
}

describe('emulator: memory limits', () => {
  let emu: Emulator;
  afterEach(() => emu?.close());

  it('issues no code for 20,000 consent POSTs that no page issued', async () => {
    emu = await createEmulator({ requestLogSize: 0 });
    const flood = rawPost('/oauth/authorize', { ...authorizeParams(), decision: 'allow', user_id: '4242' });
    const answers = await pipeline(
      emu,
      Array.from({ length: 20_000 }, () => flood),
    );
    expect(new Set(answers.map((a) => a.status))).to.deep.equal(new Set([403]));
    expect(emu.stats()).to.deep.equal({ codes: 0, consents: 0, tokens: 0 });
  });

  it('holds at most maxCodes (default 1000) consent pages waiting for an answer: 20,000 pages shown', async () => {
    emu = await createEmulator({ requestLogSize: 0 });
    const pages = await pipeline(
      emu,
      Array.from({ length: 20_000 }, () => rawGet(authorizePath)),
    );
    expect(pages.every((p) => p.status === 200)).to.equal(true);
    expect(emu.stats().consents).to.equal(1000);
  });

  it('holds at most maxCodes (default 1000) codes, forgetting the oldest first', async () => {
    emu = await createEmulator({ requestLogSize: 0 });
    const codes = [...(await approveMany(emu, 600)), ...(await approveMany(emu, 600))];
    expect(emu.stats().codes).to.equal(1000);
    const oldest = await exchange(emu, codes[0] ?? '');
    expect(oldest.status).to.equal(400);
    expect(((await oldest.json()) as { error: string }).error).to.equal('invalid_grant');
    expect((await exchange(emu, codes[200] ?? '')).status, 'the oldest kept code').to.equal(200);
    expect((await exchange(emu, codes.at(-1) ?? '')).status).to.equal(200);
  });

  it('holds at most maxTokens (default 10,000) tokens after 20,000 client-credentials grants', async () => {
    emu = await createEmulator({ requestLogSize: 0 });
    const answers = await pipeline(
      emu,
      Array.from({ length: 20_000 }, () => appTokenRequest),
    );
    expect(answers.every((a) => a.status === 200)).to.equal(true);
    expect(emu.stats().tokens).to.equal(10_000);
    const tokenOf = (i: number) =>
      (JSON.parse(answers[i]?.body ?? '{}') as { access_token: string }).access_token;
    const oldest = await me(emu, tokenOf(0));
    expect(oldest.status, 'the oldest is forgotten').to.equal(401);
    expect(oldest.headers.get('www-authenticate')).to.include('The access token is invalid');
    expect((await me(emu, tokenOf(19_999))).status, 'the newest is an app token: 403 at /me').to.equal(403);
  });

  it('follows maxCodes and maxTokens', async () => {
    emu = await createEmulator({ maxCodes: 5, maxTokens: 7, requestLogSize: 0 });
    // Five pages at a time: the consent pages waiting for an answer are capped at five too.
    for (let i = 0; i < 4; i += 1) await approveMany(emu, 5);
    await pipeline(
      emu,
      Array.from({ length: 20 }, () => appTokenRequest),
    );
    expect(emu.stats()).to.deep.equal({ codes: 5, consents: 0, tokens: 7 });
  });

  const invalid: [string, EmulatorOptions][] = [
    ['maxCodes: 0', { maxCodes: 0 }],
    ['maxCodes: 1.5', { maxCodes: 1.5 }],
    ['maxTokens: -1', { maxTokens: -1 }],
    ['maxTokens: Infinity', { maxTokens: Number.POSITIVE_INFINITY }],
  ];
  for (const [what, options] of invalid) {
    it(`refuses ${what} with a TypeError naming the option`, async () => {
      const error = await optionsRefusal(options);
      expect(error).to.be.instanceOf(TypeError);
      expect(error.message).to.match(/`max(Codes|Tokens)` must be a positive integer/);
    });
  }
});
