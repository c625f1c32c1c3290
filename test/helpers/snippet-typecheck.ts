// Type-checking code that exists only as text (the README's and the recipes' snippets): each project its own program, with `passport-eventpop` mapped to lib/.
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

/**
 * How a project is checked: TypeScript under `strict` (and the repository's other strict flags),
 * or JavaScript with `allowJs` + `checkJs`, not strict: plain JS has implicit anys, but a name that
 * is used and never defined or imported is still an error.
 */
export type CheckMode = 'strict' | 'checkJs';

/** Files checked together, as one new project would hold them. */
export interface SnippetProject {
  /**
   * Absolute path to text. The files need not exist: they are served from memory, and their
   * imports resolve from where they would be (the repository's node_modules).
   */
  readonly files: ReadonlyMap<string, string>;
  readonly mode: CheckMode;
}

const shared: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node20,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
  baseUrl: root,
  // The package as its users import it, from the source (no build needed to check the docs).
  paths: {
    'passport-eventpop': ['lib/index.ts'],
    'passport-eventpop/emulator': ['lib/emulator/index.ts'],
  },
};

const modes: Readonly<Record<CheckMode, ts.CompilerOptions>> = {
  strict: {
    ...shared,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    // The NestJS snippets use decorators as Nest's own tsconfig does.
    experimentalDecorators: true,
  },
  checkJs: { ...shared, allowJs: true, checkJs: true, strict: false },
};

/**
 * Parsed files from disk (lib/, node_modules' typings), shared by every program of one mode:
 * parsing @types/node and friends once instead of once a project keeps the check to seconds.
 */
const diskFiles = new Map<string, ts.SourceFile | undefined>();

function programFor(project: SnippetProject): ts.Program {
  const options = modes[project.mode];
  const { files } = project;
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  const virtualDirs = new Set([...files.keys()].flatMap((file) => ancestors(path.dirname(file))));
  host.directoryExists = (dir) =>
    virtualDirs.has(dir) || (directoryExists ? directoryExists.call(host, dir) : ts.sys.directoryExists(dir));
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language);
    const format = typeof language === 'object' ? language.impliedNodeFormat : undefined;
    const key = `${project.mode}|${String(format)}|${name}`;
    if (!diskFiles.has(key)) diskFiles.set(key, getSourceFile.call(host, name, language, ...rest));
    return diskFiles.get(key);
  };
  return ts.createProgram([...files.keys()], options, host);
}

function ancestors(dir: string): string[] {
  const parent = path.dirname(dir);
  return parent === dir ? [dir] : [dir, ...ancestors(parent)];
}

/**
 * Whether a snippet declares a value without defining it (`declare const accessToken: string`):
 * that compiles, and throws a ReferenceError when the pasted code runs. `declare global` and
 * `declare module`, which only add types, are fine.
 */
export function declaresAmbientValue(text: string): boolean {
  return /^\s*declare\s+(const|let|var|function|class|enum|namespace)\b/m.test(text);
}

/** One compiler diagnostic, where it is. */
export interface SnippetDiagnostic {
  /** Absolute path of the file, absent for a diagnostic about the program as a whole. */
  readonly file: string | undefined;
  /** 1-based line in that file. */
  readonly line: number | undefined;
  readonly message: string;
}

/** `<file relative to the repository> line <n>: <message>`. */
export function describeDiagnostic({ file, line, message }: SnippetDiagnostic): string {
  return file === undefined ? `global: ${message}` : `${path.relative(root, file)} line ${line}: ${message}`;
}

/**
 * What checkJs reports that plain JS cannot avoid, and so is not counted in that mode: the fields
 * an app puts on `req.user` and `req.session`, which TypeScript declares by augmenting passport's
 * `Express.User` and express-session's `SessionData` (as the README's app.mts does) and an .mjs
 * file cannot.
 */
const APP_DEFINED_FIELD =
  /^Property '[^']+' does not exist on type '(User|Session & Partial<SessionData>)'\.$/;
const PROPERTY_DOES_NOT_EXIST = 2339;

/**
 * Whether a project changes what other files see: `declare global`, `declare module` and
 * `/// <reference>` reach every file of a program, where a module's own names reach none.
 */
function augments(project: SnippetProject): boolean {
  return [...project.files.values()].some((text) =>
    /^\s*declare\s+(global|module)\b|^\/\/\/\s*<reference/m.test(text),
  );
}

/**
 * Type-checks projects as if each were alone, and returns each project's diagnostics (none when it
 * compiles). Projects of one mode share a program, which is as good as one each (their names stay
 * in their modules) and several times faster; a project that {@link augments} gets a program of its
 * own, so that its declarations cannot make another compile. (A package whose typings augment
 * another's, such as koa-passport's, is seen by every project of the shared program; no snippet
 * relies on that without importing the package itself.) A diagnostic in no project's files, such
 * as one in lib/, is given to every project of its program.
 */
export function typeCheckProjects(projects: readonly SnippetProject[]): SnippetDiagnostic[][] {
  const groups = new Map<string, SnippetProject[]>();
  projects.forEach((project, i) => {
    const key = augments(project) ? `alone ${i}` : project.mode;
    groups.set(key, [...(groups.get(key) ?? []), project]);
  });
  const found = new Map<SnippetProject, SnippetDiagnostic[]>(projects.map((p) => [p, []]));
  for (const group of groups.values()) {
    const files = new Map(group.flatMap((p) => [...p.files]));
    const owner = new Map(group.flatMap((p) => [...p.files.keys()].map((name) => [name, p] as const)));
    const mode = group[0]!.mode;
    for (const d of ts.getPreEmitDiagnostics(programFor({ mode, files }))) {
      const diagnostic = {
        file: d.file?.fileName,
        line:
          d.file && d.start !== undefined
            ? d.file.getLineAndCharacterOfPosition(d.start).line + 1
            : undefined,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      };
      if (
        mode === 'checkJs' &&
        d.code === PROPERTY_DOES_NOT_EXIST &&
        APP_DEFINED_FIELD.test(diagnostic.message)
      )
        continue;
      const to = diagnostic.file === undefined ? undefined : owner.get(diagnostic.file);
      for (const p of to === undefined ? group : [to]) found.get(p)!.push(diagnostic);
    }
  }
  return projects.map((p) => found.get(p)!);
}
