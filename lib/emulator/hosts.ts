// The host names the emulator answers to: its guard against DNS rebinding.
import { isIP } from 'node:net';

/** A DNS name: dot-separated labels of letters, digits, `-` and `_` (Docker's service names have them). */
const dnsName =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * @internal A host name as it is compared: lower-cased, or `undefined` when `value` is not a DNS
 * name (an IP address, a port, a scheme or a path make it none).
 */
export function hostName(value: string): string | undefined {
  const name = value.toLowerCase();
  return dnsName.test(name) && isIP(name) === 0 ? name : undefined;
}

/** The host of a `Host` header without its port, and whether it is an IP address; `undefined` if malformed. */
function parseHostHeader(header: string): { name: string; ip: boolean } | undefined {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(header);
  if (bracketed?.[1] !== undefined)
    return isIP(bracketed[1]) === 6 ? { name: bracketed[1], ip: true } : undefined;
  const plain = /^([^:]+)(?::\d{1,5})?$/.exec(header);
  if (plain?.[1] === undefined) return undefined;
  if (isIP(plain[1]) === 4) return { name: plain[1], ip: true };
  const name = hostName(plain[1]);
  return name === undefined ? undefined : { name, ip: false };
}

/**
 * @internal Whether the emulator answers a request with this `Host` header. A browser sends the
 * name from the page's URL, so a page of `attacker.example` whose DNS was rebound to 127.0.0.1
 * still says `Host: attacker.example`: refusing names the emulator does not know stops it. An IP
 * address cannot be rebound, and `localhost` (with `*.localhost`) resolves to loopback in the
 * browser itself, so both are always answered, on any port. A request without `Host` (HTTP/1.0)
 * comes from no browser and is answered too.
 */
export function isAllowedHost(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (header === undefined) return true;
  const host = parseHostHeader(header);
  if (host === undefined) return false;
  if (host.ip) return true;
  return host.name === 'localhost' || host.name.endsWith('.localhost') || allowed.has(host.name);
}

/** @internal The plain-text refusal of a request whose `Host` is not answered, naming the way to allow it. */
export function hostRefusal(header: string): string {
  const name = parseHostHeader(header)?.name ?? header.slice(0, 100);
  return [
    `This Eventpop emulator does not answer to the host name ${JSON.stringify(name)}.`,
    'It answers localhost, IP addresses and the host it binds, so that a web page cannot reach it',
    'through DNS rebinding. To use this name (e.g. a docker-compose service), start it with',
    `--allowed-host ${/^[a-z0-9._-]+$/.test(name) ? name : '<name>'} (or pass allowedHosts: [...] to createEmulator).`,
    '',
  ].join('\n');
}
