// The newcomer's trial (issue 11): `npm init -y`, the README's install line and quick start as they stand, the emulator as the README starts it, a sign-in.
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { defaultClient, defaultUsers } from '../../lib/emulator';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import { type SignInTarget, signIn } from '../helpers/demo-app';
import { codeBlocks, commandStartingWith, fileBlock, type ShellCommand, section } from '../helpers/markdown';
import { packRepository } from '../helpers/pack';
import {
  childEnv,
  freePort,
  type Proc,
  type RunResult,
  runProcess,
  startProcess,
  stopProcess,
} from '../helpers/processes';

const root = resolve(__dirname, '..', '..');
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Fails with what the command printed unless it exited 0. */
function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0)
    expect.fail(`${what} exited with ${String(result.code)}:\n${result.stderr}${result.stdout}`);
}

describe("the README's quick start, tried as a newcomer would", function () {
  this.timeout(20_000);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  let scratch: string;
  let emulator: Proc | undefined;
  let app: Proc | undefined;
  let target: SignInTarget;
  /** The README's command that starts the app, and the environment the test runs it with. */
  let appCommand: ShellCommand;
  let appEnv: Record<string, string>;
  /** tsc on the TypeScript quick start, started in `before`. */
  let typeCheck: Promise<RunResult>;

  before(async function () {
    this.timeout(90_000);
    const quickStart = section(readme, '## Quick start (Express)');
    const tryIt = section(quickStart, '### Try it against the emulator');
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'passport-eventpop-newcomer-')));
    const { tarball } = await packRepository(scratch);

    expectSuccess(await runProcess('npm', ['init', '-y'], scratch, 15_000), 'npm init -y');
    const made = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')) as { type?: string };
    expect(made.type, 'npm init -y makes a CommonJS project, the case the quick start must survive').to.equal(
      'commonjs',
    );

    // The install line as it stands, with this repository's tarball for passport-eventpop; the npm
    // cache is warm from `npm ci`, and CI has the registry for what it lacks.
    const install = commandStartingWith(section(readme, '## Install'), ['npm', 'install']);
    expect(install.argv, 'the install line names the package').to.include('passport-eventpop');
    const [npm = 'npm', ...installArgs] = install.argv.map((word) =>
      word === 'passport-eventpop' ? tarball : word,
    );
    expectSuccess(
      await runProcess(npm, [...installArgs, '--prefer-offline', '--no-audit', '--no-fund'], scratch, 60_000),
      install.argv.join(' '),
    );

    // The TypeScript version's dev-install line, but the project's own TypeScript compiles (one
    // version under test). Installed before the app starts, so that npm does not rearrange
    // node_modules under a running app; compiled while the sign-in tests run.
    const typescript = section(quickStart, '### TypeScript');
    const typesInstall = commandStartingWith(typescript, ['npm', 'install']);
    const [, ...typesArgs] = typesInstall.argv.filter((word) => word !== 'typescript');
    expectSuccess(
      await runProcess(npm, [...typesArgs, '--prefer-offline', '--no-audit', '--no-fund'], scratch, 60_000),
      typesInstall.argv.join(' '),
    );
    for (const file of ['tsconfig.json', 'app.mts']) {
      writeFileSync(join(scratch, file), fileBlock(typescript, file).text);
    }
    typeCheck = runProcess(
      process.execPath,
      [TSC, '-p', 'tsconfig.json', '--pretty', 'false'],
      scratch,
      60_000,
    );

    // app.mjs as the quick start shows it, with the error handler of "Errors" added after the routes,
    // as the quick start says to.
    const handler = codeBlocks(section(readme, '## Errors')).find((b) => b.addsTo === 'app.mjs');
    expect(handler, 'the error-handler snippet in "Errors"').not.to.equal(undefined);
    writeFileSync(join(scratch, 'app.mjs'), `${fileBlock(quickStart, 'app.mjs').text}\n${handler!.text}`);

    // The emulator as the README starts it, on a free port, with the app's callback registered:
    // fixed ports (4000, 3000) would collide with anything else on the machine.
    const port = await freePort();
    const callbackURL = `http://localhost:${port}/auth/eventpop/callback`;
    const npx = commandStartingWith(tryIt, ['npx', 'passport-eventpop-emulator']);
    const [, emulatorURL = ''] = await startProcess(
      'npx',
      [...npx.argv.slice(1), '--port', '0', '--redirect-uri', callbackURL],
      /^Eventpop emulator listening on (http:\/\/\S+)$/m,
      { cwd: scratch, group: true, env: npx.env },
    ).then(([proc, match]) => {
      emulator = proc;
      return match;
    });

    // The app with the README's environment; only the addresses move to the ports of this run.
    appCommand = commandStartingWith(tryIt, ['node', 'app.mjs']);
    appEnv = {
      ...appCommand.env,
      EVENTPOP_BASE_URL: emulatorURL,
      EVENTPOP_CALLBACK_URL: callbackURL,
      PORT: String(port),
    };
    const [started, [, appURL = '']] = await startProcess(
      appCommand.argv[0]!,
      appCommand.argv.slice(1),
      /open (http:\/\/localhost:\d+)/,
      { cwd: scratch, env: appEnv },
    );
    app = started;
    target = { appURL, callbackURL, emu: { url: emulatorURL, users: defaultUsers } };
  });

  after(async () => {
    await Promise.all([stopProcess(app), stopProcess(emulator), typeCheck]);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe("the README's commands", () => {
    it("start the app with the emulator's default client, its callback and its address", () => {
      expect(appCommand.env).to.include({
        EVENTPOP_CLIENT_ID: defaultClient.clientId,
        EVENTPOP_CLIENT_SECRET: defaultClient.clientSecret,
        EVENTPOP_CALLBACK_URL: defaultClient.redirectUris[0],
        EVENTPOP_BASE_URL: 'http://127.0.0.1:4000',
      });
      expect(appCommand.env.SESSION_SECRET, 'SESSION_SECRET').to.be.a('string').and.not.equal('');
    });
  });

  it('signs a user in through the consent page and shows who is signed in on /', async () => {
    const user = defaultUsers[0]!;
    const steps = await signIn(new HttpBrowser(), target, { userId: user.id });
    const home = steps.final as Page;
    expect([home.url, home.status]).to.deep.equal([`${target.appURL}/`, 200]);
    expect(home.body).to.include(`Signed in as ${user.full_name}`);
  });

  it('says on / why the sign-in failed when the user clicks Deny', async () => {
    const steps = await signIn(new HttpBrowser(), target, { decision: 'deny' });
    const home = steps.final as Page;
    expect(home.url).to.equal(`${target.appURL}/`);
    expect(home.body).to.match(/<p>Sign-in failed: [^<]*denied[^<]*<\/p>/);
    expect(home.body).to.include('Login with Eventpop');
  });

  it("answers an error=temporarily_unavailable callback with the README handler's page, not a stack trace", async () => {
    const browser = new HttpBrowser();
    const start = await browser.open(`${target.appURL}/auth/eventpop`, { follow: false });
    const state = new URL(start.location ?? '').searchParams.get('state') ?? '';
    const callback = new URL(target.callbackURL);
    callback.search = new URLSearchParams({ error: 'temporarily_unavailable', state }).toString();
    const page = await browser.open(callback.href);
    expect(page.status).to.equal(503);
    expect(page.body).to.match(/try again/i);
    expect(page.body).not.to.match(/AuthorizationError|\bat [^ ]+ \(|node_modules/);
  });

  it('stops with a message naming SESSION_SECRET when it is not set', async () => {
    const result = await runProcess(
      appCommand.argv[0]!,
      appCommand.argv.slice(1),
      scratch,
      15_000,
      childEnv({ ...appEnv, SESSION_SECRET: undefined }),
    );
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('SESSION_SECRET is not set');
    expect(result.stderr).not.to.include('secret option required');
  });

  describe('in TypeScript', () => {
    it("uses a tsconfig with strict on (the README's)", () => {
      const config = readFileSync(join(scratch, 'tsconfig.json'), 'utf8').replace(/^\/\/.*$/gm, '');
      expect(
        (JSON.parse(config) as { compilerOptions: { strict?: boolean } }).compilerOptions.strict,
      ).to.equal(true);
    });

    it('compiles app.mts as pasted, with no diagnostics', async function () {
      this.timeout(60_000);
      const compiled = await typeCheck;
      expect(`${compiled.stdout}${compiled.stderr}`.trim(), 'tsc diagnostics').to.equal('');
      expect(compiled.code, 'tsc exit code').to.equal(0);
    });
  });
});
