// The supported Node lines: the pins CI tests on (scripts/node-lines.json), the README's table of them, and engines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const root = join(__dirname, '..');

/** One pinned line, as scripts/node-lines.json holds it. */
interface NodeLinePin {
  line: number;
  version: string;
  integrity: string;
}

const pins = JSON.parse(readFileSync(join(root, 'scripts', 'node-lines.json'), 'utf8')) as NodeLinePin[];
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const engines = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
).engines.node;

/** `[major, minor, patch]` of a version such as `20.19` or `26.12.1` (missing parts are 0). */
function parts(version: string): number[] {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return [major, minor, patch];
}

function atLeast(version: string, floor: string): boolean {
  const [a, b] = [parts(version), parts(floor)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** The rows of the README's "| Node line | status | tested on |" table: `[line, tested on]`. */
function readmeRows(): string[][] {
  const start = readme.indexOf('| Node line | status | tested on |');
  expect(start, 'the README has a table of the supported Node lines').to.be.greaterThan(-1);
  const rows: string[][] = [];
  for (const row of readme.slice(start).split('\n').slice(2)) {
    if (!row.startsWith('|')) break;
    const cells = row.split('|').map((cell) => cell.trim());
    rows.push([cells[1] ?? '', cells[3] ?? '']);
  }
  return rows;
}

describe('the supported Node lines', () => {
  it('are pinned to exact releases of their own line, newest line first', () => {
    expect(pins.length).to.be.greaterThan(0);
    for (const pin of pins) {
      expect(pin.version, `line ${pin.line}`).to.match(/^\d+\.\d+\.\d+$/);
      expect(parts(pin.version)[0], pin.version).to.equal(pin.line);
      expect(pin.integrity, pin.version).to.match(/^sha512-[A-Za-z0-9+/]{86}==$/);
    }
    const lines = pins.map((pin) => pin.line);
    expect(lines).to.deep.equal([...lines].sort((a, b) => b - a));
  });

  it('are the rows of the README table, each with the exact version CI tests on', () => {
    expect(readmeRows()).to.deep.equal(pins.map((pin) => [String(pin.line), pin.version]));
  });

  it('are all allowed by engines.node, whose floor is on the oldest tested line', () => {
    const floor = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(engines)?.[1];
    expect(floor, `engines.node "${engines}" is a plain >= range`).to.be.a('string');
    for (const pin of pins) expect(atLeast(pin.version, floor ?? ''), pin.version).to.equal(true);
    expect(parts(floor ?? '')[0]).to.equal(pins.at(-1)?.line);
  });
});
