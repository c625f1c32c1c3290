// The emulator's own profile pictures: GET /avatars/<userId>/<size>.svg, and resolving path-only avatar URLs.
import type { ServerResponse } from 'node:http';
import { send, sendJson } from './http';
import { escapeHtml } from './pages';
import type { EmulatorAvatars, EmulatorUser } from './store';

/** The sizes of Eventpop's `avatars` object, each served at `/avatars/<userId>/<size>.svg`. */
export type AvatarSize = keyof EmulatorAvatars;

/** Width and height in pixels of each size. */
const pixels: Readonly<Record<AvatarSize, number>> = { original: 512, medium: 256, thumb: 128, tiny: 48 };

const avatarPath = /^\/avatars\/(\d{1,15})\/(original|medium|thumb|tiny)\.svg$/;

/** @internal The user id and size named by an avatar path, or `undefined` when `path` is not one. */
export function parseAvatarPath(path: string): { userId: number; size: AvatarSize } | undefined {
  const match = avatarPath.exec(path);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { userId: Number(match[1]), size: match[2] as AvatarSize };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The first grapheme cluster of a word. A Thai leading vowel (เ แ โ ใ ไ, written before the
 * consonant it follows in speech) is skipped, as Thai abbreviations do: "เอกชัย" -> "อ".
 */
function firstGrapheme(word: string): string {
  let skipped = false;
  for (const { segment } of graphemes.segment(word)) {
    if (!skipped && /^[\u0E40-\u0E44]$/.test(segment)) {
      skipped = true;
      continue;
    }
    return segment;
  }
  return word;
}

/**
 * Up to two initials: first and last word of a name written in a cased script ("Somchai Jaidee" ->
 * "SJ"); a single character otherwise (Thai "สมชาย ใจดี" -> "ส": Thai writes no two-letter initials). Without a name, the email's first character; else "?".
 * Whole grapheme clusters, so a base letter keeps its combining marks.
 */
export function initialsOf(user: EmulatorUser): string {
  const words = (user.full_name ?? '').trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (first === undefined) return firstGrapheme((user.email ?? '').trim()).toUpperCase() || '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const cased = /^[\p{Lu}\p{Ll}\p{Lt}]/u;
  const initials =
    last !== undefined && cased.test(first) && cased.test(last)
      ? firstGrapheme(first) + firstGrapheme(last)
      : firstGrapheme(first);
  return initials.toUpperCase();
}

/**
 * A colour from the user id: the hue spread by the golden angle so neighbouring ids differ, at a
 * saturation and lightness where white text stays readable. Hex, which every SVG renderer reads.
 */
export function colourOf(userId: number): string {
  const h = (Math.abs(userId) * 137.508) % 360;
  const s = 0.55;
  const l = 0.38;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** The picture: the initials in white on a square of a colour derived from the id (apps crop it round). */
export function avatarSvg(user: EmulatorUser, size: AvatarSize): string {
  const px = pixels[size];
  const initials = initialsOf(user);
  const fontSize = [...graphemes.segment(initials)].length > 1 ? 40 : 48;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 100 100" role="img">
<rect width="100" height="100" fill="${colourOf(user.id)}"/>
<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="${fontSize}" font-weight="600" fill="#fff">${escapeHtml(initials)}</text>
</svg>
`;
}

/**
 * `GET` (or `HEAD`: Node leaves the body out) `/avatars/<userId>/<size>.svg`: the user's generated
 * picture, cacheable for a day; `404` for an unknown user. `nosniff` and a CSP that allows nothing
 * keep the SVG an image even when opened on its own.
 */
export function handleAvatar(res: ServerResponse, user: EmulatorUser | undefined, size: AvatarSize): void {
  if (user === undefined) {
    sendJson(res, 404, { status: 404, error: 'Not Found' });
    return;
  }
  send(res, 200, avatarSvg(user, size), {
    'Content-Type': 'image/svg+xml',
    'Cache-Control': 'public, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    // Apps on other origins (the demo) show these pictures.
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
}

/**
 * The origin a request reached the emulator at: its scheme, and the host and port of its `Host`
 * header, so the avatar URLs answered to a client that calls it `http://localhost:4000` name
 * `localhost` too (and pass that client's CSP). `fallback` (`emu.url`) when the header is missing
 * or is not a plain host.
 */
export function requestOrigin(host: string | undefined, fallback: string): string {
  if (host === undefined || !/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host))
    return fallback;
  const scheme = fallback.slice(0, fallback.indexOf(':'));
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return fallback;
  }
}

/**
 * A path-only URL (`/avatars/...`) made absolute on `origin`. A protocol-relative `//host/...` (or
 * `/\\host`, which URL parsing reads the same way) names another host, so it stays as it is.
 */
function absolute(value: string, origin: string): string {
  if (!value.startsWith('/') || value[1] === '/' || value[1] === '\\') return value;
  return new URL(value, origin).href;
}

/**
 * The user as `/api/public/me` answers it: `avatar` and each of `avatars` given as a path are made
 * absolute on the emulator's `origin`; every other value, absolute URLs included, is left as it is.
 */
export function withAbsoluteAvatars(user: EmulatorUser, origin: string): EmulatorUser {
  const out: EmulatorUser = { ...user };
  if (typeof user.avatar === 'string') out.avatar = absolute(user.avatar, origin);
  const avatars = user.avatars;
  if (avatars !== undefined && avatars !== null) {
    const resolved: EmulatorAvatars = { ...avatars };
    for (const size of Object.keys(pixels) as AvatarSize[]) {
      const value = avatars[size];
      if (typeof value === 'string') resolved[size] = absolute(value, origin);
    }
    out.avatars = resolved;
  }
  return out;
}
