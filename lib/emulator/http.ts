// HTTP plumbing shared by the emulator's endpoints: reading form or JSON bodies and writing answers.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { htmlSecurityHeaders } from './pages';

/** Bodies above this are refused: OAuth requests are a few hundred bytes. */
const maxBodyBytes = 64 * 1024;

/** @internal Why a body could not be read. */
export type BodyProblem = 'too-large' | 'malformed';

/** The body as text, or `'too-large'` past {@link maxBodyBytes}. */
export async function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large: leaving the loop early would destroy the socket before the answer.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  }
  return size > maxBodyBytes ? 'too-large' : Buffer.concat(chunks).toString('utf8');
}

/** The media type of the request's body, lower-cased, without parameters. */
export function contentType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 section 4.1.3), or a JSON object body,
 * into form parameters. Without a body the result is empty.
 */
export async function readParams(req: IncomingMessage): Promise<URLSearchParams | BodyProblem> {
  const text = await readBody(req);
  if (text === 'too-large') return text;
  if (contentType(req) !== 'application/json') return new URLSearchParams(text);
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'malformed';
    const params = new URLSearchParams();
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        params.set(key, String(v));
    }
    return params;
  } catch {
    return 'malformed';
  }
}

/** Writes a complete answer with a `Content-Length`, so keep-alive connections stay reusable. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Headers Doorkeeper puts on every token-endpoint answer (RFC 6749 section 5.1). */
export const noStore: Readonly<OutgoingHttpHeaders> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

/** JSON as Rails renders it: `application/json; charset=utf-8`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

/** An HTML page, which no other site may frame. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...htmlSecurityHeaders,
  });
}

/** A `302 Found` to `location`, with the small body Rails sends. */
export function redirect(res: ServerResponse, location: string): void {
  send(res, 302, '<html><body>You are being redirected.</body></html>', {
    Location: location,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...htmlSecurityHeaders,
  });
}
