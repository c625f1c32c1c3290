// Interop: a full Eventpop login through NestJS 12 (@nestjs/passport, AuthGuard, express-session), over real sockets.
import * as path from 'node:path';
import { expect } from 'chai';
import { register } from 'tsx/cjs/api';
import type { StartApp } from '../app-kit';
import { Browser, describeLogin, expectedUser, type Interop, login, startInterop } from '../harness';

/** What ./app.ts exports (not imported as a type: the app compiles only with ./tsconfig.json). */
interface NestAppModule {
  nestApp: StartApp;
}

/**
 * The app uses decorators, which need `experimentalDecorators`: mocha's tsx reads the root
 * tsconfig.json, so the app is compiled by a second tsx instance that reads the one beside it.
 */
let loaded: NestAppModule | undefined;
function loadNestApp(): NestAppModule {
  if (loaded) return loaded;
  const previous = process.env.TSX_TSCONFIG_PATH;
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, 'tsconfig.json');
  try {
    const tsx = register({ namespace: 'interop-nest' });
    loaded = tsx.require('./app.ts', __filename) as NestAppModule;
    return loaded;
  } finally {
    if (previous === undefined) delete process.env.TSX_TSCONFIG_PATH;
    else process.env.TSX_TSCONFIG_PATH = previous;
  }
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
