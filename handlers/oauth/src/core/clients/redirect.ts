/**
 * Redirect URI rules.
 *
 * - Loopback (RFC 8252 section 7.3): a registered `http` URI on `localhost`, `127.0.0.1` or `[::1]`
 *   matches a requested loopback URI with the same path and query on any port and any of the three
 *   hosts (native clients bind an ephemeral port; some send `localhost` while their document lists
 *   `127.0.0.1`).
 * - Everything else: exact string comparison (RFC 9700 section 4.1.3).
 * - Acceptable at all: no fragment (RFC 6749 section 3.1.2); `https`, loopback `http`, or a private-use
 *   scheme with a dot-free reverse-domain-ish name (RFC 8252 section 7.1); never `javascript:`,
 *   `data:`, `file:` and the like.
 */

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:", "ftp:", "ws:", "wss:"]);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** Whether `uri` is a loopback redirect (`http` on a loopback host). */
export function isLoopbackRedirect(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

/**
 * Why `uri` cannot be a redirect URI, or undefined when it can.
 */
export function redirectUriProblem(uri: string): string | undefined {
  const url = parse(uri);
  if (url === undefined) return "not an absolute URI";
  if (uri.includes("#")) return "must not contain a fragment";
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `scheme ${url.protocol} not allowed`;
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) return "http only on a loopback host";
  if (url.username !== "" || url.password !== "") return "must not contain credentials";
  if (url.protocol !== "https:" && url.protocol !== "http:" && !/^[a-z][a-z0-9+.-]*:$/.test(url.protocol)) return "invalid scheme";
  return undefined;
}

/** Whether `requested` matches the registered `registered` (loopback rule, else exact). */
export function redirectMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  if (!isLoopbackRedirect(registered) || !isLoopbackRedirect(requested)) return false;
  const a = new URL(registered);
  const b = new URL(requested);
  return a.pathname === b.pathname && a.search === b.search && !requested.includes("#");
}

/** The registered URI that `requested` matches, if any. */
export function findRedirect(registered: readonly string[], requested: string): string | undefined {
  return registered.find((uri) => redirectMatches(uri, requested));
}

/**
 * Whether the operator's allow-list admits `uri`: an allow-list entry that is a bare loopback base
 * (`http://localhost`, no path) admits every loopback redirect; other entries match exactly or by
 * the loopback rule.
 */
export function redirectAllowed(allowList: readonly string[], uri: string): boolean {
  return allowList.some((entry) => {
    const url = parse(entry);
    if (
      url !== undefined &&
      url.protocol === "http:" &&
      LOOPBACK.has(url.hostname) &&
      (url.pathname === "/" || url.pathname === "") &&
      url.search === ""
    ) {
      return isLoopbackRedirect(uri);
    }
    return redirectMatches(entry, uri);
  });
}

/** `uri` with the port of a loopback redirect removed (the DCR identity ignores ports). */
export function withoutLoopbackPort(uri: string): string {
  if (!isLoopbackRedirect(uri)) return uri;
  const url = new URL(uri);
  url.port = "";
  return url.href;
}
