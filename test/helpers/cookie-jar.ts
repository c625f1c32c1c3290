// A browser without a browser: fetch with manual redirects, followed here, and cookies kept per host.

/** One answer as a test sees it; `location` is resolved against the request URL. */
export interface Page {
  /** The URL that gave this answer (the last one, after redirects). */
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly location: string | undefined;
  readonly body: string;
  /** Every URL requested on the way, the first request included, in order. */
  readonly visited: readonly string[];
}

/** How to send one request. */
export interface RequestOptions {
  /** A form to POST as `application/x-www-form-urlencoded`; without it the request is a GET. */
  readonly form?: URLSearchParams;
  /** Follow redirects (the default) or stop at the first answer. */
  readonly follow?: boolean;
  /** Milliseconds for each hop; default 10000. */
  readonly timeoutMs?: number;
  /** Extra request headers on the first hop (e.g. the `Origin` and `Sec-Fetch-Site` a page would send). */
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_REDIRECTS = 10;

/**
 * Cookies by host name, as browsers keep them (ports do not isolate cookies). Only what these
 * tests need: name, value, expiry; every cookie is sent on every path of its host.
 */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, string>>();

  /** The `Cookie` header for a URL, or `undefined` when there is none. */
  header(url: string): string | undefined {
    const jar = this.hosts.get(new URL(url).hostname);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Keeps the cookies of one `Set-Cookie` line; an expired or empty one removes the cookie. */
  store(url: string, line: string): void {
    const host = new URL(url).hostname;
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => {
      const at = attribute.indexOf('=');
      const key = attribute
        .slice(0, at < 0 ? undefined : at)
        .trim()
        .toLowerCase();
      const val = at < 0 ? '' : attribute.slice(at + 1).trim();
      if (key === 'max-age') return Number(val) <= 0;
      if (key === 'expires') return Date.parse(val) <= Date.now();
      return false;
    });
    const jar = this.hosts.get(host) ?? new Map<string, string>();
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
    this.hosts.set(host, jar);
  }

  /** The names of the cookies kept for a URL's host. */
  names(url: string): string[] {
    return [...(this.hosts.get(new URL(url).hostname)?.keys() ?? [])];
  }
}

/**
 * Sends requests as a browser would: cookies from the jar, redirects followed (303, and 301/302
 * after a POST, turn into a GET), and every hop bounded by a timeout.
 */
export class HttpBrowser {
  readonly jar = new CookieJar();

  /** GETs a URL (or POSTs `options.form`) and follows redirects unless `follow: false`. */
  async open(url: string, options: RequestOptions = {}): Promise<Page> {
    const visited: string[] = [];
    let current = url;
    let form = options.form;
    for (let hop = 0; ; hop += 1) {
      visited.push(current);
      const extra = hop === 0 ? options.headers : undefined;
      const page = await this.send(current, form, options.timeoutMs ?? 10_000, visited, extra);
      if (
        options.follow === false ||
        page.location === undefined ||
        page.status < 300 ||
        page.status >= 400
      ) {
        return page;
      }
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
      if (page.status !== 307 && page.status !== 308) form = undefined;
      current = page.location;
    }
  }

  private async send(
    url: string,
    form: URLSearchParams | undefined,
    timeoutMs: number,
    visited: string[],
    extra: Readonly<Record<string, string>> | undefined,
  ): Promise<Page> {
    const headers: Record<string, string> = { ...extra };
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers,
      ...(form ? { body: form.toString() } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const line of res.headers.getSetCookie()) this.jar.store(url, line);
    const location = res.headers.get('location');
    return {
      url,
      status: res.status,
      headers: res.headers,
      location: location === null ? undefined : new URL(location, url).href,
      body: await res.text(),
      visited: [...visited],
    };
  }
}
