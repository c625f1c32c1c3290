// Test helpers for secret leaks: every way a log could write an error, and every spelling a secret could take in it.
import { inspect } from 'node:util';
import { expect } from 'chai';
import pino from 'pino';

/** How `application/x-www-form-urlencoded` writes a value (as URLSearchParams does). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * Every spelling of `secret` that would give it away: as text (literal, form-encoded,
 * URI-encoded) and, for each, as bytes the way loggers print a Buffer (JSON's decimal list,
 * util.inspect's spaced hex, plain hex). Lower-cased, for a case-insensitive search.
 */
export function spellings(secret: string): string[] {
  const out = new Set<string>();
  for (const text of [secret, formEncode(secret), encodeURIComponent(secret)]) {
    const bytes = Buffer.from(text, 'utf8');
    const hex = bytes.toString('hex');
    out.add(text);
    out.add([...bytes].join(','));
    out.add(hex);
    out.add(hex.replace(/(..)(?!$)/g, '$1 '));
  }
  return [...out].map((s) => s.toLowerCase());
}

/** HTTP Basic credentials for a client, raw and with ID and secret form-encoded first (RFC 6749 section 2.3.1). */
export function basicSpellings(clientID: string, clientSecret: string): string[] {
  return [`${clientID}:${clientSecret}`, `${formEncode(clientID)}:${formEncode(clientSecret)}`].map((pair) =>
    Buffer.from(pair).toString('base64').replace(/=+$/, '').toLowerCase(),
  );
}

/** The lines a real pino logger writes for `err`, logged both as `{ err }` and on its own. */
export function pinoLines(err: unknown): string {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  logger.error({ err }, 'sign-in failed');
  logger.error(err);
  return lines.join('');
}

/** `err` as logs write it: JSON.stringify, util.inspect with hidden properties at any depth, and pino. */
export function logRenderings(err: unknown): { how: string; text: string }[] {
  return [
    { how: 'JSON.stringify', text: JSON.stringify(err) ?? '' },
    { how: 'util.inspect', text: inspect(err, { showHidden: true, depth: Number.POSITIVE_INFINITY }) },
    { how: 'pino', text: pinoLines(err) },
  ];
}

/** Fails when any secret, in any of its spellings, appears in any of the texts. */
export function expectNoSecrets(
  texts: readonly { how: string; text: string }[],
  secrets: readonly string[],
  extraSpellings: readonly string[] = [],
): void {
  const needles = [...secrets.flatMap(spellings), ...extraSpellings];
  for (const { how, text } of texts) {
    const haystack = text.toLowerCase();
    for (const needle of needles) {
      const at = haystack.indexOf(needle);
      expect(
        at,
        `${how} gives away "${needle}": ...${text.slice(Math.max(0, at - 80), at + 80)}...`,
      ).to.equal(-1);
    }
  }
}
