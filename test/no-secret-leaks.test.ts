// No failure leaks a secret: client secret, code, PKCE verifier, access and refresh token stay out of errors and output.
import type * as http from 'node:http';
import { inspect } from 'node:util';
import { expect } from 'chai';
import type { EventpopStrategyOptions } from '../lib';
import { basicSpellings, expectNoSecrets, formEncode, pinoLines } from './helpers/leaks';
import {
  CLIENT,
  closedPort,
  httpServer,
  type LoopbackServer,
  makeStrategy,
  type Outcome,
  signIn,
  withoutNock,
} from './helpers/passport';

// `+`, `/` and `=` make the form-encoded, URI-encoded and base64 spellings differ from the literal.
const SECRET = {
  clientSecret: 'cs+LEAKCHECK/7f3a9b2c1d0e=',
  code: 'code+LEAKCHECK/4d2e8c6a=',
  accessToken: `at-LEAKCHECK-${'9e'.repeat(26)}`,
  refreshToken: `rt-LEAKCHECK-${'5c'.repeat(26)}`,
} as const;

/** Answers one request; `body` is the request body as text. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** One failure: how Eventpop (or the network) misbehaves, and the options that point at it. */
interface Row {
  readonly name: string;
  readonly token?: Handler;
  readonly me?: Handler;
  /** With it, the strategy checks tickets (organizer 1017) and the list answers with this. */
  readonly tickets?: Handler;
  readonly options?: () => Promise<Partial<EventpopStrategyOptions>>;
  /** The callback's query instead of `code` and the right state. */
  readonly query?: Record<string, string>;
}

/**
 * Everything the request carried that is secret, as one string a hostile server echoes back: the
 * form as sent, its values decoded, URI-encoded and upper-cased, the Authorization header, and the
 * client's credentials as HTTP Basic would carry them (raw and form-encoded first, RFC 6749 2.3.1).
 */
function echo(req: http.IncomingMessage, body: string): string {
  const values = [...new URLSearchParams(body).values()];
  const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');
  return [
    body,
    req.headers.authorization ?? '',
    decodeURIComponent(body),
    values.join(' '),
    values.map(encodeURIComponent).join(' '),
    values.map(encodeURI).join(' '),
    body.toUpperCase(),
    `Basic ${basic(CLIENT.clientID, SECRET.clientSecret)}`,
    `Basic ${basic(formEncode(CLIENT.clientID), formEncode(SECRET.clientSecret))}`,
  ].join(' ');
}

function json(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(value));
}

const tokenSuccess: Handler = (_req, res) =>
  json(res, 200, {
    access_token: SECRET.accessToken,
    token_type: 'Bearer',
    expires_in: 7200,
    refresh_token: SECRET.refreshToken,
    scope: 'public',
    created_at: 1552036500,
  });

const meSuccess: Handler = (_req, res) => json(res, 200, { user: { id: 1, full_name: 'Somchai Jaidee' } });

const hang: Handler = () => {};
const reset: Handler = (req) => req.socket.resetAndDestroy();
const oneMiB = 1024 * 1024;

