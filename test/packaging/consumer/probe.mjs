// Run inside the scratch project: imports the installed package as ESM, compares it with require(), prints JSON.
import { createRequire } from 'node:module';
import * as main from 'passport-eventpop';
import { Strategy } from 'passport-eventpop';
import * as emulator from 'passport-eventpop/emulator';

const require = createRequire(import.meta.url);
const cjsMain = require('passport-eventpop');
const cjsEmulator = require('passport-eventpop/emulator');

const kinds = (mod) => Object.fromEntries(Object.entries(mod).map(([key, value]) => [key, typeof value]));
const sameAs = (esm, cjs) =>
  Object.fromEntries(
    Object.keys(cjs)
      .filter((key) => key !== '__esModule')
      .map((key) => [key, esm[key] === cjs[key]]),
  );

console.log(
  JSON.stringify({
    resolved: import.meta.resolve('passport-eventpop'),
    resolvedEmulator: import.meta.resolve('passport-eventpop/emulator'),
    exports: kinds(main),
    emulator: kinds(emulator),
    namedStrategy: typeof Strategy === 'function' && Strategy === main.Strategy,
    sameAsRequire: sameAs(main, cjsMain),
    emulatorSameAsRequire: sameAs(emulator, cjsEmulator),
  }),
);
