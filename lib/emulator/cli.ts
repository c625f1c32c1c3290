#!/usr/bin/env node
// The emulator's command line: starts a local Eventpop and prints how to use it.
import { parseArgs } from 'node:util';
import { createEmulator } from './server';

const usage = `Usage: passport-eventpop-emulator [--port 4000] [--host 127.0.0.1] [--auto-approve] [--rate-limit 10]

Starts a local Eventpop (OAuth 2.0 + /api/public/me) with a demo client and users.
  --port          TCP port (default 4000; 0 picks a free one)
  --host          address to bind (default 127.0.0.1)
  --auto-approve  skip the consent page and sign in as the first user
  --rate-limit    /api/public/me requests per token per minute (default 10; 0 = unlimited)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      'auto-approve': { type: 'boolean', default: false },
      'rate-limit': { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const emu = await createEmulator({
    port: Number(values.port),
    host: values.host,
    autoApprove: values['auto-approve'],
    profileRateLimit: Number(values['rate-limit']),
  });

  const lines = [`Eventpop emulator listening on ${emu.url}`, ''];
  for (const c of emu.clients) {
    lines.push(`Client "${c.name}"`, `  client id:     ${c.clientId}`, `  client secret: ${c.clientSecret}`);
    for (const uri of c.redirectUris) lines.push(`  redirect URI:  ${uri}`);
  }
  lines.push('', 'Users');
  for (const u of emu.users)
    lines.push(
      `  ${u.id}  ${[u.full_name, u.email].filter(Boolean).join(' <')}${u.full_name && u.email ? '>' : ''}`,
    );
  lines.push(
    '',
    `Authorize: ${emu.url}/oauth/authorize`,
    `Token:     ${emu.url}/oauth/token`,
    `Profile:   ${emu.url}/api/public/me`,
    `Avatars:   ${emu.url}/avatars/<user id>/<original|medium|thumb|tiny>.svg`,
    '',
    'Press Ctrl+C to stop.',
  );
  console.log(lines.join('\n'));

  const stop = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping the Eventpop emulator`);
    emu.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(1);
});
