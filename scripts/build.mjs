// Builds the package once as CommonJS (tsc), then writes thin ESM wrappers that re-export
// the same objects, so `import` and `require` share one copy of every class.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});

for (const entry of ['index', 'emulator/index']) {
  const cjsFile = join(dist, `${entry}.js`);
  if (!existsSync(cjsFile)) continue;
  const names = Object.keys(require(cjsFile)).filter((n) => n !== '__esModule' && n !== 'default');
  const base = `./${entry.split('/').pop()}.js`;
  const lines = [
    '// ESM entry: re-exports the CommonJS build so both module systems share one copy of each class.',
    `import cjs from '${base}';`,
    `export const { ${names.join(', ')} } = cjs;`,
    '',
  ];
  writeFileSync(join(dist, `${entry}.mjs`), lines.join('\n'));
  writeFileSync(join(dist, `${entry}.d.mts`), `export * from '${base}';\n`);
}

const cli = join(dist, 'emulator', 'cli.js');
if (existsSync(cli)) chmodSync(cli, 0o755);
