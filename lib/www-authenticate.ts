// Pure: a `WWW-Authenticate` header -> the parameters of its Bearer challenge (RFC 6750 section 3), in one linear pass.

/**
 * Longest header read, in characters. Doorkeeper's challenges are under 200; Node accepts up to
 * 16 KiB of headers, and nothing past this is needed to say why a token was refused.
 */
export const MAX_CHALLENGE_LENGTH = 2048;

// RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[char.charCodeAt(0)] = 1;
}

function isTchar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Reads the `name=value` parameters (token or quoted-string values) of the `Bearer` challenge in
 * a `WWW-Authenticate` header; names are lower-cased and the first of a repeated name is kept.
 * Only the first {@link MAX_CHALLENGE_LENGTH} characters are read. Each character is visited
 * once, so a hostile header costs time in proportion to its (bounded) length. Values are as sent
 * (quoted-pair escapes undone): the caller must treat them as untrusted text.
 */
export function parseBearerChallenge(header: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  if (!header) return params;
  const text = header.length > MAX_CHALLENGE_LENGTH ? header.slice(0, MAX_CHALLENGE_LENGTH) : header;
  const end = text.length;
  let inBearer = false;
  let i = 0;
  while (i < end) {
    if (!isTchar(text.charCodeAt(i))) {
      i += 1; // separators (space, comma) and stray characters
      continue;
    }
    const nameStart = i;
    while (i < end && isTchar(text.charCodeAt(i))) i += 1;
    const name = text.slice(nameStart, i);
    let j = i;
    while (j < end && isSpace(text.charCodeAt(j))) j += 1;
    if (text.charCodeAt(j) !== 0x3d /* = */) {
      // A token not followed by "=" starts a challenge (its scheme), or is a token68.
      inBearer = name.toLowerCase() === 'bearer';
      i = j;
      continue;
    }
    j += 1;
    while (j < end && isSpace(text.charCodeAt(j))) j += 1;
    let value: string;
    if (text.charCodeAt(j) === 0x22 /* " */) {
      j += 1;
      const parts: string[] = [];
      let runStart = j;
      while (j < end) {
        const code = text.charCodeAt(j);
        if (code === 0x22) break;
        if (code === 0x5c /* \ */ && j + 1 < end) {
          parts.push(text.slice(runStart, j));
          runStart = j + 1; // the escaped character starts the next run
          j += 2;
          continue;
        }
        j += 1;
      }
      parts.push(text.slice(runStart, j));
      value = parts.join('');
      j += 1; // past the closing quote (or the end of an unterminated string)
    } else {
      const valueStart = j;
      while (j < end && isTchar(text.charCodeAt(j))) j += 1;
      value = text.slice(valueStart, j);
    }
    const key = name.toLowerCase();
    if (inBearer && !params.has(key)) params.set(key, value);
    i = j;
  }
  return params;
}
