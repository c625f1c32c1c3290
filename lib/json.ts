// Parsing of Eventpop's JSON bodies at the boundary: never throws, never lets `__proto__` through.

/** A JSON object as parsed from an answer; every value still unchecked. */
export type JSONObject = { readonly [key: string]: unknown };

// JSON.parse makes `__proto__` an own property, harmless until someone merges the object into
// another with Object.assign or a spread-based deep merge; drop it here, once.
function reviver(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** Parses a body that should hold a JSON object; anything else (or invalid JSON) gives undefined. */
export function parseJSON(text: string): JSONObject | undefined {
  let value: unknown;
  try {
    // A reviver makes V8 parse several times slower, and only a body that spells `__proto__`
    // (literally, or through a \u escape) can need it.
    value = text.includes('__proto__') || text.includes('\\u') ? JSON.parse(text, reviver) : JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JSONObject)
    : undefined;
}
