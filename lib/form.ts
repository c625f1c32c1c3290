// Bodies in `application/x-www-form-urlencoded`, the encoding of OAuth's token requests, byte for byte as URLSearchParams writes them.

// What the form encoding leaves as it is (the WHATWG URL standard's
// application/x-www-form-urlencoded percent-encode set spares these); a value made only of them,
// such as a code, a token or a client ID, is written unchanged.
const PLAIN = /^[A-Za-z0-9*._-]*$/;
// Characters encodeURIComponent leaves alone but the form encoding encodes, and the space, which
// the form encoding writes as `+`.
const DIFFERENT = /[!'()~]|%20/g;
const FORM_ESCAPES: Readonly<Record<string, string>> = {
  '!': '%21',
  "'": '%27',
  '(': '%28',
  ')': '%29',
  '~': '%7E',
  '%20': '+',
};

/**
 * `value` as the form encoding writes it: what `new URLSearchParams({ v: value }).toString()`
 * writes after `v=` (a lone surrogate as U+FFFD, as URLSearchParams replaces it).
 * @internal
 */
export function formEncode(value: string): string {
  if (PLAIN.test(value)) return value;
  try {
    return encodeURIComponent(value).replace(DIFFERENT, (s) => FORM_ESCAPES[s] as string);
  } catch {
    // encodeURIComponent refuses a lone surrogate; URLSearchParams itself writes it as U+FFFD.
    return new URLSearchParams({ v: value }).toString().slice(2);
  }
}

/**
 * The body of a POST with `fields` and then the client's credentials, encoded as URLSearchParams
 * encodes them (a `client_id` or `client_secret` in `fields` is replaced by the client's). Written
 * out rather than built with URLSearchParams, whose machinery costs a login more than a
 * microsecond on Node 20 (docs/performance.md).
 * @internal
 */
export function formBody(
  fields: Readonly<Record<string, string>>,
  clientID: string,
  clientSecret: string,
): string {
  let body = '';
  for (const name in fields) {
    if (name === 'client_id' || name === 'client_secret') continue;
    body += `${formEncode(name)}=${formEncode(fields[name] as string)}&`;
  }
  return `${body}client_id=${formEncode(clientID)}&client_secret=${formEncode(clientSecret)}`;
}
