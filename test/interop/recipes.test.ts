// The framework recipes in docs/recipes/*.md: every TypeScript block type-checks, strict, against lib/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const recipes = path.join(root, 'docs/recipes');
// Virtual files live here, so that imports resolve through the repository's node_modules.
const virtualDir = path.join(__dirname, '__recipes__');

/**
 * A recipe's ```ts blocks as virtual files: a block that opens with `// name.ts` is that file (in a
 * folder of its own, so that its relative imports resolve); other blocks join the recipe's first file,
 * `<recipe>.mts` (an ES module) when no block is named.
 */
function recipeFiles(file: string): Map<string, string> {
  if (file === README) return readmeFiles();
  const markdown = fs.readFileSync(path.join(recipes, file), 'utf8');
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
  return out;
}

const README = 'README.md';

/** The README's sections whose ```ts blocks are type-checked, and how many blocks each has. */
const README_SECTIONS = { 'Ticket holders': 2, 'Framework recipes': 3 } as const;

/** The README's checked sections: each ```ts block is an ES module of its own. */
function readmeFiles(): Map<string, string> {
  const markdown = fs.readFileSync(path.join(root, README), 'utf8');
  const out = new Map<string, string>();
  for (const title of Object.keys(README_SECTIONS)) {
    const start = markdown.indexOf(`\n## ${title}\n`);
    if (start === -1) throw new Error(`README.md has no "## ${title}" section`);
    const end = markdown.indexOf('\n## ', start + 1);
    const section = markdown.slice(start, end === -1 ? undefined : end);
    const slug = title.toLowerCase().replace(/\W+/g, '-');
    for (const [index, [, block = '']] of [...section.matchAll(/```ts\n([\s\S]*?)```/g)].entries()) {
      out.set(path.join(virtualDir, 'readme', `${slug}-${index + 1}.mts`), block);
    }
  }
  return out;
}

/** Type-checks the recipes together, `passport-eventpop` mapped to lib/, and returns each file's diagnostics. */
function typeCheck(files: readonly string[]): Map<string, string[]> {
  const sources = new Map<string, string>();
  const recipeOf = new Map<string, string>();
  for (const file of files) {
    for (const [name, text] of recipeFiles(file)) {
      sources.set(name, text);
      recipeOf.set(name, file);
    }
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node20,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: root,
    paths: { 'passport-eventpop': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.directoryExists = (dir) =>
    dir.startsWith(virtualDir) ||
    (directoryExists ? directoryExists.call(host, dir) : ts.sys.directoryExists(dir));
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = sources.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...sources.keys()], options, host);
  const result = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = (d.file && recipeOf.get(d.file.fileName)) ?? '(global)';
    const where =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const list = result.get(file) ?? [];
    const at = d.file ? `${path.basename(d.file.fileName)} line ${where}` : 'global';
    list.push(`${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    result.set(file, list);
  }
  return result;
}

describe('framework recipes (docs/recipes)', () => {
  const files = fs.readdirSync(recipes).filter((f) => f.endsWith('.md'));
  let diagnostics: Map<string, string[]>;

  before(function () {
    this.timeout(60_000);
    diagnostics = typeCheck([...files, README]);
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

  for (const file of ['express.md', 'fastify.md', 'koa.md', 'nestjs.md', 'ticket-holders.md']) {
    it(`${file} type-checks in strict mode against the package's types`, () => {
      expect(diagnostics.get(file)).to.deep.equal([]);
    });
  }

  it('README.md has the ticket holders, Fastify, Koa and NestJS snippets, and they type-check too', () => {
    const expected = Object.values(README_SECTIONS).reduce((a, b) => a + b, 0);
    expect(readmeFiles().size).to.equal(expected);
    expect(diagnostics.get(README)).to.deep.equal([]);
  });

  it('leaves nothing outside the recipes to complain about', () => {
    expect(diagnostics.get('(global)') ?? []).to.deep.equal([]);
  });
});
