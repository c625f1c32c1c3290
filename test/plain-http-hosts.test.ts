// Plain http: loopback always; a named development host (an emulator in docker-compose) only through allowHTTPHosts, and never in production.
import * as http from 'node:http';
import type { LookupFunction } from 'node:net';
import { expect } from 'chai';
import { type EventpopStrategyOptions, getApplicationToken, refreshAccessToken, Strategy } from '../lib';
import { createEmulator, defaultClient, type Emulator } from '../lib/emulator';
import { CLIENT, verifyUser, withoutNock } from './helpers/passport';

function construct(options: Record<string, unknown>): Strategy {
  return new Strategy({ ...CLIENT, ...options } as EventpopStrategyOptions, verifyUser);
}

function refusal(options: Record<string, unknown>): TypeError {
  try {
    construct(options);
  } catch (err) {
    expect(err).to.be.instanceOf(TypeError);
    return err as TypeError;
  }
  throw new Error('expected the constructor to throw');
}

/** Runs `body` with NODE_ENV set to `value`, then puts NODE_ENV back as it was. */
function withNodeEnv<T>(value: string, body: () => T): T {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = value;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

describe('plain http endpoints', () => {
  it('shows the URL given, without its credentials or query, when it refuses http', () => {
    const { message } = refusal({ baseURL: 'http://emulator:4000/eventpop?token=abc#frag' });
    expect(message).to.include('got http://emulator:4000/eventpop.').and.not.include('token=abc');
    expect(message).to.include("allowHTTPHosts: ['emulator']");
  });

  it('names the endpoint option it refuses, with its path', () => {
    expect(refusal({ tokenURL: 'http://token.example/oauth/token' }).message).to.include(
      'the tokenURL option must use https:, got http://token.example/oauth/token.',
    );
  });

  describe('allowHTTPHosts', () => {
    it('lets every endpoint on a named host use http', () => {
      const strategy = construct({ baseURL: 'http://emulator:4000', allowHTTPHosts: ['emulator'] });
      expect(strategy.name).to.equal('eventpop');
    });

    it('matches host names case-insensitively', () => {
      expect(() =>
        construct({ baseURL: 'http://Emulator:4000', allowHTTPHosts: ['EMULATOR'] }),
      ).to.not.throw();
    });

    it('still refuses http for a host it does not name', () => {
      expect(
        refusal({
          baseURL: 'http://emulator:4000',
          profileURL: 'http://api.example/me',
          allowHTTPHosts: ['emulator'],
        }).message,
      ).to.include('profileURL');
    });

    it('does not allow a subdomain or a parent of a named host', () => {
      for (const baseURL of ['http://evil.emulator:4000', 'http://emulator.evil.example']) {
        expect(refusal({ baseURL, allowHTTPHosts: ['emulator'] }).message).to.include('baseURL');
      }
    });

    for (const entry of ['http://emulator', 'emulator:4000', '*', '*.example', 'emulator/path', '', 42]) {
      it(`refuses the entry ${JSON.stringify(entry)}: host names only`, () => {
        expect(refusal({ baseURL: 'https://www.eventpop.me', allowHTTPHosts: [entry] }).message).to.include(
          'allowHTTPHosts option must list host names',
        );
      });
    }

    it('refuses anything but an array', () => {
      expect(refusal({ allowHTTPHosts: 'emulator' }).message).to.include('must be an array');
    });

    it("is refused when NODE_ENV is 'production', even for an https baseURL", () => {
      const err = withNodeEnv('production', () => refusal({ allowHTTPHosts: ['emulator'] }));
      expect(err.message).to.include("refused when NODE_ENV is 'production'");
    });

    it("accepts an empty list when NODE_ENV is 'production' (it allows nothing)", () => {
      expect(() => withNodeEnv('production', () => construct({ allowHTTPHosts: [] }))).to.not.throw();
    });

    it("refuses it for the token helpers too when NODE_ENV is 'production'", async () => {
      const pending = withNodeEnv('production', () =>
        refreshAccessToken({ ...CLIENT, baseURL: 'http://emulator:4000', allowHTTPHosts: ['emulator'] }, 'r'),
      );
      expect(await pending.catch((e: unknown) => e)).to.be.instanceOf(TypeError);
    });
  });

  describe('against an emulator reached by a non-loopback host name', () => {
    withoutNock();

    let emu: Emulator;
    let agent: http.Agent;
    before(async () => {
      // The emulator answers only Host names it knows (its DNS-rebinding guard), as `--allowed-host emulator` says.
      emu = await createEmulator({ port: 0, allowedHosts: ['emulator'] });
      // "emulator" resolves to the emulator's loopback address, as docker-compose's DNS would.
      const lookup: LookupFunction = (_host, options, done) => {
        if ((options as { all?: boolean }).all) done(null, [{ address: '127.0.0.1', family: 4 }]);
        else done(null, '127.0.0.1', 4);
      };
      agent = new http.Agent({ lookup } as http.AgentOptions);
    });
    after(async () => {
      agent.destroy();
      await emu.close();
    });

    it('gets a token over plain http from http://emulator:<port>', async () => {
      const token = await getApplicationToken({
        clientID: defaultClient.clientId,
        clientSecret: defaultClient.clientSecret,
        baseURL: `http://emulator:${new URL(emu.url).port}`,
        allowHTTPHosts: ['emulator'],
        agent,
      });
      expect(token.accessToken).to.match(/^[0-9a-f]{64}$/);
    });
  });
});
