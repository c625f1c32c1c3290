// The emulator over HTTPS (the `tls` option): a whole login through the strategy with a trusted CA, and a refusal without it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type EventpopProfile, InternalOAuthError, refreshAccessToken, Strategy } from '../lib';
import { createEmulator, defaultUsers, type Emulator } from '../lib/emulator/index';
import { rejection, within } from './fixtures/emulator/client';
import { authenticate, CLIENT, expectKind, fakeRequest, type Outcome } from './helpers/passport';

/** A throwaway self-signed certificate for 127.0.0.1 and localhost, valid one day. */
async function selfSigned(dir: string): Promise<{ key: Buffer; cert: Buffer }> {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const args =
    'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost';
  await promisify(execFile)('openssl', [...args.split(' '), '-keyout', keyFile, '-out', certFile], {
    timeout: 10_000,
  });
  return { key: await readFile(keyFile), cert: await readFile(certFile) };
}

/** GETs a URL over https trusting `ca`, without following redirects; resolves with the Location. */
function locationOf(url: string, ca: Buffer): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers.location));
      })
      .on('error', reject);
  });
}

describe('emulator: HTTPS with the tls option', () => {
  let dir: string;
  let ca: Buffer;
  let emu: Emulator;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'eventpop-emulator-tls-'));
    const pair = await selfSigned(dir);
    ca = pair.cert;
    emu = await createEmulator({
      tls: pair,
      autoApprove: true,
      clients: [
        {
          clientId: CLIENT.clientID,
          clientSecret: CLIENT.clientSecret,
          redirectUris: [CLIENT.callbackURL],
          name: 'TLS',
        },
      ],
    });
  });
  after(async () => {
    await emu?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a whole sign-in with a strategy on `emu.url`: redirect, Eventpop's answer, callback. */
  async function login(agent: https.Agent | undefined): Promise<{ outcome: Outcome; handshakes: number }> {
    let profile: EventpopProfile | undefined;
    const strategy = new Strategy(
      { ...CLIENT, baseURL: emu.url, ...(agent === undefined ? {} : { agent }) },
      (_accessToken, _refreshToken, p, done) => {
        profile = p;
        done(null, { id: p.id, profile });
      },
    );
    const session: Record<string, unknown> = {};
    const redirect = expectKind(await authenticate(strategy, fakeRequest({ session })), 'redirect');
    const back = new URL((await within(5000, locationOf(redirect.url, ca))) ?? '');
    let handshakes = 0;
    const count = () => {
      handshakes += 1;
    };
    emu.server.on('secureConnection', count);
    try {
      const outcome = await authenticate(
        strategy,
        fakeRequest({ url: `/auth/eventpop/callback${back.search}`, session }),
      );
      return { outcome, handshakes };
    } finally {
      emu.server.off('secureConnection', count);
    }
  }

  it('listens with https and reports an https URL', () => {
    expect(emu.url).to.equal(`https://127.0.0.1:${emu.port}`);
    expect(emu.server).to.be.instanceOf(https.Server);
  });

  it('signs a user in through the strategy when its agent trusts the certificate', async () => {
    const agent = new https.Agent({ ca, keepAlive: true });
    try {
      const { outcome } = await login(agent);
      const { user } = expectKind(outcome, 'success') as { user: { id: string; profile: EventpopProfile } };
      expect(user.id).to.equal(String(defaultUsers[0]?.id));
      expect(user.profile.photos).to.deep.equal([{ value: `${emu.url}/avatars/4242/medium.svg` }]);
    } finally {
      agent.destroy();
    }
  });

  it('exchanges the code and fetches the profile over one TLS handshake with a keep-alive agent', async () => {
    const agent = new https.Agent({ ca, keepAlive: true });
    try {
      const { outcome, handshakes } = await login(agent);
      expectKind(outcome, 'success');
      expect(handshakes).to.equal(1);
    } finally {
      agent.destroy();
    }
  });

  it('fails the callback with InternalOAuthError (DEPTH_ZERO_SELF_SIGNED_CERT) when the client does not trust it', async () => {
    emu.clearRequests();
    const { outcome } = await login(undefined);
    const { err } = expectKind(outcome, 'error');
    expect(err).to.be.instanceOf(InternalOAuthError);
    expect((err as InternalOAuthError & { cause?: { code?: string } }).cause?.code).to.equal(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
    expect(emu.counts.token, 'no token request got through').to.equal(0);
  });

  it('refuses refreshAccessToken without the CA with a TLS cause', async () => {
    const err = await rejection(
      refreshAccessToken(
        { clientID: CLIENT.clientID, clientSecret: CLIENT.clientSecret, baseURL: emu.url },
        'r',
      ),
    );
    expect(err).to.be.instanceOf(InternalOAuthError);
    expect((err as Error & { cause?: { code?: string } }).cause?.code).to.equal(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
  });

  it('refuses a tls option without a certificate with a TypeError naming tls.cert', async () => {
    const err = await rejection(createEmulator({ tls: { key: 'k', cert: '' } }));
    expect(err).to.be.instanceOf(TypeError);
    expect(err.message).to.match(/`tls\.cert`/);
  });
});
