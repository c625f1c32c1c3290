// Property-based checks every pure parser of Eventpop's bodies shares: no prototype pollution, any text in.
import fc from 'fast-check';

/**
 * JSON object texts built from these keys (and any values), written as text so that `__proto__`
 * is a real key of the body and not a prototype.
 */
export function jsonObjectText(keys: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 })), { maxLength: 6 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
}

/**
 * Asserts that parsing the bodies `bodies(outer, inner)` builds from two hostile objects never
 * adds anything to Object.prototype; whether the parser throws is the contract test's business.
 */
export function assertNoPrototypePollution(
  parse: (body: string) => unknown,
  keys: readonly string[],
  bodies: (outer: string, inner: string) => readonly string[],
): void {
  const object = jsonObjectText(['__proto__', 'constructor', 'prototype', ...keys]);
  fc.assert(
    fc.property(object, object, (outer, inner) => {
      for (const body of bodies(outer, inner)) {
        try {
          parse(body);
        } catch {
          // Not this property's business.
        }
      }
      return (
        ({} as Record<string, unknown>).polluted === undefined && Object.keys(Object.prototype).length === 0
      );
    }),
    { numRuns: 300 },
  );
}

/** Strings in general and strings made of JSON's punctuation, for a parser that must take any text. */
export function anyBodyText(letters: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom('{', '}', '"', ':', ',', ' ', '\u0000', ...letters) }),
  );
}
