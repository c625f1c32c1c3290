// Markdown as the README tests read it: sections under a heading, fenced code blocks and the files they name, shell commands, links and anchors.

/** A fenced code block. */
export interface CodeBlock {
  /** The fence's language (`js`, `ts`, `sh`, `json`), or `''`. */
  readonly lang: string;
  readonly text: string;
  /** The file the block is, when its first line is a comment naming it: `// app.mjs`. */
  readonly file: string | undefined;
  /**
   * The file the block is an addition to, when its first line names that file and where the block
   * goes: `// app.mjs: add after the routes`.
   */
  readonly addsTo: string | undefined;
  /** The nearest heading above the block in the text it was read from (`## Errors`), if any. */
  readonly heading: string | undefined;
}

/** A command line from a `sh` block: leading `NAME=value` assignments, then the program and its arguments. */
export interface ShellCommand {
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
}

/**
 * The text under a heading (`## Install`, `### TypeScript`), up to the next heading of the same or a
 * higher level, outside code fences. Throws when there is no such heading, so a renamed heading
 * fails the test that relies on it with a clear message.
 */
export function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 0;
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`the markdown has no "${heading}" heading`);
  let fenced = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.startsWith('```')) fenced = !fenced;
    const hashes = fenced ? undefined : /^(#+) /.exec(line)?.[1];
    if (hashes !== undefined && hashes.length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

/** The fenced code blocks of a text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => {
    const [, lang = '', text = ''] = match;
    const before = markdown.slice(0, match.index).replace(/^```[\s\S]*?^```$/gm, '');
    return {
      lang,
      text,
      file: /^\/\/ ([\w.-]+\.\w+)\n/.exec(text)?.[1],
      addsTo: /^\/\/ ([\w.-]+\.\w+): \S[^\n]*\n/.exec(text)?.[1],
      heading: [...before.matchAll(/^#{1,6} .+$/gm)].at(-1)?.[0],
    };
  });
}

/** The block that is this file (its first line `// <file>`); throws when there is none. */
export function fileBlock(markdown: string, file: string): CodeBlock {
  const block = codeBlocks(markdown).find((b) => b.file === file);
  if (block === undefined) throw new Error(`no code block starts with "// ${file}"`);
  return block;
}

/**
 * The commands of a `sh` block: continuation lines joined, comments dropped, words split on white
 * space. Quotes are refused rather than half-understood: a README command that needs them needs a
 * real shell parser here.
 */
export function shellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const line of script.replace(/\\\n/g, ' ').split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '').trim();
    if (code === '') continue;
    if (/["'`$]/.test(code)) throw new Error(`this helper does not parse quotes or expansions: ${code}`);
    const words = code.split(/\s+/);
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
      const word = words.shift()!;
      const eq = word.indexOf('=');
      env[word.slice(0, eq)] = word.slice(eq + 1);
    }
    commands.push({ env, argv: words });
  }
  return commands;
}

/** Every command of every `sh` block in a text. */
export function shellCommandsIn(markdown: string): ShellCommand[] {
  return codeBlocks(markdown)
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => shellCommands(b.text));
}

/** The first command whose words start with `prefix`; throws when there is none. */
export function commandStartingWith(markdown: string, prefix: readonly string[]): ShellCommand {
  const found = shellCommandsIn(markdown).find((c) => prefix.every((word, i) => c.argv[i] === word));
  if (found === undefined) throw new Error(`no sh block has a command starting "${prefix.join(' ')}"`);
  return found;
}

/** The targets of the inline links and images of a text (`[text](target)`), outside code. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, target = '']) => target);
}

/**
 * The anchors of a text's headings, as GitHub and npm make them: the heading's text (link markup
 * reduced to its words) lower-cased, punctuation dropped, spaces turned into hyphens.
 */
export function headingAnchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  const anchors = new Set<string>();
  for (const [, text = ''] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const plain = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    anchors.add(
      plain
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}
