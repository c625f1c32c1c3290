// What the emulator's command line prints once listening: the address to open, the client, the users and the endpoints.
import type { CommandLine } from './command-line';
import type { Emulator } from './server';

/**
 * The address a browser can open for the emulator: its own URL, except when it is bound to every
 * interface (`0.0.0.0`, `::`), an address to bind to but not one to connect to (browsers refuse
 * `http://0.0.0.0`); then the same URL on `localhost`, which the Host check always answers, and
 * the wildcard it is bound to.
 */
function openableURL(url: string): { url: string; wildcard?: string } {
  const parsed = new URL(url);
  // URL normalises the address forms: `0` and `0.0.0.0` alike, `[0:0::0]` as `[::]`.
  const { hostname } = parsed;
  if (hostname !== '0.0.0.0' && hostname !== '[::]') return { url };
  parsed.hostname = 'localhost';
  return { url: parsed.origin, wildcard: hostname };
}

/**
 * @internal The text the CLI prints once listening. Its first line is always
 * `Eventpop emulator listening on <url>`, a URL a browser on this machine can open: scripts and
 * tests read it.
 */
export function banner(
  emu: Pick<Emulator, 'url' | 'clients' | 'users'>,
  cli: Pick<CommandLine, 'options' | 'faults' | 'secretGiven'>,
): string {
  const { url, wildcard } = openableURL(emu.url);
  const lines = [`Eventpop emulator listening on ${url}`];
  if (wildcard !== undefined)
    lines.push(
      `  (bound to ${cli.options.host ?? wildcard}: every network interface. From another machine or a`,
      "  container, use this machine's address, or a name given with --allowed-host.)",
    );
  lines.push('');
  for (const c of emu.clients) {
    const secret = cli.secretGiven ? '(the one given with --client-secret)' : c.clientSecret;
    lines.push(`Client "${c.name}"`, `  client id:     ${c.clientId}`, `  client secret: ${secret}`);
    for (const uri of c.redirectUris) lines.push(`  redirect URI:  ${uri}`);
  }
  lines.push(
    '  Open your app on the host name of its redirect URI: localhost and 127.0.0.1 are different',
    '  sites to the browser, and the login state cookie belongs to one of them.',
    '',
    'Users',
  );
  for (const u of emu.users)
    lines.push(
      `  ${u.id}  ${[u.full_name, u.email].filter(Boolean).join(' <')}${u.full_name && u.email ? '>' : ''}`,
    );
  lines.push(
    '',
    `Authorize: ${url}/oauth/authorize`,
    `Token:     ${url}/oauth/token`,
    `Profile:   ${url}/api/public/me`,
    `Tickets:   ${url}/api/public/organizers/<organizer id>/tickets`,
    `Avatars:   ${url}/avatars/<user id>/<original|medium|thumb|tiny>.svg`,
  );
  if (cli.options.control) lines.push(`Control:   ${url}/_emulator/faults, ${url}/_emulator/requests`);
  for (const { endpoint, fault } of cli.faults) lines.push(`Fault:     ${endpoint} ${JSON.stringify(fault)}`);
  lines.push('', 'Press Ctrl+C to stop.');
  return lines.join('\n');
}
