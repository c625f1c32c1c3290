// Pure: the body of /api/public/me -> a normalized EventpopProfile (no I/O).
import { EventpopAPIError } from './errors';
import { describeJSONProblem, isJSONObject, readJSON, trimmedText } from './json';
import type { EventpopTicket } from './ticket';

/**
 * The user object of `/api/public/me` as Eventpop documents it. Every field but `id` may be
 * missing, `null` or empty. Values in `_json` are as Eventpop sent them and are not checked:
 * prefer the profile's normalized fields.
 */
export interface EventpopUser {
  id: number;
  full_name?: string | null;
  email?: string | null;
  avatar?: string | null;
  avatars?: {
    original?: string | null;
    medium?: string | null;
    thumb?: string | null;
    tiny?: string | null;
  } | null;
  /** `YYYY-MM-DD`. */
  birthday?: string | null;
  gender?: string | null;
  phone?: string | null;
}

/** The body of `/api/public/me`: observed wrapped in `user`; the published schema is bare. */
export type EventpopMeResponse = { user: EventpopUser } | EventpopUser;

/**
 * The user's profile in passport's portable-contacts shape. Fields Eventpop left absent,
 * `null` or empty are absent here too.
 */
export interface EventpopProfile {
  provider: 'eventpop';
  /** Eventpop's user id, as a string. */
  id: string;
  /** `full_name`, trimmed; else the email; else `Eventpop user <id>`. */
  displayName: string;
  /** `full_name` split at its first run of white space; `familyName` absent for a one-word name. */
  name?: { givenName: string; familyName?: string };
  emails?: [{ value: string }];
  /** The default avatar (`avatar`, else `avatars.original`); only http(s) URLs. */
  photos?: [{ value: string }];
  phoneNumbers?: [{ value: string }];
  gender?: string;
  /** `YYYY-MM-DD`, as Eventpop sent it. */
  birthday?: string;
  /**
   * With the strategy's `tickets` option: the user's tickets that count (that organizer's, that
   * event's, that status), from every page of the list. Absent without the option.
   */
  tickets?: EventpopTicket[];
  /** The body text as received. */
  _raw: string;
  /** The parsed body as Eventpop sent it (wrapper included), minus any `__proto__` key. */
  _json: EventpopMeResponse;
}

/** The profile of a strategy given the `tickets` option: `tickets` is always there (maybe empty). */
export type EventpopProfileWithTickets = EventpopProfile & { tickets: EventpopTicket[] };

// Longest value kept per field: longer ones are left out rather than cut, since a cut value is
// a wrong value, and no real name, address or URL comes near these.
const LIMITS = { name: 512, email: 320, url: 2048, phone: 64, gender: 64, birthday: 32 } as const;

// An http(s) URL that the URL parser always accepts: a host of ASCII letters, digits and inner
// hyphens whose last label starts with a letter (so it is a domain, not a malformed IPv4
// address) and no label of which is punycode (`xn--`, checked by the parser), or a dotted-decimal
// IPv4 address; a port from 0 to 65535; then nothing, or a path, query or fragment of printable
// ASCII. On Node 20 this test costs a tenth of what URL.canParse costs a login; anything it does
// not match goes to the parser, so it changes no answer (test/profile-parse.test.ts).
const LABEL = '(?!xn--)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const DOMAIN = `(?:${LABEL}\\.)*(?!xn--)[a-z](?:[a-z0-9-]*[a-z0-9])?`;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const PORT = '(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d{2}|6[0-4]\\d{3}|[1-5]\\d{4}|\\d{1,4})';
/** @internal */
export const PARSEABLE_HTTP_URL = new RegExp(
  `^https?://(?:${DOMAIN}|${OCTET}(?:\\.${OCTET}){3})(?::${PORT})?(?:[/?#][\\x21-\\x7e]*)?$`,
  'i',
);

function httpURL(value: unknown): string | undefined {
  const candidate = trimmedText(value, LIMITS.url);
  if (!candidate) return undefined;
  if (PARSEABLE_HTTP_URL.test(candidate)) return candidate;
  // A value that starts with http:// or https:// has that scheme for the URL parser too, which
  // then only has to say whether it parses: without building a URL object, at half the cost.
  if (/^https?:\/\//i.test(candidate)) return URL.canParse(candidate) ? candidate : undefined;
  try {
    const { protocol } = new URL(candidate);
    return protocol === 'https:' || protocol === 'http:' ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function userId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
  return undefined;
}

function invalid(message: string, status: number): EventpopAPIError {
  return new EventpopAPIError(`Eventpop's /api/public/me answered ${message}`, {
    code: 'invalid_response',
    status,
  });
}

/**
 * Builds the profile from the body of a successful `/api/public/me` answer. Accepts the
 * `{"user": {...}}` wrapper and the bare user object.
 *
 * @throws {EventpopAPIError} `invalid_response` when the body is not a JSON object (the message
 * says whether it is not JSON, or JSON nested too deeply to be checked safely) or has no usable `id`.
 */
export function parseProfile(body: string, status = 200): EventpopProfile {
  const json = readJSON(body);
  if (typeof json === 'string') throw invalid(`${describeJSONProblem(json)}, not a user object.`, status);
  const user = isJSONObject(json.user) ? json.user : json;
  const id = userId(user.id);
  if (id === undefined)
    throw invalid('a user without a usable id (expected a non-negative integer).', status);

  const fullName = trimmedText(user.full_name, LIMITS.name)?.replace(/\s+/g, ' ');
  const email = trimmedText(user.email, LIMITS.email);
  const avatars = isJSONObject(user.avatars) ? user.avatars : undefined;
  const photo = httpURL(user.avatar) ?? httpURL(avatars?.original);
  const phone = trimmedText(user.phone, LIMITS.phone);
  const gender = trimmedText(user.gender, LIMITS.gender);
  const birthday = trimmedText(user.birthday, LIMITS.birthday);

  const profile: EventpopProfile = {
    provider: 'eventpop',
    id,
    displayName: fullName ?? email ?? `Eventpop user ${id}`,
    _raw: body,
    _json: json as unknown as EventpopMeResponse,
  };
  if (fullName) {
    const space = fullName.indexOf(' ');
    profile.name =
      space === -1
        ? { givenName: fullName }
        : { givenName: fullName.slice(0, space), familyName: fullName.slice(space + 1) };
  }
  if (email) profile.emails = [{ value: email }];
  if (photo) profile.photos = [{ value: photo }];
  if (phone) profile.phoneNumbers = [{ value: phone }];
  if (gender) profile.gender = gender;
  if (birthday) profile.birthday = birthday;
  return profile;
}
