// Property-based checks every pure parser of Eventpop's bodies shares: no prototype pollution, any text in.
import { expect } from 'chai';
import fc from 'fast-check';
import { EventpopAPIError } from '../../lib';

/** A function giving the EventpopAPIError `parse` throws for a body; it fails the test when `parse` returns. */
export function parseErrorOf(
  parse: (body: string, status?: number) => unknown,
  name: string,
): (body: string, status?: number) => EventpopAPIError {
  return (body, status) => {
    try {
      parse(body, status);
    } catch (err) {
      expect(err).to.be.instanceOf(EventpopAPIError);
      return err as EventpopAPIError;
    }
    throw new Error(`expected ${name} to throw`);
  };
}

/** Every own key whose value is undefined, at any depth (`_json` left out: it is Eventpop's own). */
export function undefinedKeys(value: unknown, at = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '_json' ? [] : inner === undefined ? [`${at}${key}`] : undefinedKeys(inner, `${at}${key}.`),
  );
}

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
