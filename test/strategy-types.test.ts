// Type tests under mocha: the TypeScript compiler accepts test/types/verify-forms.ts and rejects a wrong snippet.
import * as path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';

const TYPES_DIR = path.join(__dirname, 'types');
const VERIFY_FORMS = path.join(TYPES_DIR, 'verify-forms.ts');
const TICKETS = path.join(TYPES_DIR, 'tickets.ts');
/** Exists only in memory: a use of the strategy that must not compile. */
const WRONG = path.join(TYPES_DIR, 'deliberately-wrong.ts');
const WRONG_SOURCE = `
import { type EventpopVerifyFunction, type EventpopVerifyFunctionWithParams, Strategy } from '../../lib';
const verify: EventpopVerifyFunctionWithParams = (_accessToken, _refreshToken, params, _profile, done) => {
  done(null, { name: params.displayName });
};
new Strategy({ clientID: 'id', clientSecret: 'secret', callbackURL: '/cb' }, verify);
const plain: EventpopVerifyFunction = (_accessToken, _refreshToken, _profile, done) => done();
new Strategy({ clientID: 'id', clientSecret: 'secret', callbackURL: '/cb', scope: 42 }, plain);
`;

/** One compile of both files with test/tsconfig.json's options; diagnostics by file. */
function compile(): Map<string, readonly ts.Diagnostic[]> {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(__dirname, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('test/tsconfig.json could not be read');
  const options = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => path.resolve(name) === WRONG || fileExists.call(host, name);
  host.readFile = (name) => (path.resolve(name) === WRONG ? WRONG_SOURCE : readFile.call(host, name));
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === WRONG
      ? ts.createSourceFile(name, WRONG_SOURCE, language, true)
      : getSourceFile.call(host, name, language, ...rest);
  const program = ts.createProgram({ rootNames: [VERIFY_FORMS, TICKETS, WRONG], options, host });
  const byFile = new Map<string, readonly ts.Diagnostic[]>();
  for (const file of [VERIFY_FORMS, TICKETS, WRONG]) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not in the program`);
    byFile.set(file, [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]);
  }
  return byFile;
}

function describeDiagnostic(d: ts.Diagnostic): string {
  const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
  const at = where
    ? `${path.basename(d.file?.fileName ?? '')}:${where.line + 1}:${where.character + 1} `
    : '';
  return `${at}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}

describe('the TypeScript types', () => {
  let diagnostics: Map<string, readonly ts.Diagnostic[]>;
  before(function () {
    this.timeout(20_000);
    diagnostics = compile();
  });

  it('accept every verify form and reject every wrong use in test/types/verify-forms.ts', () => {
    expect((diagnostics.get(VERIFY_FORMS) ?? []).map(describeDiagnostic)).to.deep.equal([]);
  });

  it('type profile.tickets as present with the tickets option, and accept and reject the uses in test/types/tickets.ts', () => {
    expect((diagnostics.get(TICKETS) ?? []).map(describeDiagnostic)).to.deep.equal([]);
  });

  it('reject reading displayName on the token params', () => {
    const found = (diagnostics.get(WRONG) ?? []).map(describeDiagnostic);
    expect(
      found.some((d) =>
        /TS2339: Property 'displayName' does not exist on type 'EventpopTokenParams'/.test(d),
      ),
    ).to.equal(true, found.join('\n'));
  });

  it('reject scope: 42', () => {
    const found = (diagnostics.get(WRONG) ?? []).filter((d) => d.code === 2769).map(describeDiagnostic);
    const scopeType = /Type 'number' is not assignable to type 'string \| readonly string\[\] \| undefined'/;
    expect(found.some((d) => /deliberately-wrong\.ts:8:/.test(d) && scopeType.test(d))).to.equal(
      true,
      found.join('\n'),
    );
  });

  it('reject nothing else in the wrong snippet', () => {
    expect((diagnostics.get(WRONG) ?? []).map((d) => d.code).sort()).to.deep.equal([2339, 2769]);
  });
});
