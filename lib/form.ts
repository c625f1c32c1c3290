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

/** The client whose credentials end a body. */
export interface FormClient {
  readonly clientID: string;
  readonly clientSecret: string;
}

/** What is kept per client: its credentials encoded, and the last field value it had to encode. */
interface ClientForm {
  readonly credentials: string;
  lastValue: string | undefined;
  lastEncoded: string;
}

// Per client object (the strategy's resolved options), so that nothing of one client outlives it.
const forms = new WeakMap<FormClient, ClientForm>();

/**
 * The body of a POST with `fields` and then the client's credentials, encoded as URLSearchParams
 * encodes them (a `client_id` or `client_secret` in `fields` is replaced by the client's). Written
 * out rather than built with URLSearchParams, whose machinery costs a login more than a
 * microsecond on Node 20 (docs/performance.md). The credentials are encoded once per client, and
 * the last value that needed encoding is kept: a login's one such value is its `redirect_uri`,
 * the same every time.
 * @internal
 */
export function formBody(fields: Readonly<Record<string, string>>, client: FormClient): string {
  let form = forms.get(client);
  if (form === undefined) {
    const credentials = `client_id=${formEncode(client.clientID)}&client_secret=${formEncode(client.clientSecret)}`;
    form = { credentials, lastValue: undefined, lastEncoded: '' };
    forms.set(client, form);
  }
  let body = '';
  for (const name in fields) {
    if (name === 'client_id' || name === 'client_secret') continue;
    const value = fields[name] as string;
    let encoded: string;
    if (PLAIN.test(value)) encoded = value;
    else if (value === form.lastValue) encoded = form.lastEncoded;
    else {
      encoded = formEncode(value);
      form.lastValue = value;
      form.lastEncoded = encoded;
    }
    body += `${formEncode(name)}=${encoded}&`;
  }
  return body + form.credentials;
}
