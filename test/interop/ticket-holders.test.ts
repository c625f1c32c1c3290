// The ticket-holders recipe (docs/recipes/ticket-holders.md) run as written, with the built package, against the emulator over real sockets.
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import Module from 'node:module';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Express } from 'express';
import ts from 'typescript';
import { createEmulator, defaultClient, type Emulator } from '../../lib/emulator';
import { login } from '../fixtures/emulator/client';
import { HttpBrowser, type Page } from '../helpers/cookie-jar';
import { countingCodes, signIn } from '../helpers/demo-app';
import { closeServer, listeningServer } from '../helpers/listening';
import { fileBlock } from '../helpers/markdown';

const root = path.resolve(__dirname, '../..');
const RECIPE = path.join(root, 'docs/recipes/ticket-holders.md');

/** The recipe's block that opens with `// <name>`. */
function recipeBlock(name: string): string {
  return fileBlock(fs.readFileSync(RECIPE, 'utf8'), name).text;
}

/**
 * Runs a block as the CommonJS module it compiles to, as if it sat in docs/recipes/: its imports
 * resolve from the repository, `passport-eventpop` to the built package (npm test builds first).
 */
function runBlock(name: string): Record<string, unknown> {
  const filename = path.join(root, 'docs/recipes', `ticket-holders.${name.replace(/\.ts$/, '.js')}`);
  const { outputText } = ts.transpileModule(recipeBlock(name), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: filename,
  });
  const internals = Module as unknown as { _nodeModulePaths(dir: string): string[] };
  const mod = new Module(filename) as Module & { _compile(code: string, file: string): void };
  mod.filename = filename;
  mod.paths = internals._nodeModulePaths(path.dirname(filename));
  mod._compile(outputText, filename);
  return mod.exports as Record<string, unknown>;
}

describe('the ticket-holders recipe, run against the emulator', () => {
  let emu: Emulator;
  let server: Server;
  let appURL: string;
  let stillHolds: (accessToken: string) => Promise<boolean>;
  const saved = { ...process.env };

  before(async () => {
    ({ server, url: appURL } = await listeningServer());
    emu = await createEmulator({
      clients: [
        {
          clientId: 'recipe-client',
          clientSecret: 'recipe-secret',
          name: 'Ticket holders recipe',
          redirectUris: [`${appURL}/auth/eventpop/callback`],
          organizerId: 1017,
        },
        // For the emulator fixtures' login(), which gets tokens as the demo client (also 1017's).
        defaultClient,
      ],
    });
    Object.assign(process.env, {
      EVENTPOP_CLIENT_ID: 'recipe-client',
      EVENTPOP_CLIENT_SECRET: 'recipe-secret',
      EVENTPOP_CALLBACK_URL: `${appURL}/auth/eventpop/callback`,
      EVENTPOP_BASE_URL: emu.url,
      EVENTPOP_ORGANIZER_ID: '1017',
      EVENTPOP_EVENT_ID: '7210',
      SESSION_SECRET: 'ticket-holders-recipe-test-session-secret',
    });
    server.on('request', runBlock('app.ts').app as Express);
    stillHolds = runBlock('recheck.ts').stillHolds as typeof stillHolds;
  });

  after(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (server) await closeServer(server);
    await emu?.close();
  });

  /** Signs in through the consent page as `userId` (or denies), and follows the app to its last page. */
  async function signInAs(userId: number, decision: 'allow' | 'deny' = 'allow'): Promise<Page> {
    const target = { appURL, callbackURL: `${appURL}/auth/eventpop/callback`, emu };
    const { final } = await signIn(new HttpBrowser(), target, { userId, decision });
    return final as Page;
  }

  it('lets in a holder of a ticket for the event (4242) and shows their tickets for it', async () => {
    const page = await signInAs(4242);
    expect([page.url, page.status]).to.deep.equal([`${appURL}/event`, 200]);
    const holder = JSON.parse(page.body) as { id: string; tickets: { referenceCode: string }[] };
    expect(holder.id).to.equal('4242');
    expect(holder.tickets.map((t) => t.referenceCode)).to.deep.equal(countingCodes(7210));
  });

  it('turns away a user without a ticket (4343) with 403 and the strategy’s reason', async () => {
    const page = await signInAs(4343);
    expect([page.url, page.status]).to.deep.equal([`${appURL}/no-ticket`, 403]);
    expect(JSON.parse(page.body)).to.deep.equal({
      error: 'no_ticket',
      message:
        'This Eventpop account holds no ticket that counts for this sign-in (organizer 1017, event 7210, status not revoked).',
    });
  });

  it('turns away a user who clicks Deny, with Eventpop’s words', async () => {
    const page = await signInAs(4242, 'deny');
    expect(page.status).to.equal(403);
    expect(JSON.parse(page.body).message).to.equal(
      'The resource owner or authorization server denied the request.',
    );
  });

  it('answers 502 with the typed error when the tickets list fails, and signs no one in', async () => {
    emu.inject('tickets', { status: 503, times: 1 });
    const page = await signInAs(4242);
    expect([page.status, JSON.parse(page.body)]).to.deep.equal([
      502,
      { error: 'EventpopAPIError', code: 'server_error' },
    ]);
  });

  it('answers 502 with AuthorizationError when Eventpop sends the user back with temporarily_unavailable', async () => {
    const browser = new HttpBrowser();
    const start = await browser.open(`${appURL}/auth/eventpop`, { follow: false });
    const state = new URL(start.location ?? '').searchParams.get('state') ?? '';
    const query = new URLSearchParams({ error: 'temporarily_unavailable', state });
    const page = await browser.open(`${appURL}/auth/eventpop/callback?${query}`);
    expect([page.status, JSON.parse(page.body)]).to.deep.equal([
      502,
      { error: 'AuthorizationError', code: 'temporarily_unavailable' },
    ]);
  });

  it('re-checks a stored access token with listTickets: 4242 still holds one, 4343 none', async () => {
    const holder = (await login(emu, {}, 4242)).access_token;
    const none = (await login(emu, {}, 4343)).access_token;
    emu.clearRequests();
    expect([await stillHolds(holder), await stillHolds(none)]).to.deep.equal([true, false]);
    expect(emu.counts.tickets, 'one page each').to.equal(2);
  });
});