const ROWS: Row[] = [
  {
    name: 'the user refuses',
    query: { error: 'access_denied', error_description: 'denied', code: SECRET.code },
  },
  {
    name: 'another authorization error',
    query: { error: 'server_error', error_description: 'oops', code: SECRET.code, state: 'x' },
  },
  { name: 'a missing state', query: { code: SECRET.code } },
  { name: 'a wrong state', query: { code: SECRET.code, state: 'forged' } },
  {
    name: 'invalid_grant (400) echoing the request',
    token: (req, res, body) =>
      json(
        res,
        400,
        {
          error: 'invalid_grant',
          error_description: echo(req, body),
          error_uri: `https://x.example/?${body}`,
        },
        { 'WWW-Authenticate': `Bearer error="invalid_grant", error_description="${body}"` },
      ),
  },
  {
    name: 'invalid_client (401) echoing the request',
    token: (req, res, body) =>
      json(res, 401, { error: 'invalid_client', error_description: echo(req, body) }),
  },
  {
    name: 'an OAuth error code that echoes the request',
    token: (req, res, body) => json(res, 400, { error: echo(req, body) }),
  },
  {
    name: 'an HTML 502 page echoing the request',
    token: (req, res, body) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(`<html><body>Bad gateway: ${echo(req, body)}</body></html>`);
    },
  },
  {
    name: 'a 200 token answer that is not JSON, echoing the request',
    token: (req, res, body) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`access_token=${SECRET.accessToken}&${echo(req, body)}`);
    },
  },
  {
    name: 'JSON without access_token, carrying a refresh token',
    token: (req, res, body) => json(res, 200, { refresh_token: SECRET.refreshToken, echo: echo(req, body) }),
  },
  {
    name: 'a 302 from the token endpoint with the secrets in Location',
    token: (req, res, body) => {
      res.writeHead(302, {
        Location: `https://eventpop.me/e/${SECRET.code}/${SECRET.clientSecret}?${body}#${body}`,
      });
      res.end(echo(req, body));
    },
  },
  {
    name: 'a token answer over 1 MiB echoing the request',
    token: (req, res, body) =>
      json(res, 200, { access_token: SECRET.accessToken, pad: echo(req, body).repeat(oneMiB / 100) }),
  },
  { name: 'the token server resetting the connection', token: reset },
  { name: 'the token server never answering', token: hang, options: async () => ({ timeout: 300 }) },
  {
    name: 'a refused connection to the token endpoint',
    options: async () => ({ tokenURL: `http://127.0.0.1:${await closedPort()}/oauth/token` }),
  },
  {
    name: 'an unknown token host',
    options: async () => ({ tokenURL: 'https://eventpop.invalid/oauth/token' }),
  },
  {
    name: 'a 401 from /me echoing the token in WWW-Authenticate',
    me: (req, res, body) => {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="bad ${echo(req, body)}"`,
      });
      res.end(echo(req, body));
    },
  },
  {
    name: 'a 403 from /me echoing the token in WWW-Authenticate',
    me: (req, res, body) => {
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      res.writeHead(403, {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${token}", error_description="${echo(req, body)}"`,
      });
      res.end(echo(req, body));
    },
  },
  {
    name: 'a 429 from /me echoing the token',
    me: (req, res, body) => {
      res.writeHead(429, { 'Retry-After': '30' });
      res.end(echo(req, body));
    },
  },
  ...[500, 503, 404].map(
    (status): Row => ({
      name: `a ${status} from /me echoing the token`,
      me: (req, res, body) => {
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end(`<html>${echo(req, body)}</html>`);
      },
    }),
  ),
  {
    name: 'a 302 from /me with the token in Location',
    me: (req, res, body) => {
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      res.writeHead(302, { Location: `https://eventpop.me/e/${token}?access_token=${token}#${token}` });
      res.end(echo(req, body));
    },
  },
  {
    name: 'a 302 from /me to a host named after the token, upper-cased, and the token percent-encoded in the path',
    me: (req, res) => {
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      res.writeHead(302, {
        Location: `https://${token.toUpperCase()}.evil.example/${encodeURIComponent(`${token}/x`)}`,
      });
      res.end();
    },
  },
  {
    name: 'a 302 from the token endpoint to a host made of the form-encoded secret',
    token: (_req, res) => {
      res.writeHead(302, { Location: `https://${formEncode(SECRET.clientSecret)}.evil.example/` });
      res.end();
    },
  },
  {
    name: 'a 302 from the token endpoint whose host is the start of the secret, up to its slash',
    token: (_req, res) => {
      res.writeHead(302, { Location: `https://${SECRET.clientSecret}` });
      res.end();
    },
  },
  {
    name: 'a /me body that is not JSON, echoing the token',
    me: (req, res, body) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<html>${echo(req, body)}</html>`);
    },
  },
  {
    name: 'a /me user without an id, echoing the token',
    me: (req, res, body) => json(res, 200, { user: { full_name: echo(req, body), email: echo(req, body) } }),
  },
  {
    name: 'a /me body over 1 MiB echoing the token',
    me: (req, res, body) => json(res, 200, { user: { id: 1 }, pad: echo(req, body).repeat(oneMiB / 50) }),
  },
  { name: 'the /me server resetting the connection', me: reset },
  { name: 'the /me server never answering', me: hang, options: async () => ({ timeout: 300 }) },
  {
    name: 'a refused connection to /me',
    options: async () => ({ profileURL: `http://127.0.0.1:${await closedPort()}/api/public/me` }),
  },
  {
    name: 'an unknown /me host',
    options: async () => ({ profileURL: 'https://eventpop.invalid/api/public/me' }),
  },
  {
    name: 'a 401 from the tickets list echoing the token',
    tickets: (req, res, body) => {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${echo(req, body)}"`,
      });
      res.end(echo(req, body));
    },
  },
  {
    name: 'a 302 from the tickets list with the token in Location',
    tickets: (req, res) => {
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      res.writeHead(302, { Location: `https://eventpop.me/t/${token}?access_token=${token}` });
      res.end();
    },
  },
  {
    name: 'a tickets list that is not a list, echoing the token',
    tickets: (req, res, body) => json(res, 200, { tickets: echo(req, body), error: echo(req, body) }),
  },
  {
    name: 'tickets pages that contradict themselves, echoing the token',
    tickets: (req, res, body) =>
      json(res, 200, { page: 9, total: 1, tickets: [{ id: 1, event_id: 2, email: echo(req, body) }] }),
  },
  {
    name: 'a tickets list over 1 MiB echoing the token',
    tickets: (req, res, body) => json(res, 200, { tickets: [], pad: echo(req, body).repeat(oneMiB / 50) }),
  },
  { name: 'the tickets list never answering', tickets: hang, options: async () => ({ timeout: 300 }) },
  {
    name: 'a user refused by tickets.required',
    tickets: (_req, res) => json(res, 200, { total: 0, tickets: [] }),
    options: async () => ({ tickets: { organizerId: 1017, required: true } }),
  },
];

