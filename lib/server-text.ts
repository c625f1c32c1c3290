// Text from Eventpop (or whatever answers in its place) made safe for an error: secrets out in every encoding, capped, control characters neutralized.
import { formEncode } from './form';

/** Longest piece of server-supplied text kept in an error, in UTF-16 code units (before the cut notice). */
export const MAX_SERVER_TEXT = 300;

const REDACTED = '[redacted]';

// C0, DEL, C1, the line and paragraph separators (JavaScript and JSON line breaks) and the bidi
// controls (Trojan Source, CVE-2021-42574): each can forge a log line or disguise what follows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeControl(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function base64Unpadded(value: string): string {
  // Without the padding, the pattern also matches a copy whose `=` was percent-encoded or dropped.
  return Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '');
}

/**
 * The secrets one request to Eventpop carried: the client secret, and the code, verifier or
 * token of that request. Built only when an error is being made from an answer; the pattern
 * that finds every spelling of every secret is compiled once, on first use.
 */
export class RequestSecrets {
  private pattern: RegExp | undefined;
  private forms: readonly string[] | undefined;

  /**
   * @param client the client's credentials: its secret, and `id:secret` as HTTP Basic sends it.
   * @param values the request's own secrets; empty and missing ones are skipped.
   */
  constructor(
    private readonly client: { readonly clientID: string; readonly clientSecret: string },
    private readonly values: readonly (string | undefined)[],
  ) {}

  /** Every spelling to look for, longest first (an alternation takes the first alternative that matches). */
  private spellings(): readonly string[] {
    if (this.forms) return this.forms;
    const { clientID, clientSecret } = this.client;
    // RFC 6749 section 2.3.1: Basic credentials are form-encoded before base64; servers differ.
    const bases = [
      clientSecret,
      ...this.values,
      base64Unpadded(`${clientID}:${clientSecret}`),
      base64Unpadded(`${formEncode(clientID)}:${formEncode(clientSecret)}`),
    ];
    const forms = new Set<string>();
    for (const base of bases) {
      if (!base) continue;
      for (const form of [base, formEncode(base), encodeURIComponent(base), encodeURI(base)]) forms.add(form);
    }
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    return this.forms;
  }

  private matcher(): RegExp {
    if (!this.pattern) {
      const alternatives = this.spellings().map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      // Case-insensitive: percent-encoding may come back as %2b, and a host name lower-cased.
      this.pattern = new RegExp(alternatives.join('|'), 'gi');
    }
    return this.pattern;
  }

  /** `text` with every spelling of every secret replaced by `[redacted]`. */
  scrub(text: string): string {
    return text.replace(this.matcher(), REDACTED);
  }

  /**
   * Drops the end of a cut text when it is the beginning of a secret: the rest of that secret was
   * cut off, so the whole-secret pattern could not see it.
   */
  private dropPartialTail(text: string): string {
    const lower = text.toLowerCase();
    let keep = text.length;
    for (const form of this.spellings()) {
      const head = form.toLowerCase();
      for (let k = Math.min(head.length - 1, lower.length); k > 0; k -= 1) {
        if (lower.endsWith(head.slice(0, k))) {
          keep = Math.min(keep, lower.length - k);
          break;
        }
      }
    }
    return text.slice(0, keep);
  }

  /**
   * Server-supplied `value` as it may enter an error: secrets removed, control characters written
   * as escapes (`\n`, `\u202e`), and at most {@link MAX_SERVER_TEXT} characters, with a notice
   * saying how long the original was when it was cut.
   */
  text(value: string): string {
    const cut = value.length > MAX_SERVER_TEXT;
    let kept = cut ? value.slice(0, MAX_SERVER_TEXT) : value;
    // Never end on half a surrogate pair.
    if (cut && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
    kept = this.scrub(kept);
    if (cut) kept = this.dropPartialTail(kept);
    let out = kept.replace(CONTROL, escapeControl);
    let shortened = cut;
    if (out.length > MAX_SERVER_TEXT) {
      // Escapes lengthen the text: cut again, before any escape that would be split.
      out = out.slice(0, MAX_SERVER_TEXT).replace(/\\(?:u[0-9a-f]{0,3})?$/, '');
      shortened = true;
    }
    return shortened ? `${out}... [cut: ${value.length} characters in all]` : out;
  }
}
