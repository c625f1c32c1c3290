// Runs the demo app (examples/express) against the emulator on real sockets, and walks its sign-in as a user would.
import { expect } from 'chai';
import type { DemoOptions } from '../../examples/express/app.mjs' with { 'resolution-mode': 'import' };
import {
  createEmulator,
  defaultEvents,
  defaultOrganizers,
  defaultTickets,
  type Emulator,
  type EmulatorOptions,
  type EmulatorUser,
} from '../../lib/emulator';
import { consentFields, unescapeHtml } from '../fixtures/emulator/client';
import type { HttpBrowser, Page } from './cookie-jar';
import { closeServer, listeningServer } from './listening';

/** The demo's client at the emulator; the secret must never show up on a page or in a log. */
export const DEMO_CLIENT = {
  clientId: 'e2e-demo-client',
  clientSecret: 'e2e-demo-secret-7f3a9c',
  name: 'Eventpop Login Demo',
} as const;

/**
 * Users with Latin names (the CI fonts have no Thai glyphs) and avatars, so the chosen one is
 * visible. The avatars are paths: the emulator serves them and answers them as absolute URLs on its
 * own origin, so the browser loads them from the emulator with no other network. The last two
 * have the ids the emulator's default tickets belong to: 4242 holds twelve, 4343 none.
 */
export const TEST_USERS: readonly EmulatorUser[] = [
  {
    id: 7001,
    full_name: 'Somchai Jaidee',
    email: 'somchai@example.com',
    avatar: '/avatars/7001/medium.svg',
  },
  {
    id: 7002,
    full_name: 'Malee Srisuk',
    email: 'malee@example.com',
    avatar: '/avatars/7002/medium.svg',
  },
  { id: 4242, full_name: 'Niran Saetang', email: 'niran@example.com', avatar: '/avatars/4242/medium.svg' },
  { id: 4343, full_name: 'Ploy Chaiyaporn', email: 'ploy@example.com', avatar: '/avatars/4343/medium.svg' },
];

/** The holder of the emulator's default tickets, and a user who holds none. */
export const TICKET_HOLDER = 4242;
export const NO_TICKETS = 4343;

/** The reference codes of the emulator's default tickets that count for `eventId`, by ticket id. */
export function countingCodes(eventId: number, userId = TICKET_HOLDER): (string | null | undefined)[] {
  return defaultTickets
    .filter((t) => t.user_id === userId && t.event_id === eventId && t.status !== 'revoked')
    .sort((a, b) => a.id - b.id)
    .map((t) => t.reference_code);
}

/** The demo's tickets settings: the emulator's organizer, its first event (7210) for /holders, names. */
export const DEMO_TICKETS = {
  organizerId: defaultOrganizers[0]!.id,
  eventId: defaultEvents[0]!.id,
  events: Object.fromEntries(defaultEvents.map((event) => [event.id, event.name])),
};

/** A running demo app and its emulator. */
export interface RunningDemo {
  readonly appURL: string;
  readonly callbackURL: string;
  readonly emu: Emulator;
  /** Lines the app logged (errors and rejected sign-ins). */
  readonly logs: string[];
  close(): Promise<void>;
}

/**
 * Listens first on 127.0.0.1 port 0 (so the callback URL is known), starts the emulator with a
 * client registered for that callback, then serves `createApp(...)` on the listening server.
 * The demo imports the built package: run `npm run build` first (`npm test` does).
 */
export async function startDemo(
  app: Partial<Pick<DemoOptions, 'pkce' | 'timeout' | 'sessionStore' | 'tickets'>> = {},
  emulator: Omit<EmulatorOptions, 'clients' | 'port'> = {},
): Promise<RunningDemo> {
  const { createApp } = await import('../../examples/express/app.mjs').catch((err: unknown) => {
    throw new Error('the demo app imports the built package: run `npm run build` first (`npm test` does)', {
      cause: err,
    });
  });
  const { server, url: appURL } = await listeningServer();
  const callbackURL = `${appURL}/auth/eventpop/callback`;
  const emu = await createEmulator({
    users: TEST_USERS,
    ...emulator,
    port: 0,
    clients: [{ ...DEMO_CLIENT, redirectUris: [callbackURL] }],
  });
  const logs: string[] = [];
  const logger = { error: (line: string) => logs.push(line), warn: (line: string) => logs.push(line) };
  const demo = createApp({
    clientID: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    callbackURL,
    baseURL: emu.url,
    logger,
    tickets: DEMO_TICKETS,
    ...app,
  });
  server.on('request', demo.app);
  return {
    appURL,
    callbackURL,
    emu,
    logs,
    async close() {
      await Promise.all([closeServer(server), emu.close()]);
    },
  };
}

