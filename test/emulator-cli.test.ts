import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'chai';
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

  it('exits with 1 and the usage on a bad port', async () => {
    const { child, output } = start(['--port', 'abc']);
    running = child;
    const [code] = await within(15_000, once(child, 'exit'));
    expect(code).to.equal(1);
    expect(output()).to.include('`port`');
    expect(output()).to.include('Usage:');
  });
});