/** An Eventpop on loopback: /oauth/token, /api/public/me and the tickets list answered by the row (or successfully). */
function eventpop(row: Row, verifiers: string[]): Promise<LoopbackServer> {
  return httpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verifier = new URLSearchParams(body).get('code_verifier');
      if (verifier) verifiers.push(verifier);
      const handler = req.url?.startsWith('/oauth/token')
        ? (row.token ?? tokenSuccess)
        : req.url?.startsWith('/api/public/organizers/')
          ? (row.tickets ?? hang)
          : (row.me ?? meSuccess);
      handler(req, res, body);
    });
  });
}

/** Collects what is written to stdout and stderr (console included) until `stop()`. */
function captureOutput(): { stop: () => string } {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  }
  return {
    stop: () => {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
      return written.join('');
    },
  };
}

/** JSON of an object's own properties (enumerable or not), cycles cut. */
function ownPropertiesJSON(value: object): string {
  const seen = new WeakSet<object>();
  const own = Object.fromEntries(
    Object.getOwnPropertyNames(value).map((k) => [k, (value as Record<string, unknown>)[k]]),
  );
  return JSON.stringify(own, (_key, inner: unknown) => {
    if (typeof inner === 'object' && inner !== null) {
      if (seen.has(inner)) return '[cycle]';
      seen.add(inner);
      if (inner instanceof Error) {
        return Object.fromEntries(
          Object.getOwnPropertyNames(inner).map((k) => [k, (inner as unknown as Record<string, unknown>)[k]]),
        );
      }
    }
    return inner;
  });
}

/** Every text a person or a log could see of `value`: message, String, stack, JSON, inspect; causes too. */
function renderings(value: unknown): string[] {
  const out: string[] = [inspect(value, { depth: 5 }), inspect(value, { depth: 5, showHidden: true })];
  const seen = new Set<unknown>();
  let current: unknown = value;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const obj = current as { message?: unknown; stack?: unknown; cause?: unknown; oauthError?: unknown };
    out.push(String(current), String(obj.message), String(obj.stack), ownPropertiesJSON(current));
    current = obj.cause ?? obj.oauthError;
  }
  return out;
}

/** What a row ends with, as the thing that would be logged: the error, or the failure's challenge. */
function reported(outcome: Outcome): unknown {
  if (outcome.kind === 'error') return outcome.err;
  if (outcome.kind === 'fail') return { challenge: outcome.challenge, status: outcome.status };
  throw new Error(`expected a failure, but the strategy took ${outcome.kind}`);
}

describe('no secret leaks', () => {
  withoutNock();

  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const row of ROWS) {
    it(`keeps every secret out of the error and the output for ${row.name}`, async () => {
      const verifiers: string[] = [];
      server = await eventpop(row, verifiers);
      const strategy = makeStrategy({
        clientSecret: SECRET.clientSecret,
        baseURL: server.url,
        pkce: true,
        ...(row.tickets ? { tickets: { organizerId: 1017 } } : {}),
        ...(await row.options?.()),
      });
      const output = captureOutput();
      let outcome: Outcome;
      let written: string;
      try {
        ({ outcome } = await signIn(
          strategy,
          row.query ? { callbackQuery: row.query } : { code: SECRET.code },
        ));
      } finally {
        written = output.stop();
      }
      const texts = [
        ...renderings(reported(outcome)).map((text) => ({ how: 'the error', text })),
        { how: 'pino', text: pinoLines(reported(outcome)) },
        { how: 'the output', text: written },
      ];
      expectNoSecrets(
        texts,
        [...Object.values(SECRET), ...verifiers],
        basicSpellings(CLIENT.clientID, SECRET.clientSecret),
      );
    });
  }

  it('uses secrets a test would notice: the rows reach the token endpoint with them', async () => {
    const bodies: string[] = [];
    server = await httpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        bodies.push(body);
        json(res, 400, { error: 'invalid_grant' });
      });
    });
    await signIn(makeStrategy({ clientSecret: SECRET.clientSecret, baseURL: server.url }), {
      code: SECRET.code,
    });
    const sent = new URLSearchParams(bodies[0]);
    expect([sent.get('client_secret'), sent.get('code')]).to.deep.equal([SECRET.clientSecret, SECRET.code]);
    // On the wire they are form-encoded, a spelling that differs from the literal one.
    expect(bodies[0]).to.include(formEncode(SECRET.clientSecret)).and.not.include(SECRET.clientSecret);
  });
});
