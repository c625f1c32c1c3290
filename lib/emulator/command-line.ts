// The emulator's command-line flags: parsed and checked into createEmulator options, or a UsageError.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { type Endpoint, endpoints, type Fault, kindOf } from './faults';
import { hostName } from './hosts';
import type { EmulatorOptions } from './options';
import { defaultClient } from './seed';

/** @internal The `--help` text. */
export const usage = `Usage: passport-eventpop-emulator [options]

Starts a local Eventpop (OAuth 2.0, /api/public/me, the tickets list) with one client, two users and tickets.

  --port <n>              TCP port (default 4000; 0 picks a free one)
  --host <address>        address to bind (default 127.0.0.1; 0.0.0.0 in a container)
  --client-id <id>        the client's ID (default ${defaultClient.clientId})
  --client-secret <s>     the client's secret (default ${defaultClient.clientSecret})
  --redirect-uri <url>    a redirect URI of the client; repeat for several. Replaces the
                          default ${defaultClient.redirectUris[0]}
  --auto-approve          skip the consent page and sign in as the first user
  --rate-limit <n>        /api/public/me requests per token per minute (default 10; 0 = unlimited)
  --token-ttl <seconds>   access token lifetime, expires_in (default 7200)
  --allowed-host <name>   a host name to answer besides localhost and IP addresses, e.g.
                          emulator for http://emulator:4000; repeatable
  --control               serve the control routes /_emulator/faults and /_emulator/requests
                          (JSON, loopback clients only) to inject faults from another process
  --fault <endpoint>=<json>
                          inject a fault at start, e.g. --fault 'token={"status":503,"times":1}';
                          endpoints: ${endpoints.join(', ')}; repeatable
  -h, --help              show this text`;

/** @internal A flag's value that cannot be used; the message names the flag and what it takes. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** @internal What the command line asks for. */
export interface CommandLine {
  readonly options: EmulatorOptions;
  readonly faults: readonly { endpoint: Endpoint; fault: Fault }[];
  /** Whether the secret came from `--client-secret`: then it is not printed. */
  readonly secretGiven: boolean;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return value;
}

function redirectUri(text: string): string {
  if (!URL.canParse(text)) {
    throw new UsageError(
      `--redirect-uri must be an absolute URL such as http://localhost:3000/auth/eventpop/callback, not ${JSON.stringify(text)}`,
    );
  }
  return text;
}

function allowedHost(text: string): string {
  if (isIP(text) === 0 && hostName(text) === undefined) {
    throw new UsageError(
      `--allowed-host takes a host name without scheme or port (e.g. emulator), not ${JSON.stringify(text)}`,
    );
  }
  return text;
}

function fault(text: string): { endpoint: Endpoint; fault: Fault } {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  const endpoint = endpoints.find((e) => e === name);
  if (eq < 0 || endpoint === undefined) {
    throw new UsageError(
      `--fault takes <endpoint>=<json> with an endpoint among ${endpoints.join(', ')}, e.g. --fault 'token={"status":503}'`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text.slice(eq + 1));
  } catch {
    throw new UsageError(`--fault ${endpoint}=...: the fault is not valid JSON (quote it for the shell)`);
  }
  try {
    kindOf(value as Fault);
  } catch (error) {
    throw new UsageError(`--fault ${endpoint}=...: ${(error as Error).message}`);
  }
  return { endpoint, fault: value as Fault };
}

/** Node's own parse errors, said with the flag's name and a pointer to `--help`. */
function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '4000' },
        host: { type: 'string', default: '127.0.0.1' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'auto-approve': { type: 'boolean', default: false },
        'rate-limit': { type: 'string', default: '10' },
        'token-ttl': { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        control: { type: 'boolean', default: false },
        fault: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const quoted = /'([^']*)'/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${quoted}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`unexpected argument ${JSON.stringify(quoted)}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = quoted.split(' ')[0];
      const takesNone = (error as Error).message.includes('does not take an argument');
      throw new UsageError(takesNone ? `${flag} takes no value` : `${flag} needs a value`);
    }
    throw error;
  }
}

/**
 * @internal Parses the emulator's flags (without `node` and the script): `'help'` for `--help`,
 * else the options for `createEmulator` and the faults to inject. Throws a {@link UsageError} that
 * names the flag for a value it cannot use; a secret is never repeated in it.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine | 'help' {
  const values = parseFlags(argv);
  if (values.help) return 'help';

  const secret = values['client-secret'];
  if (secret === '') throw new UsageError('--client-secret must not be empty');
  const clientId = values['client-id'];
  if (clientId === '') throw new UsageError('--client-id must not be empty');
  if (values.host === '') throw new UsageError('--host must be an address such as 127.0.0.1');

  const rateText = values['rate-limit'];
  const rateLimit = /^\d+(?:\.\d+)?$/.test(rateText) ? Number(rateText) : Number.NaN;
  if (!Number.isFinite(rateLimit)) {
    throw new UsageError(
      `--rate-limit must be a number of requests per minute >= 0, not ${JSON.stringify(rateText)}`,
    );
  }

  const options: EmulatorOptions = {
    port: integer('port', values.port, 0, 65535),
    host: values.host,
    autoApprove: values['auto-approve'],
    profileRateLimit: rateLimit,
    control: values.control,
    clients: [
      {
        ...defaultClient,
        clientId: clientId ?? defaultClient.clientId,
        clientSecret: secret ?? defaultClient.clientSecret,
        redirectUris: values['redirect-uri']?.map(redirectUri) ?? defaultClient.redirectUris,
      },
    ],
    allowedHosts: (values['allowed-host'] ?? []).map(allowedHost),
    ...(values['token-ttl'] === undefined
      ? {}
      : { tokenTTL: integer('token-ttl', values['token-ttl'], 1, 365 * 24 * 3600) }),
  };
  return { options, faults: (values.fault ?? []).map(fault), secretGiven: secret !== undefined };
}
