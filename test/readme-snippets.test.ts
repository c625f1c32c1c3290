// Every js and ts block of README.md compiles as pasted: a whole file on its own, or an addition to the file of the README it names, with every name it uses defined or imported.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { type CodeBlock, codeBlocks } from './helpers/markdown';
import {
  declaresAmbientValue,
  describeDiagnostic,
  type SnippetDiagnostic,
  type SnippetProject,
  typeCheckProjects,
} from './helpers/snippet-typecheck';

const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
// The snippets live here in memory only, so that their imports resolve through the repository's node_modules.
const virtualDir = path.join(__dirname, '__readme__');

/** The languages a README block may be fenced with; a `javascript` or `tsx` fence would escape the check. */
const FENCES = ['js', 'ts', 'sh', 'json'];

/** Which file extensions each checked fence's named files may have. */
const EXTENSIONS: Readonly<Record<string, readonly string[]>> = { js: ['.mjs', '.js'], ts: ['.mts', '.ts'] };

/** A README block as it is checked: the project it makes, or why it cannot make one. */
interface Snippet {
  /** How the test names it: `"Errors" block 1 (js, added to app.mjs)`. */
  readonly title: string;
  readonly block: CodeBlock;
  readonly project: SnippetProject | string;
  /** Lines of the file an addition is appended to, so that diagnostics point into the addition. */
  readonly baseLines: number;
}

function snippets(): Snippet[] {
  const files = new Map<string, CodeBlock>();
  const perHeading = new Map<string, number>();
  const out: Snippet[] = [];
  for (const block of codeBlocks(readme)) {
    if (block.lang !== 'js' && block.lang !== 'ts') continue;
    const heading = (block.heading ?? '(top)')
      .replace(/^#+ /, '')
      .replace(/ ?\(?\[[^\]]*\]\([^)]*\)\)?/g, '');
    const index = (perHeading.get(heading) ?? 0) + 1;
    perHeading.set(heading, index);
    const slug = `${heading.toLowerCase().replace(/\W+/g, '-')}-${index}`;
    const mode = block.lang === 'ts' ? 'strict' : 'checkJs';
    const base = block.addsTo === undefined ? undefined : files.get(block.addsTo);
    const role =
      block.file !== undefined
        ? `, ${block.file}`
        : block.addsTo !== undefined
          ? `, added to ${block.addsTo}`
          : '';
    const title = `"${heading}" block ${index} (${block.lang}${role})`;
    const named = block.file ?? block.addsTo;
    let project: SnippetProject | string;
    if (named !== undefined && !EXTENSIONS[block.lang]!.includes(path.extname(named)))
      project = `a ${block.lang} block names ${named}`;
    else if (block.addsTo !== undefined && base === undefined)
      project = `it is an addition to ${block.addsTo}, but no block above it is that file (first line "// ${block.addsTo}")`;
    else {
      const name = path.join(virtualDir, slug, named ?? `snippet${block.lang === 'ts' ? '.mts' : '.mjs'}`);
      project = {
        mode,
        files: new Map([[name, base === undefined ? block.text : `${base.text}\n${block.text}`]]),
      };
    }
    if (block.file !== undefined) files.set(block.file, block);
    out.push({ title, block, project, baseLines: base === undefined ? 0 : base.text.split('\n').length });
  }
  return out;
}

/** A diagnostic, with its line counted in the snippet rather than in the file it was added to. */
function inSnippet(d: SnippetDiagnostic, baseLines: number): string {
  if (baseLines === 0 || d.line === undefined || d.line <= baseLines) return describeDiagnostic(d);
  return describeDiagnostic(d).replace(
    `line ${d.line}:`,
    `line ${d.line} (the addition's line ${d.line - baseLines}):`,
  );
}

describe("the README's code blocks, pasted into a new project", () => {
  const all = snippets();
  const diagnostics = new Map<Snippet, string[]>();

  before(function () {
    this.timeout(120_000);
    const checkable = all.filter(
      (s): s is Snippet & { project: SnippetProject } => typeof s.project !== 'string',
    );
    const results = typeCheckProjects(checkable.map((s) => s.project));
    for (const [i, s] of checkable.entries()) {
      diagnostics.set(
        s,
        results[i]!.map((d) => inSnippet(d, s.baseLines)),
      );
    }
  });

  it('fences every block as js, ts, sh or json, so that no code escapes this check', () => {
    const fences = codeBlocks(readme).map((b) => b.lang);
    expect(fences.filter((lang) => !FENCES.includes(lang))).to.deep.equal([]);
    expect(all.length, 'js and ts blocks found').to.be.greaterThan(10);
  });

  it('declares no value it does not define: `declare const` compiles, then throws when run', () => {
    const ambient = all.filter((s) => declaresAmbientValue(s.block.text));
    expect(ambient.map((s) => s.title)).to.deep.equal([]);
  });

  for (const snippet of all) {
    it(`${snippet.title} compiles as pasted, with every name it uses defined or imported`, () => {
      if (typeof snippet.project === 'string') expect.fail(snippet.project);
      expect(diagnostics.get(snippet)).to.deep.equal([]);
    });
  }
});
