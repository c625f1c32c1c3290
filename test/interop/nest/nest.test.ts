// Interop: a full Eventpop login through NestJS 12 (@nestjs/passport, AuthGuard, express-session), over real sockets.

import { readFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';
import type { StartApp } from '../app-kit';
import { Browser, describeLogin, expectedUser, type Interop, login, startInterop } from '../harness';

/** What ./app.ts exports (not imported as a type: the app compiles only with ./tsconfig.json). */
interface NestAppModule {
  nestApp: StartApp;
}

/**
 * The app uses decorators, which need `experimentalDecorators`, and mocha's tsx compiles with the
 * root tsconfig.json (no decorators). So this one file is compiled here by TypeScript itself,
 * with the options of ./tsconfig.json; what it imports still goes through tsx.
 */
let loaded: NestAppModule | undefined;
function loadNestApp(): NestAppModule {
  if (loaded) return loaded;
  const file = path.join(__dirname, 'app.ts');
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  const mod = new Module(file, module) as Module & { _compile(code: string, filename: string): void };
  mod.filename = file;
  mod.paths = module.paths;
  mod._compile(outputText, file);
  loaded = mod.exports as NestAppModule;
  return loaded;
}

const nestApp: StartApp = (server, options) => loadNestApp().nestApp(server, options);

describeLogin('NestJS 12', nestApp);

describe('NestJS 12: a validate with the token params (callbackArity)', () => {
  let interop: Interop;

  before(async () => {
    interop = await startInterop(nestApp);
  });

  after(async () => {
    await interop?.close();
  });

  it('passes expires_in from the token response to a 5-argument validate', async () => {
    const browser = new Browser();
    const callback = await login(browser, interop, 'allow', '/auth/eventpop-params');
    expect([callback.status, callback.location]).to.deep.equal([302, `${interop.appURL}/`]);
    const me = await browser.get(`${interop.appURL}/me`);
    expect(JSON.parse(me.body)).to.deep.equal({ ...expectedUser(interop.emu), expiresIn: 7200 });
  });
});
