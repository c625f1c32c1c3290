#!/usr/bin/env node
// The emulator's command line: starts a local Eventpop and prints how to use it.
import { banner } from './banner';
import { type CommandLine, parseCommandLine, UsageError, usage } from './command-line';
import { createEmulator, type Emulator } from './server';

/** Exits with 2 and a one-line reason for a flag it cannot use (never a stack). */
function usageFailure(message: string): never {
  console.error(`passport-eventpop-emulator: ${message}`);
  console.error('Run passport-eventpop-emulator --help for the options.');
  process.exit(2);
}

async function main(): Promise<void> {
  let cli: CommandLine | 'help';
  try {
    cli = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) usageFailure(error.message);
    throw error;
  }
  if (cli === 'help') {
    console.log(usage);
    return;
  }
  let emu: Emulator;
  try {
    emu = await createEmulator(cli.options);
  } catch (error) {
    // createEmulator's option checks name its own options; the flags were checked above already.
    if (error instanceof TypeError) usageFailure(error.message);
    const { code } = error as NodeJS.ErrnoException;
    const where = `${cli.options.host}:${cli.options.port}`;
    if (code === 'EADDRINUSE')
      console.error(
        `Cannot listen on ${where}: the port is in use. Pick another --port (0 picks a free one).`,
      );
    else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES')
      console.error(`Cannot listen on ${where} (${code}). Check --host and --port.`);
    else throw error;
    process.exit(1);
  }
  for (const { endpoint, fault } of cli.faults) emu.inject(endpoint, fault);
  console.log(banner(emu, cli));

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
  console.error(`passport-eventpop-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
