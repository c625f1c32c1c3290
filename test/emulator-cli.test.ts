import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseCommandLine, UsageError } from '../lib/emulator/command-line';
import { defaultClient } from '../lib/emulator/index';
import { within } from './fixtures/emulator/client';

const cli = join(__dirname, '..', 'lib', 'emulator', 'cli.ts');

function start(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: 'pipe' });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  return { child, output: () => text };
}

/** Resolves with the emulator's URL once the CLI has printed everything up to its "Ctrl+C" line. */
function ready(child: ChildProcessWithoutNullStreams, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const url = /listening on (http:\/\/\S+)/.exec(output())?.[1];
      if (url !== undefined && output().includes('Ctrl+C')) resolve(url);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output()}`)));
  });
}

describe('emulator CLI', () => {
  let running: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    if (running !== undefined && running.exitCode === null) running.kill('SIGKILL');
    running = undefined;
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints its URL, client and users, serves requests and stops cleanly on ${signal}`, async () => {
      const { child, output } = start(['--port', '0', '--host', '127.0.0.1']);
      running = child;
      const url = await within(15_000, ready(child, output));
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output()).to.include('demo-client');
      expect(output()).to.include('demo-secret');
      expect(output()).to.include('http://localhost:3000/auth/eventpop/callback');
      expect(output()).to.include('somchai@example.com');
      expect(output()).to.include('minimal@example.com');

      const page = await fetch(`${url}/oauth/authorize?client_id=demo-client&response_type=code`);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.include('Eventpop Demo');

      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await within(10_000, exited);
      expect(code).to.equal(0);
    });
  }

  it('exits with 2 and a one-line reason naming the flag, not a stack, for a bad value', async () => {
    const { child, output } = start(['--port', 'abc']);
    running = child;
    const [code] = await within(15_000, once(child, 'exit'));
    expect(code).to.equal(2);
    expect(output()).to.include('--port must be an integer from 0 to 65535, not "abc"');
    expect(output()).to.include('--help');
    expect(output()).not.to.match(/\n\s+at /);
  });

  it('registers the client given by --client-id, --client-secret and each --redirect-uri, and never prints that secret', async () => {
    const secret = 'cli-s3cret-9a7b';
    const { child, output } = start([
      '--port',
      '0',
      '--client-id',
      'my-app',
      '--client-secret',
      secret,
      '--redirect-uri',
      'http://127.0.0.1:5000/auth/eventpop/callback',
      '--redirect-uri',
      'http://localhost:5000/auth/eventpop/callback',
      '--token-ttl',
      '60',
    ]);
    running = child;
    const url = await within(15_000, ready(child, output));
    expect(output().split('\n')[0]).to.match(/^Eventpop emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).to.include('client id:     my-app');
    expect(output()).to.include('redirect URI:  http://127.0.0.1:5000/auth/eventpop/callback');
    expect(output()).to.include('redirect URI:  http://localhost:5000/auth/eventpop/callback');
    expect(output()).not.to.include('http://localhost:3000/auth/eventpop/callback');
    expect(output()).to.include('localhost and 127.0.0.1 are different');
    expect(output()).not.to.include(secret);

    const page = await fetch(
      `${url}/oauth/authorize?client_id=my-app&response_type=code&redirect_uri=${encodeURIComponent('http://127.0.0.1:5000/auth/eventpop/callback')}`,
    );
    expect(await page.text()).to.include('<form');
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'my-app',
        client_secret: secret,
      }),
    });
    expect(((await token.json()) as { expires_in: number }).expires_in, '--token-ttl').to.equal(60);
    const demo = await fetch(`${url}/oauth/authorize?client_id=demo-client&response_type=code`);
    expect(await demo.text(), 'the default client is replaced').to.include('invalid_client');
  });

  it('injects --fault at start and serves the control routes with --control', async () => {
    const { child, output } = start([
      '--port',
      '0',
      '--control',
      '--fault',
      'token={"status":503,"body":"down","times":1}',
    ]);
    running = child;
    const url = await within(15_000, ready(child, output));
    expect(output()).to.include(`Control:   ${url}/_emulator/faults`);
    const listed = await (await fetch(`${url}/_emulator/faults`)).json();
    expect(listed).to.deep.equal({
      faults: { token: [{ kind: 'status', fault: { status: 503, body: 'down', times: 1 }, remaining: 1 }] },
    });
    const faulty = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
    });
    expect(faulty.status).to.equal(503);
    const injected = await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'me', fault: { status: 500 } }),
    });
    expect(injected.status).to.equal(201);
    expect((await fetch(`${url}/api/public/me`)).status).to.equal(500);
  });

  it('exits with 1 and says so when the port is taken', async () => {
    const first = start(['--port', '0']);
    running = first.child;
    const url = await within(15_000, ready(first.child, first.output));
    const { child, output } = start(['--port', new URL(url).port]);
    const [code] = await within(15_000, once(child, 'exit'));
    expect(code).to.equal(1);
    expect(output()).to.include('the port is in use');
  });
});

describe('emulator CLI flags', () => {
  const refused: [string[], string][] = [
    [['--prot', '3'], 'unknown option --prot'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--port'], '--port needs a value'],
    [['--auto-approve=yes'], '--auto-approve takes no value'],
    [['--rate-limit', 'lots'], '--rate-limit must be a number'],
    [['--token-ttl', '0'], '--token-ttl must be an integer from 1'],
    [['--redirect-uri', '/auth/eventpop/callback'], '--redirect-uri must be an absolute URL'],
    [['--client-id', ''], '--client-id must not be empty'],
    [['--client-secret', ''], '--client-secret must not be empty'],
    [['--allowed-host', 'http://emulator:4000'], '--allowed-host takes a host name'],
    [['--fault', 'profile={"status":500}'], 'an endpoint among authorize, token, me, tickets, revoke'],
    [['--fault', 'token={status:500}'], 'not valid JSON'],
    [['--fault', 'token={"status":500,"time":1}'], 'unknown field "time"'],
    [['stray'], 'unexpected argument "stray"'],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')} with a UsageError: ${message}`, () => {
      expect(() => parseCommandLine(argv))
        .to.throw(UsageError)
        .with.property('message')
        .that.includes(message);
    });
  }

  it('never repeats the client secret in a refusal', () => {
    expect(() => parseCommandLine(['--client-secret', 'hunter2-secret', 'stray']))
      .to.throw(UsageError)
      .with.property('message')
      .that.does.not.include('hunter2-secret');
  });

  it('passes each --allowed-host on, and parses --rate-limit and --auto-approve', () => {
    const cli = parseCommandLine([
      '--allowed-host',
      'emulator',
      '--allowed-host',
      'auth.test',
      '--rate-limit',
      '0',
      '--auto-approve',
    ]);
    if (cli === 'help') throw new Error('not help');
    expect(cli.options).to.deep.include({
      allowedHosts: ['emulator', 'auth.test'],
      profileRateLimit: 0,
      autoApprove: true,
    });
  });

  it('defaults to the demo client on port 4000 of 127.0.0.1, with the control routes off', () => {
    const cli = parseCommandLine([]);
    expect(cli).not.to.equal('help');
    if (cli === 'help') return;
    expect(cli.options).to.deep.include({
      port: 4000,
      host: '127.0.0.1',
      control: false,
      profileRateLimit: 10,
    });
    expect(cli.options.clients).to.deep.equal([defaultClient]);
    expect(cli.secretGiven).to.equal(false);
  });
});
