// The framework recipes in docs/recipes/*.md: every TypeScript block type-checks, strict, against lib/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { codeBlocks } from '../helpers/markdown';
import {
  declaresAmbientValue,
  describeDiagnostic,
  type SnippetProject,
  typeCheckProjects,
} from '../helpers/snippet-typecheck';

const recipes = path.resolve(__dirname, '../../docs/recipes');
// Virtual files live here, so that imports resolve through the repository's node_modules.
const virtualDir = path.join(__dirname, '__recipes__');

/** A recipe's Markdown. */
function read(file: string): string {
  return fs.readFileSync(path.join(recipes, file), 'utf8');
}

/**
 * A recipe's ```ts blocks as one project: a block that opens with `// name.ts` is that file (in a
 * folder of its own, so that its relative imports resolve); other blocks join the recipe's first file,
 * `<recipe>.mts` (an ES module) when no block is named.
 */
function recipeProject(file: string): SnippetProject {
  const markdown = read(file);
  const dir = path.join(virtualDir, path.basename(file, '.md'));
  const out = new Map<string, string>();
  for (const [, block = ''] of markdown.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const named = /^\/\/ ([\w.-]+\.m?ts)\n/.exec(block)?.[1];
    const first = out.keys().next().value;
    const target = named
      ? path.join(dir, named)
      : (first ?? path.join(dir, `${path.basename(file, '.md')}.mts`));
    out.set(target, `${out.get(target) ?? ''}${block}\n`);
  }
  return { mode: 'strict', files: out };
}

describe('framework recipes (docs/recipes)', () => {
  const files = fs.readdirSync(recipes).filter((f) => f.endsWith('.md'));
  const diagnostics = new Map<string, string[]>();

  before(function () {
    this.timeout(60_000);
    const results = typeCheckProjects(files.map(recipeProject));
    for (const [i, file] of files.entries()) diagnostics.set(file, results[i]!.map(describeDiagnostic));
  });

  it('has a recipe for Express, Fastify, Koa and NestJS, and for admitting ticket holders', () => {
    expect(files).to.include.members([
      'express.md',
      'fastify.md',
      'koa.md',
      'nestjs.md',
      'ticket-holders.md',
    ]);
  });

  it('fences all their code as ts (or sh, json), so that no JavaScript block goes unchecked', () => {
    const fences = files.flatMap((file) =>
      codeBlocks(read(file)).map((b) => `${file}: ${b.lang || '(none)'}`),
    );
    expect(fences.filter((fence) => !/: (ts|sh|json)$/.test(fence))).to.deep.equal([]);
  });

  it('declare no value they do not define (`declare const` compiles, then throws when run)', () => {
    const ambient = files.flatMap((file) =>
      codeBlocks(read(file)).filter((b) => declaresAmbientValue(b.text)),
    );
    expect(ambient.map((b) => b.text.split('\n')[0])).to.deep.equal([]);
  });

  for (const file of ['express.md', 'fastify.md', 'koa.md', 'nestjs.md', 'ticket-holders.md']) {
    it(`${file} type-checks in strict mode against the package's types`, () => {
      expect(diagnostics.get(file)).to.deep.equal([]);
    });
  }
});
