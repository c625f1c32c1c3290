// The published package as a user's project sees it: the tarball's files, require and import of it, type-checks, publint, attw.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect } from 'chai';
import { headingAnchors, linkTargets } from '../helpers/markdown';
import { packRepository } from '../helpers/pack';
import { type RunResult, runProcess as run } from '../helpers/processes';

const root = resolve(__dirname, '..', '..');
const consumerFixtures = join(__dirname, 'consumer');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** The fields of package.json this file reads. */
interface PackageJson {
  name: string;
  version: string;
  engines?: Record<string, string>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

/** Runs a package's JavaScript file with this Node; the path is relative to `cwd`'s node_modules or absolute. */
function node(args: readonly string[], cwd: string, timeoutMs = 15_000): Promise<RunResult> {
  return run(process.execPath, args, cwd, timeoutMs);
}

/** Parses a probe's JSON line, or fails with what the probe printed. */
function probeOutput<T>(result: RunResult): T {
  if (result.code !== 0) {
    expect.fail(`the probe exited with ${String(result.code)}:\n${result.stderr}${result.stdout}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** The package folder `name` resolves to from `fromDir`, as Node would look it up (nearest node_modules up). */
function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The flat `node_modules` that `npm install <tarball> typescript` would lay out in a new project: the
 * transitive closure of `names`, each found where this repo's install put it, first version wins
 * (a package whose dependency has another version finds it by its own real path, as npm nests it).
 */
function hoistedClosure(names: readonly string[]): Map<string, string> {
  const hoisted = new Map<string, string>();
  const queue = names.map((name) => ({ name, from: root, optional: false }));
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    if (hoisted.has(item.name)) continue;
    const dir = findPackageDir(item.name, item.from);
    if (dir === undefined) {
      if (item.optional) continue;
      throw new Error(`${item.name} (needed by the consumer) is not installed in ${root}; run npm ci`);
    }
    hoisted.set(item.name, dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: true });
    for (const dep of Object.keys(pkg.peerDependencies ?? {})) {
      queue.push({ name: dep, from: dir, optional: pkg.peerDependenciesMeta?.[dep]?.optional === true });
    }
  }
  return hoisted;
}

/** Every file below `dir`, as `/`-separated paths relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Bare module specifiers (`x`, `@scope/x`, not `./x` or `node:x`) a built file imports, comments left out. */
function bareImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers = new Set<string>();
  const pattern = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;
  for (const match of code.matchAll(pattern)) {
    const spec = match[2]!;
    if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    const parts = spec.split('/');
    specifiers.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...specifiers];
}

/** The tsconfig of a scratch consumer: strict, and skipLibCheck off so the package's .d.ts files are checked too. */
function consumerTsconfig(module: string, moduleResolution: string): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module,
      moduleResolution,
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ['consumer.ts'],
  };
}

describe('the published package, as a user project sees it', () => {
  let scratch: string;
  let tarball: string;
  let packedFiles: string[];
  /** scratch/node_modules/passport-eventpop: the tarball, extracted as npm would. */
  let installed: string;
  let installedPackage: PackageJson;

  before(async function () {
    this.timeout(30_000);
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'passport-eventpop-consumer-')));
    const packed = await packRepository(scratch);
    tarball = packed.tarball;
    packedFiles = [...packed.files];

    // Offline and deterministic: rather than `npm install <tarball>` (which needs the registry or a warm
    // npm cache), lay out node_modules as npm would, by hand: the tarball extracted into
    // node_modules/passport-eventpop (`package/` prefix stripped), and each package of the closure of
    // its declared dependencies (plus the consumer's own typescript) symlinked, flat, from this repo's
    // install. Only declared dependencies are reachable from the extracted package, so a missing
    // dependency fails here as it would for a user; Node and tsc follow the symlinks to real paths.
    installed = join(scratch, 'node_modules', rootPackage.name);
    mkdirSync(installed, { recursive: true });
    const untar = await run(
      'tar',
      ['-xzf', tarball, '-C', installed, '--strip-components=1'],
      scratch,
      15_000,
    );
    if (untar.code !== 0) throw new Error(`tar failed:\n${untar.stderr}`);
    installedPackage = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as PackageJson;
    const declared = Object.keys({ ...installedPackage.dependencies, ...installedPackage.peerDependencies });
    for (const [name, dir] of hoistedClosure([...declared, 'typescript'])) {
      const link = join(scratch, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(dir, link, 'dir');
    }
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-consumer', private: true }));
    for (const probe of ['probe.cjs', 'probe.mjs'])
      copyFileSync(join(consumerFixtures, probe), join(scratch, probe));
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('npm pack', () => {
    it('packs only package.json, README.md, LICENSE, dist/, and what the README links to: docs/, SECURITY.md and the benchmark results', () => {
      const outside = packedFiles.filter((p) => !p.startsWith('dist/') && !p.startsWith('docs/'));
      const expected = ['LICENSE', 'package.json', 'SECURITY.md', 'bench/results.json', 'bench/results.svg'];
      if (existsSync(join(root, 'README.md'))) expected.push('README.md');
      expect(outside).to.have.members(expected);
    });

    it('packs only Markdown under docs/', () => {
      expect(packedFiles.filter((p) => p.startsWith('docs/') && !p.endsWith('.md'))).to.deep.equal([]);
    });

    it('packs only built JavaScript and declarations under dist/: no sources, tests or maps', () => {
      const other = packedFiles
        .filter((p) => p.startsWith('dist/'))
        .filter((p) => !/\.(?:js|mjs|d\.ts|d\.mts)$/.test(p) || /(?:^|\/)(?:test|tests|__tests__)\//.test(p));
      expect(other).to.deep.equal([]);
    });

    it('packs both entry points in CommonJS and ESM with their declarations, and the emulator CLI', () => {
      expect(packedFiles).to.include.members([
        'dist/index.js',
        'dist/index.mjs',
        'dist/index.d.ts',
        'dist/index.d.mts',
        'dist/emulator/index.js',
        'dist/emulator/index.mjs',
        'dist/emulator/index.d.ts',
        'dist/emulator/index.d.mts',
        'dist/emulator/cli.js',
      ]);
    });

    it('extracts to exactly the files npm pack listed', () => {
      expect(listFiles(installed)).to.deep.equal(packedFiles);
    });
  });

  describe('the Markdown it ships, read from node_modules', () => {
    /** Every relative link of every packed .md file that does not resolve inside the package. */
    function deadLinks(): string[] {
      const dead: string[] = [];
      for (const file of packedFiles.filter((p) => p.endsWith('.md'))) {
        const text = readFileSync(join(installed, file), 'utf8');
        for (const target of linkTargets(text)) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
          const [path = '', fragment] = target.split('#');
          const resolved =
            path === '' ? join(installed, file) : resolve(dirname(join(installed, file)), path);
          const inside = resolved.startsWith(`${installed}${sep}`);
          if (!inside || !existsSync(resolved)) {
            dead.push(`${file}: ${target}`);
          } else if (fragment !== undefined && resolved.endsWith('.md')) {
            if (!headingAnchors(readFileSync(resolved, 'utf8')).has(fragment))
              dead.push(`${file}: ${target}`);
          }
        }
      }
      return dead;
    }

    it('has links in README.md, so the check below checks something', () => {
      expect(linkTargets(readFileSync(join(installed, 'README.md'), 'utf8'))).to.include(
        'docs/performance.md',
      );
    });

    it('has no relative link (or #anchor) that leads nowhere inside the package', () => {
      expect(deadLinks()).to.deep.equal([]);
    });
  });

  describe('package.json', () => {
    it("declares engines.node '>=20.19', the oldest Node the tests run on", () => {
      expect(installedPackage.engines?.node).to.equal('>=20.19');
    });

    it('declares the passport-eventpop-emulator bin, whose file starts with a node shebang', () => {
      const bin = installedPackage.bin?.['passport-eventpop-emulator'];
      expect(bin, 'bin["passport-eventpop-emulator"]').to.be.a('string');
      const head = readFileSync(join(installed, bin!), 'utf8').split('\n', 1)[0];
      expect(head).to.equal('#!/usr/bin/env node');
    });

    it('declares every package its built files import (types from @types/* for .d.ts files)', () => {
      const declared = new Set(
        Object.keys({ ...installedPackage.dependencies, ...installedPackage.peerDependencies }),
      );
      const undeclared: string[] = [];
      for (const file of packedFiles.filter((p) => p.startsWith('dist/'))) {
        const isDeclaration = /\.d\.m?ts$/.test(file);
        for (const spec of bareImports(readFileSync(join(installed, file), 'utf8'))) {
          if (spec === installedPackage.name || declared.has(spec)) continue;
          const typesPackage = `@types/${spec.startsWith('@') ? spec.slice(1).replace('/', '__') : spec}`;
          if (isDeclaration && declared.has(typesPackage)) continue;
          undeclared.push(`${file} imports '${spec}' (declare ${isDeclaration ? typesPackage : spec})`);
        }
      }
      // Under pnpm or Yarn PnP a package sees only what it declares; an undeclared import fails there.
      expect(undeclared).to.deep.equal([]);
    });
  });

  describe('require() from a CommonJS project', () => {
    interface CjsProbe {
      resolved: string;
      exports: Record<string, string>;
      emulator: Record<string, string>;
      strategyName: string;
      extendsOAuth2Strategy: boolean;
      tokenErrorIsError: boolean;
    }
    let probe: CjsProbe;

    before(async () => {
      probe = probeOutput<CjsProbe>(await node(['probe.cjs'], scratch));
    });

    it("loads the installed tarball from the project's node_modules, not this repo", () => {
      expect(probe.resolved).to.equal(join(installed, 'dist', 'index.js'));
    });

    it('exports Strategy, EventpopStrategy and the four error classes', () => {
      for (const name of [
        'Strategy',
        'EventpopStrategy',
        'TokenError',
        'InternalOAuthError',
        'AuthorizationError',
        'EventpopAPIError',
      ]) {
        expect(probe.exports[name], name).to.equal('function');
      }
    });

    it("constructs a Strategy named 'eventpop'", () => {
      expect(probe.strategyName).to.equal('eventpop');
    });

    it("constructs a Strategy that is an instance of the project's own passport-oauth2 OAuth2Strategy", () => {
      expect(probe.extendsOAuth2Strategy).to.equal(true);
    });

    it('exports error classes whose instances are Errors', () => {
      expect(probe.tokenErrorIsError).to.equal(true);
    });

    it("exposes createEmulator from require('passport-eventpop/emulator')", () => {
      expect(probe.emulator['createEmulator']).to.equal('function');
    });
  });

  describe('import from an ES module project', () => {
    interface EsmProbe {
      resolved: string;
      resolvedEmulator: string;
      exports: Record<string, string>;
      emulator: Record<string, string>;
      namedStrategy: boolean;
      sameAsRequire: Record<string, boolean>;
      emulatorSameAsRequire: Record<string, boolean>;
    }
    let probe: EsmProbe;

    before(async () => {
      probe = probeOutput<EsmProbe>(await node(['probe.mjs'], scratch));
    });

    it("resolves the ESM entries of the installed tarball from the project's node_modules", () => {
      expect([probe.resolved, probe.resolvedEmulator]).to.deep.equal([
        `file://${join(installed, 'dist', 'index.mjs')}`,
        `file://${join(installed, 'dist', 'emulator', 'index.mjs')}`,
      ]);
    });

    it("imports { Strategy } by name from 'passport-eventpop'", () => {
      expect(probe.namedStrategy).to.equal(true);
    });

    it('exports the same names as require(), each the very same object: one copy of each class', () => {
      const differing = Object.entries(probe.sameAsRequire).filter(([, same]) => !same);
      expect(Object.keys(probe.sameAsRequire)).to.include.members([
        'Strategy',
        'TokenError',
        'EventpopAPIError',
      ]);
      expect(differing).to.deep.equal([]);
    });

    it("imports createEmulator from 'passport-eventpop/emulator', the same function require() gives", () => {
      expect(probe.emulator['createEmulator']).to.equal('function');
      expect(probe.emulatorSameAsRequire).to.deep.include({ createEmulator: true });
    });
  });

  describe('the emulator bin', () => {
    it('prints its usage for --help when run from the installed package', async () => {
      const bin = installedPackage.bin?.['passport-eventpop-emulator'] ?? 'dist/emulator/cli.js';
      const result = await node([join(installed, bin), '--help'], scratch);
      expect({
        code: result.code,
        usage: result.stdout.startsWith('Usage: passport-eventpop-emulator'),
      }).to.deep.equal({
        code: 0,
        usage: true,
      });
    });
  });

  describe('type-checking a strict TypeScript consumer with skipLibCheck off', () => {
    const variants = {
      'nodenext-esm': { type: 'module', module: 'nodenext', moduleResolution: 'nodenext' },
      'nodenext-cjs': { type: 'commonjs', module: 'nodenext', moduleResolution: 'nodenext' },
      bundler: { type: 'module', module: 'esnext', moduleResolution: 'bundler' },
    } as const;
    const checks = new Map<string, Promise<RunResult>>();

    // The three tsc runs are independent: start them together and let each `it` await its own.
    before(function () {
      this.timeout(5_000);
      for (const [name, v] of Object.entries(variants)) {
        const dir = join(scratch, `ts-${name}`);
        mkdirSync(dir);
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name: `scratch-${name}`, private: true, type: v.type }),
        );
        writeFileSync(
          join(dir, 'tsconfig.json'),
          JSON.stringify(consumerTsconfig(v.module, v.moduleResolution)),
        );
        copyFileSync(join(consumerFixtures, 'consumer.ts'), join(dir, 'consumer.ts'));
        const tsc = join(scratch, 'node_modules', 'typescript', 'bin', 'tsc');
        checks.set(name, node([tsc, '-p', 'tsconfig.json', '--pretty', 'false'], dir, 60_000));
      }
    });

    /** Asserts that tsc exited 0 and printed no diagnostic. */
    async function expectNoDiagnostics(variant: keyof typeof variants): Promise<void> {
      const result = await checks.get(variant)!;
      expect(`${result.stdout}${result.stderr}`.trim(), 'tsc diagnostics').to.equal('');
      expect(result.code, 'tsc exit code').to.equal(0);
    }

    it('reports no diagnostics under module nodenext in a "type": "module" project', async function () {
      this.timeout(60_000);
      await expectNoDiagnostics('nodenext-esm');
    });

    it('reports no diagnostics under module nodenext in a "type": "commonjs" project', async function () {
      this.timeout(60_000);
      await expectNoDiagnostics('nodenext-cjs');
    });

    it('reports no diagnostics under module esnext with moduleResolution bundler', async function () {
      this.timeout(60_000);
      await expectNoDiagnostics('bundler');
    });
  });

  describe('package linters', () => {
    it('publint --strict reports no problems for the packed tarball', async function () {
      this.timeout(30_000);
      const { publint } = await import('publint');
      const { formatMessage } = await import('publint/utils');
      const bytes = readFileSync(tarball);
      const tarballBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const { messages, pkg } = await publint({ strict: true, pack: { tarball: tarballBuffer } });
      const problems = messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
      expect(problems).to.deep.equal([]);
    });

    it('attw (@arethetypeswrong/cli) reports no problems for any entry point and resolution mode', async function () {
      this.timeout(30_000);
      const attw = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
      const result = await node([attw, tarball, '--format', 'json'], scratch, 30_000);
      if (!result.stdout.trimStart().startsWith('{'))
        expect.fail(`attw did not run:\n${result.stderr}${result.stdout}`);
      const report = JSON.parse(result.stdout) as {
        analysis?: { problems?: { kind: string; entrypoint?: string; resolutionKind?: string }[] };
      };
      const problems = (report.analysis?.problems ?? []).map((p) =>
        `${p.kind} ${p.entrypoint ?? ''} ${p.resolutionKind ?? ''}`.trim(),
      );
      // NoResolution for ./emulator under node10 (moduleResolution "node", which ignores "exports") is fixed
      // in package.json with: "typesVersions": { "*": { "emulator": ["./dist/emulator/index.d.ts"] } }
      expect(problems).to.deep.equal([]);
    });
  });
});
