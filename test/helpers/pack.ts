// This repository packed as npm would publish it: the tarball a user's project installs.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runProcess } from './processes';

const root = resolve(__dirname, '..', '..');

/** The packed tarball and the files npm put in it. */
export interface Packed {
  /** Absolute path of the .tgz. */
  readonly tarball: string;
  /** The files in it, as npm pack lists them (`dist/index.js`, `README.md`), sorted. */
  readonly files: readonly string[];
}

/** Runs `npm pack` on this repository (built first: `npm test` builds) into `destination`. */
export async function packRepository(destination: string): Promise<Packed> {
  for (const entry of ['dist/index.js', 'dist/emulator/index.js']) {
    if (!existsSync(join(root, entry))) {
      throw new Error(`${entry} is missing: run \`npm run build\` first (\`npm test\` does)`);
    }
  }
  // --ignore-scripts: a prepack script must not rebuild dist/ under the other test files' feet.
  const packed = await runProcess(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    root,
    30_000,
  );
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [report] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(destination, report.filename), files: report.files.map((f) => f.path).sort() };
}
