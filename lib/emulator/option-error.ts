// How createEmulator refuses an option: a TypeError that names it and says what it must be.

/** Throws `createEmulator: option \`<option>\` must be <expected>`. @internal */
export function fail(option: string, expected: string): never {
  throw new TypeError(`createEmulator: option \`${option}\` must be ${expected}`);
}
