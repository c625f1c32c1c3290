// Parsing of Eventpop's JSON bodies at the boundary: never throws, never lets `__proto__` through, says why a body was refused.

/** A JSON object as parsed from an answer; every value still unchecked. */
export type JSONObject = { readonly [key: string]: unknown };

/**
 * Why a body gave no object: `not_json` (not valid JSON: HTML, cut off, ...), `too_deep` (valid
 * JSON that could not be checked for `__proto__` keys without running out of stack), or
 * `not_object` (JSON, but an array, a string, a number or null).
 */
export type JSONProblem = 'not_json' | 'too_deep' | 'not_object';

// JSON.parse makes `__proto__` an own property, harmless until someone merges the object into
// another with Object.assign or a spread-based deep merge; drop it here, once.
function reviver(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/**
 * Parses a body that should hold a JSON object: the object, or (a string) why there is none.
 * A string rather than a wrapper object, so that a successful parse allocates nothing more.
 */
export function readJSON(text: string): JSONObject | JSONProblem {
  let value: unknown;
  // A reviver makes V8 parse several times slower, and only a body that spells `__proto__`
  // (literally, or through a \u escape) can need it.
  if (text.includes('__proto__') || text.includes('\\u')) {
    try {
      value = JSON.parse(text, reviver);
    } catch (err) {
      // V8 parses without recursion, but walks the result recursively to call the reviver: a
      // deep enough document that is valid JSON overflows the stack there. It cannot be checked,
      // so it is refused, and the reason kept apart from a syntax error.
      return err instanceof RangeError ? 'too_deep' : 'not_json';
    }
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      return 'not_json';
    }
  }
  return isJSONObject(value) ? value : 'not_object';
}

/** Whether a parsed value is a JSON object (not an array, not null). */
export function isJSONObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A string field as kept by the parsers: trimmed, and left out (undefined) when it is not a
 * string, empty, or longer than `limit`, since a cut value is a wrong value.
 */
export function trimmedText(value: unknown, limit: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= limit ? trimmed : undefined;
}

/** Parses a body that should hold a JSON object; anything else (or invalid JSON) gives undefined. */
export function parseJSON(text: string): JSONObject | undefined {
  const read = readJSON(text);
  return typeof read === 'string' ? undefined : read;
}

/** What to say about a body that gave no JSON object, after "answered ...". */
export function describeJSONProblem(problem: JSONProblem): string {
  if (problem === 'too_deep') return 'JSON nested too deeply to be checked safely for __proto__ keys';
  if (problem === 'not_object') return 'JSON that is not an object';
  return 'a body that is not valid JSON';
}
