// The emulator's HTML: the sign-in-and-consent page and the authorization error page.
import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { EmulatorClient, EmulatorUser, Scope } from './store';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What each scope lets the application do, in a sentence (Eventpop's scope descriptions). */
export const scopeSentences: Readonly<Record<Scope, string>> = {
  public:
    'See your profile (name, email, picture, birthday, gender and phone) and your own orders and tickets.',
  organizer: 'See the orders and tickets of the events you organize.',
};

const style = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Thai",sans-serif;background:#f4f4f7;color:#1d1d2b}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
header{font-weight:700;color:#e8314a;letter-spacing:.02em;margin-bottom:1rem}
header small{color:#777;font-weight:400}
h1{font-size:1.25rem;margin:0 0 1rem}
ul{padding-left:1.25rem}
fieldset{border:1px solid #ddd;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
legend{padding:0 .25rem;font-weight:600}
label{display:flex;gap:.5rem;align-items:baseline;padding:.35rem 0;cursor:pointer}
label small{color:#666}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{flex:1;font:inherit;font-weight:600;padding:.7rem;border-radius:8px;border:1px solid #e8314a;cursor:pointer}
button[value=allow]{background:#e8314a;color:#fff}
button[value=deny]{background:#fff;color:#e8314a}
.error{color:#b00020}
code{word-break:break-all}
@media (max-width:30rem){main{margin:0;border-radius:0;min-height:100vh}}`;

/**
 * @internal Headers for every HTML answer: no site may frame the consent page (clickjacking on
 * Allow), and the page may load nothing but its own inline style, allowed by its hash.
 */
export const htmlSecurityHeaders: Readonly<OutgoingHttpHeaders> = Object.freeze({
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'`,
  'X-Content-Type-Options': 'nosniff',
});

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Eventpop (emulator)</title>
<style>${style}</style>
</head>
<body>
<main>
<header>Eventpop <small>local emulator</small></header>
${body}
</main>
</body>
</html>
`;
}

function userLabel(user: EmulatorUser): string {
  const name = user.full_name || user.email || `User ${user.id}`;
  const detail = user.full_name && user.email ? ` <small>${escapeHtml(user.email)}</small>` : '';
  return `${escapeHtml(name)}${detail}`;
}

/**
 * The page a user sees at `GET /oauth/authorize`: which app asks, for what, a choice of seeded users
 * (standing in for Eventpop's email-and-password sign-in), and Allow / Deny. The form posts back
 * every parameter of the request as hidden fields, with the page's one-time `authenticity_token`.
 */
export function consentPage(
  client: EmulatorClient,
  scopes: readonly Scope[],
  users: Iterable<EmulatorUser>,
  hidden: URLSearchParams,
): string {
  const fields = [...hidden]
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  const scopeItems = scopes.map((s) => `<li>${escapeHtml(scopeSentences[s])}</li>`).join('\n');
  const userItems = [...users]
    .map(
      (u, i) =>
        `<label><input type="radio" name="user_id" value="${u.id}"${i === 0 ? ' checked' : ''}> ${userLabel(u)}</label>`,
    )
    .join('\n');
  const name = escapeHtml(client.name);
  return layout(
    `Authorize ${client.name}`,
    `<h1>Authorize ${name} to use your account?</h1>
<p>This application will be able to:</p>
<ul>
${scopeItems}
</ul>
<form method="post" action="/oauth/authorize">
${fields}
<fieldset>
<legend>Sign in as</legend>
${userItems}
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

/** @internal A redirect URI the client does not have, and the ones it has. */
export interface RedirectUriMismatch {
  readonly sent: string;
  readonly clientName: string;
  readonly registered: readonly string[];
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;

/** Says what was sent, what is registered and how to register another: this is a development tool. */
function mismatchHelp({ sent, clientName, registered }: RedirectUriMismatch): string {
  const items = registered.map((uri) => `<li>${code(uri)}</li>`).join('\n');
  return `<p>The application sent the redirect URI ${code(sent)}, which ${escapeHtml(clientName)} does not have. Its registered redirect URIs:</p>
<ul>
${items}
</ul>
<p>They must match exactly, scheme, host, port and path: <code>localhost</code> and <code>127.0.0.1</code> are different hosts. To register this one, start the emulator with ${code(`--redirect-uri ${sent}`)} (repeat the flag for several), or add it to the client's <code>redirectUris</code> in <code>createEmulator</code>.</p>`;
}

/**
 * Doorkeeper's error page: the error code and its description; the browser stays at the provider.
 * For an unregistered redirect URI it also names the one sent and the client's registered ones.
 */
export function errorPage(error: string, description: string, mismatch?: RedirectUriMismatch): string {
  return layout(
    'An error has occurred',
    `<h1>An error has occurred</h1>
<p class="error"><code>${escapeHtml(error)}</code></p>
<p>${escapeHtml(description)}</p>${mismatch === undefined ? '' : `\n${mismatchHelp(mismatch)}`}`,
  );
}