/** The rows of a page's tickets table: event, ticket type, reference code, status, each as text. */
export function ticketRows(html: string): string[][] {
  const table = /<table id="tickets">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr data-ticket="[^"]*">([\s\S]*?)<\/tr>/g)].map(([, row = '']) =>
    [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, cell = '']) =>
      unescapeHtml(cell.replace(/<[^>]*>/g, '')).trim(),
    ),
  );
}

/** The text content of the element with this id on a demo page, unescaped, or `undefined`. */
export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<[a-z0-9]+ id="${id}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1].replace(/<[^>]*>/g, '')).trim();
}

/** The `datetime` of the token expiry on the profile page, in Unix seconds. */
export function expiryOnPage(html: string): number | undefined {
  const match = /<dd id="expiry"><time datetime="([^"]+)">/.exec(html);
  return match?.[1] === undefined ? undefined : Date.parse(match[1]) / 1000;
}

/** The value of the hidden CSRF field in a demo page's forms, or `undefined` when the page has none. */
export function csrfOf(html: string): string | undefined {
  const match = /<input type="hidden" name="_csrf" value="([^"]*)">/.exec(html);
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1]);
}

/** The demo's `createApp(...)` served alone on 127.0.0.1 port 0, for tests that need no Eventpop. */
export interface ServedApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `createApp` with the test client, an unreachable Eventpop and a 127.0.0.1 callback URL,
 * each overridable: for what the app answers before any request to Eventpop (headers, cookies, forms).
 */
export async function serveApp(options: Partial<DemoOptions> = {}): Promise<ServedApp> {
  const { createApp } = await import('../../examples/express/app.mjs');
  const { app } = createApp({
    clientID: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    callbackURL: 'http://127.0.0.1/auth/eventpop/callback',
    baseURL: 'http://127.0.0.1:9',
    logger: { error: () => {}, warn: () => {} },
    ...options,
  });
  const { server, url } = await listeningServer();
  server.on('request', app);
  return { url, close: () => closeServer(server) };
}

/** Where a sign-in goes: the app, its callback URL, and the emulator with its users. */
export interface SignInTarget {
  readonly appURL: string;
  readonly callbackURL: string;
  readonly emu: { readonly url: string; readonly users: readonly Pick<EmulatorUser, 'id'>[] };
}

/** The steps of one sign-in, each as the browser saw it. */
export interface SignIn {
  /** Eventpop's authorize URL the app redirected to. */
  readonly authorizeURL: URL;
  /** The emulator's consent page. */
  readonly consent: Page;
  /** Where Eventpop sent the browser back (the app's callback, with code or error, and state). */
  readonly callbackURL: URL;
  /** The app's final page after the callback, unless `follow: false`. */
  readonly final: Page | undefined;
}

/** What the user does on the consent page. */
export interface SignInChoice {
  readonly decision?: 'allow' | 'deny';
  /** Default: the second user, so that a test proves the choice is carried through. */
  readonly userId?: number;
  /** Stop before opening the callback URL. */
  readonly follow?: boolean;
}

/**
 * Clicks "Login with Eventpop", answers the consent form, and (unless `follow: false`) follows
 * Eventpop's redirect back into the app to the page it ends on.
 */
export async function signIn(
  browser: HttpBrowser,
  demo: SignInTarget,
  choice: SignInChoice = {},
): Promise<SignIn> {
  const start = await browser.open(`${demo.appURL}/auth/eventpop`, { follow: false });
  expect(start.status, 'the login route redirects to Eventpop').to.equal(302);
  const authorizeURL = new URL(start.location ?? '');
  expect(authorizeURL.origin + authorizeURL.pathname).to.equal(`${demo.emu.url}/oauth/authorize`);

  const consent = await browser.open(authorizeURL.href);
  expect(consent.status, 'the emulator shows its consent page').to.equal(200);
  const form = consentFields(consent.body);
  form.set('decision', choice.decision ?? 'allow');
  form.set('user_id', String(choice.userId ?? demo.emu.users[1]?.id));

  const back = await browser.open(`${demo.emu.url}/oauth/authorize`, { form, follow: false });
  expect(back.status, 'the emulator redirects back to the app').to.equal(302);
  const callbackURL = new URL(back.location ?? '');
  expect(callbackURL.origin + callbackURL.pathname).to.equal(demo.callbackURL);

  const final = choice.follow === false ? undefined : await browser.open(callbackURL.href);
  return { authorizeURL, consent, callbackURL, final };
}
