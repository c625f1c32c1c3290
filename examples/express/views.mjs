// The demo's HTML pages: one layout, inline CSS, every interpolated value escaped.
import { CSRF_FIELD } from './csrf.mjs';

/**
 * Escapes text for HTML element content and double-quoted attribute values.
 * @param {unknown} value
 * @returns {string}
 */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Thai",sans-serif;background:#f4f4f7;color:#1d1d2b}
main{max-width:30rem;margin:2.5rem auto;padding:2rem;background:#fff;border-radius:14px;box-shadow:0 2px 14px rgba(0,0,0,.08)}
.brand{font-weight:700;color:#e8314a;letter-spacing:.02em;margin:0 0 1.25rem;font-size:.95rem}
.brand small{color:#777;font-weight:400}
h1{font-size:1.4rem;margin:0 0 .75rem;line-height:1.3}
p{margin:.5rem 0}
.muted{color:#666}
.button,button{display:inline-block;font:inherit;font-weight:600;padding:.7rem 1.2rem;border-radius:9px;border:1px solid #e8314a;
  background:#e8314a;color:#fff;text-decoration:none;cursor:pointer;text-align:center}
.button.secondary,button.secondary{background:#fff;color:#e8314a}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
.actions form{margin:0}
.person{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.avatar{position:relative;flex:none;width:4.5rem;height:4.5rem;border-radius:50%;background:#fde3e7;color:#e8314a;
  display:flex;align-items:center;justify-content:center;font-size:1.8rem;font-weight:700;overflow:hidden}
.avatar img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
.person h1{margin:0;word-break:break-word}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:1.25rem 0 0}
dt{color:#666}
dd{margin:0;word-break:break-word}
dd .muted{white-space:nowrap}
.notice{background:#e9f7ef;color:#1e6b3a;border-radius:8px;padding:.6rem .9rem;margin:1rem 0}
.problem{background:#fdecee;color:#8a1326;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}
h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
table{width:100%;border-collapse:collapse;font-size:.92rem}
th,td{text-align:left;padding:.4rem .5rem .4rem 0;border-bottom:1px solid #eee;vertical-align:top}
th{color:#666;font-weight:600}
td code{white-space:nowrap}
.status{display:inline-block;white-space:nowrap;border-radius:999px;padding:0 .55rem;font-size:.85em;background:#e9f7ef;color:#1e6b3a}
.status.used{background:#eef0fb;color:#33408a}
code{font-size:.9em;background:#f1f1f4;border-radius:4px;padding:.1rem .3rem;word-break:break-all}
@media (max-width:32rem){main{margin:0;border-radius:0;min-height:100vh;box-shadow:none;padding:1.5rem}}`;

/**
 * Wraps a page body in the shared layout.
 * @param {string} title plain text, escaped here
 * @param {string} body HTML, already escaped by the caller
 */
export function layout(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Eventpop login demo</title>
<style>${style}</style>
</head>
<body>
<main>
<p class="brand">Eventpop <small>login demo</small></p>
${body}
</main>
</body>
</html>
`;
}

/**
 * A readable time for a Unix time in seconds, as a `<time>` element, plus how far away it is.
 * @param {number} unixSeconds
 * @param {number} [nowMs]
 */
export function describeTime(unixSeconds, nowMs = Date.now()) {
  const date = new Date(unixSeconds * 1000);
  const readable = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(date);
  const minutes = Math.round((date.getTime() - nowMs) / 60_000);
  const span = Math.abs(minutes);
  const amount = span >= 90 ? `${Math.round(span / 6) / 10} hours` : `${span} minute${span === 1 ? '' : 's'}`;
  const relative = minutes === 0 ? 'now' : minutes > 0 ? `in ${amount}` : `${amount} ago`;
  return `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(readable)}</time> <span class="muted">(${escapeHtml(relative)})</span>`;
}

/**
 * The hidden field that carries the session's CSRF token; every `method="post"` form has one.
 * @param {string} token from `csrfToken(req)`
 */
export function csrfField(token) {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

/**
 * @param {{ name: string } | undefined} user
 * @param {{ csrfToken?: string, holdersPage?: boolean }} [extra] `csrfToken` needed when `user` is set
 *   (the page has the logout form); `holdersPage` links the ticket holders' page
 */
export function homePage(user, extra = {}) {
  if (user) {
    const holders = extra.holdersPage
      ? `<a class="button secondary" href="/holders">Ticket holders' page</a>`
      : '';
    return layout(
      'Home',
      `<h1>Welcome back, ${escapeHtml(user.name)}</h1>
<p>You are signed in with Eventpop.</p>
<div class="actions"><a class="button" href="/profile">View your profile</a>${holders}${logoutForm(extra.csrfToken)}</div>`,
    );
  }
  return layout(
    'Home',
    `<h1>Sign in to the demo</h1>
<p>This app signs you in with your Eventpop account using <code>passport-eventpop</code>.
It sees your name, email and picture, and nothing else.</p>
<div class="actions"><a class="button" href="/auth/eventpop">Login with Eventpop</a></div>`,
  );
}

/** @param {string | undefined} token */
function logoutForm(token) {
  return `<form method="post" action="/logout">${csrfField(token ?? '')}<button class="secondary" type="submit">Log out</button></form>`;
}

function initials(name) {
  const letter = [...String(name).trim()][0] ?? '?';
  return letter.toUpperCase();
}

/** Eventpop's status, with what `used` means. */
function statusLabel(status) {
  if (status === 'used') return 'used (checked in)';
  return status ?? 'unknown';
}

/**
 * The tickets as a table: event, ticket type, reference code, status.
 * @param {{ id: number, eventId: number, type?: string, referenceCode?: string, status?: string }[]} tickets
 * @param {(id: number) => string} eventName
 */
function ticketTable(tickets, eventName) {
  const rows = tickets.map(
    (t) =>
      `<tr data-ticket="${escapeHtml(t.id)}"><td>${escapeHtml(eventName(t.eventId))}</td><td>${t.type ? escapeHtml(t.type) : '<span class="muted">-</span>'}</td>` +
      `<td>${t.referenceCode ? `<code>${escapeHtml(t.referenceCode)}</code>` : '<span class="muted">-</span>'}</td>` +
      `<td><span class="status ${escapeHtml(t.status ?? '')}">${escapeHtml(statusLabel(t.status))}</span></td></tr>`,
  );
  return `<table id="tickets">
<thead><tr><th scope="col">Event</th><th scope="col">Ticket type</th><th scope="col">Reference code</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/**
 * The "Your tickets" section of the profile page.
 * @param {{ tickets?: object[] }} user
 * @param {{ eventName?: (id: number) => string, holdersPage?: boolean }} extra
 */
function ticketsSection(user, extra) {
  if (!extra.holdersPage) return '';
  const tickets = user.tickets ?? [];
  const list =
    tickets.length === 0
      ? '<p id="no-tickets" class="muted">Your Eventpop account holds no ticket for this organizer\'s events.</p>'
      : ticketTable(tickets, extra.eventName ?? ((id) => `Event ${id}`));
  return `<h2>Your tickets</h2>
${list}
<p class="muted">Revoked tickets are not listed: they do not count.</p>`;
}

/**
 * @param {{ id: string, name: string, email?: string, photo?: string, expiresAt?: number, tickets?: object[] }} user
 * @param {{ notice?: string, csrfToken?: string, eventName?: (id: number) => string, holdersPage?: boolean }} [extra]
 *   `csrfToken` for the page's forms
 */
export function profilePage(user, extra = {}) {
  // The image sits over the initials: if it cannot load, alt="" keeps the browser from drawing a
  // broken-image icon and the initials show through.
  const photo = user.photo ? `<img src="${escapeHtml(user.photo)}" alt="" referrerpolicy="no-referrer">` : '';
  const expiry =
    user.expiresAt === undefined ? 'unknown (Eventpop sent no expires_in)' : describeTime(user.expiresAt);
  const notice = extra.notice ? `<p class="notice" role="status">${escapeHtml(extra.notice)}</p>` : '';
  return layout(
    'Your profile',
    `${notice}<div class="person">
<div class="avatar" aria-hidden="true">${escapeHtml(initials(user.name))}${photo}</div>
<h1 id="name">${escapeHtml(user.name)}</h1>
</div>
<dl>
<dt>Email</dt><dd id="email">${user.email ? escapeHtml(user.email) : '<span class="muted">not shared</span>'}</dd>
<dt>Eventpop ID</dt><dd id="user-id">${escapeHtml(user.id)}</dd>
<dt>Token expires</dt><dd id="expiry">${expiry}</dd>
</dl>
${ticketsSection(user, extra)}
<div class="actions">
<form method="post" action="/refresh">${csrfField(extra.csrfToken ?? '')}<button type="submit">Refresh token</button></form>
${extra.holdersPage ? `<a class="button secondary" href="/holders">Ticket holders' page</a>` : ''}
${logoutForm(extra.csrfToken)}
</div>`,
  );
}

/**
 * The page only holders of a ticket for the event see.
 * @param {{ name: string }} user
 * @param {{ id: number, name: string }} event
 * @param {{ id: number, eventId: number, type?: string, referenceCode?: string, status?: string }[]} held
 * @param {{ csrfToken?: string }} extra `csrfToken` for the logout form
 */
export function holdersPage(user, event, held, extra) {
  return layout(
    `${event.name}: ticket holders`,
    `<h1 id="title">Welcome, ticket holder</h1>
<p>${escapeHtml(user.name)}, you hold ${held.length === 1 ? 'a ticket' : `${held.length} tickets`} for <strong id="event">${escapeHtml(event.name)}</strong>: this page is yours.</p>
${ticketTable(held, () => event.name)}
<div class="actions"><a class="button" href="/profile">Your profile</a>${logoutForm(extra.csrfToken)}</div>`,
  );
}

/**
 * Why a signed-in user without a ticket for the event is turned away (sent with status 403).
 * @param {{ name: string }} user
 * @param {{ id: number, name: string }} event
 * @param {{ csrfToken?: string }} extra `csrfToken` for the logout form
 */
export function notHolderPage(user, event, extra) {
  return layout(
    'Ticket holders only',
    `<h1 id="title">Ticket holders only</h1>
<p id="why" class="problem" role="alert">This page is for people holding a ticket for ${escapeHtml(event.name)}.
Eventpop says the account you signed in with, ${escapeHtml(user.name)}, holds none for it (a revoked ticket does not count).</p>
<p>If you bought a ticket with another Eventpop account, log out and sign in with that one.</p>
<div class="actions"><a class="button" href="/profile">Your profile</a>${logoutForm(extra.csrfToken)}</div>`,
  );
}

/** @param {string | undefined} description Eventpop's `error_description`, shown as text. */
export function refusedPage(description) {
  return layout(
    'Login cancelled',
    `<h1 id="title">You didn't allow access</h1>
<p>No problem: this app has not received anything from your Eventpop account.</p>
${description ? `<p class="problem">Eventpop said: ${escapeHtml(description)}</p>` : ''}
<div class="actions"><a class="button" href="/auth/eventpop">Try again</a><a class="button secondary" href="/">Home</a></div>`,
  );
}

/**
 * A failure page. `code` is a machine-readable reason (an OAuth error code or a Node error code).
 * @param {{ title: string, message: string, code?: string | undefined, kind?: string | undefined }} problem
 */
export function problemPage(problem) {
  const detail = [problem.kind, problem.code].filter(Boolean).map(escapeHtml).join(' · ');
  return layout(
    problem.title,
    `<h1 id="title">${escapeHtml(problem.title)}</h1>
<p class="problem" role="alert">${escapeHtml(problem.message)}</p>
${detail ? `<p class="muted">Reason: <code id="reason">${detail}</code></p>` : ''}
<div class="actions"><a class="button" href="/auth/eventpop">Sign in again</a><a class="button secondary" href="/">Home</a></div>`,
  );
}
