import { createHash, timingSafeEqual } from "node:crypto";
import { HEADERS } from "../../contract/index.js";
import { McpHttpError } from "../errors.js";
import type { Stage } from "../pipeline.js";

/** Name of the header CloudFront adds (a custom origin header) so the function can refuse direct execute-api calls. */
export const ORIGIN_VERIFY_HEADER = HEADERS.originVerify.toLowerCase();

export interface OriginOptions {
  /**
   * Allowed `Origin` values: `scheme://host[:port]` compared exactly (case-insensitive), or with a
   * port of `*` (`http://localhost:*`) for any port of that scheme and host. Empty: any request that
   * carries an `Origin` is refused; requests without one (CLI clients, servers) pass.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * When set, the `Host` header's host name (port ignored) must be one of these (case-insensitive):
   * the DNS-rebinding defence of a server bound to loopback (MCP spec 2025-11-25, Security Best
   * Practices, "Local MCP Server Compromise"). Undefined: `Host` is not checked (behind API Gateway it
   * is the API's own domain).
   */
  readonly allowedHosts?: readonly string[];
  /** When set, every request must carry {@link ORIGIN_VERIFY_HEADER} with exactly this value. */
  readonly verifySecret?: string;
}

/** Request headers a browser client may send (CORS preflight answer). */
const CORS_ALLOW_HEADERS = "authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id";
/** Response headers a browser client must be able to read. */
const CORS_EXPOSE_HEADERS = "mcp-session-id, mcp-protocol-version, www-authenticate";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Path prefix of the public discovery documents (RFC 8615 well-known URIs). */
export const WELL_KNOWN_PREFIX = "/.well-known/";

/** Methods that only read a well-known document (and its CORS preflight). */
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request reads a public discovery document: `GET`, `HEAD` or `OPTIONS` on a
 * `/.well-known/` path. Such requests skip the `Origin` allow-list and are answered with
 * `Access-Control-Allow-Origin: *` and no credentials, so a browser-based client (the MCP Inspector in
 * direct mode) can read the RFC 9728 metadata before it holds a token. The MCP endpoint keeps the strict check.
 */
export function isPublicDiscovery(method: string, pathname: string): boolean {
  return pathname.startsWith(WELL_KNOWN_PREFIX) && READ_METHODS.has(method.toUpperCase());
}

/**
 * Whether `origin` matches one allow-list entry (see {@link OriginOptions.allowedOrigins}).
 * @param origin the `Origin` header value, e.g. `https://app.example.com`
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An Origin is scheme://host[:port] and nothing else (RFC 6454 section 7).
  if (url.origin === "null" || origin.endsWith("/") || url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "")
    return false;
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern.endsWith(":*")) return `${url.protocol}//${url.hostname}` === pattern.slice(0, -2);
    return url.origin === new URL(pattern).origin;
  });
}

/** The host name of a `Host` header value (`example.com:8443` -> `example.com`, `[::1]:80` -> `[::1]`). */
function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * The origin slot. Runs before route, so it covers every path (MCP spec 2025-06-18 / 2025-11-25,
 * Streamable HTTP, "Security Warning": servers MUST validate `Origin`; if it is present and invalid
 * they MUST answer 403). In order:
 *
 * 1. `verifySecret` set and `x-origin-verify` missing or different (constant-time compare) -> 403.
 *    This is how the function refuses calls that bypass CloudFront + WAF through the execute-api URL.
 * 2. `allowedHosts` set and the `Host` host name not in it -> 403 (DNS rebinding).
 * 3. `GET` / `HEAD` / `OPTIONS` on a `/.well-known/` path ({@link isPublicDiscovery}): any `Origin`,
 *    answered with `Access-Control-Allow-Origin: *` and no credentials (preflight: 204 here).
 * 4. `Origin` present and not allowed -> 403. Allowed -> CORS headers on the response
 *    (`Access-Control-Allow-Origin`, `Vary: Origin`, exposed `Mcp-Session-Id` / `WWW-Authenticate`);
 *    an allowed `OPTIONS` preflight is answered here with 204.
 */
export function originStage(options: OriginOptions): Stage {
  const secret = options.verifySecret === undefined ? undefined : digest(options.verifySecret);
  const hosts = options.allowedHosts === undefined ? undefined : new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  return async (ctx, next) => {
    const headers = ctx.request.headers;
    if (secret !== undefined) {
      const presented = headers.get(ORIGIN_VERIFY_HEADER);
      if (presented === null || !timingSafeEqual(digest(presented), secret)) {
        throw McpHttpError.forbidden("Forbidden: request did not come through the configured edge");
      }
    }
    if (hosts !== undefined) {
      const host = headers.get("host") ?? ctx.url.host;
      if (!hosts.has(hostName(host))) throw McpHttpError.forbidden("Forbidden: Host not allowed");
    }
    if (isPublicDiscovery(ctx.request.method, ctx.url.pathname)) {
      ctx.responseHeaders.set("Access-Control-Allow-Origin", "*");
      ctx.responseHeaders.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
      if (ctx.request.method.toUpperCase() === "OPTIONS" && headers.has("access-control-request-method")) {
        return new Response(null, {
          status: 204,
          headers: {
            "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
            "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
            "Access-Control-Max-Age": "600",
          },
        });
      }
      return next();
    }
    const origin = headers.get("origin");
    if (origin === null) return next();
    if (!originAllowed(origin, options.allowedOrigins)) throw McpHttpError.forbidden("Forbidden: Origin not allowed");

    ctx.responseHeaders.set("Access-Control-Allow-Origin", origin);
    ctx.responseHeaders.set("Vary", "Origin");
    ctx.responseHeaders.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    if (ctx.request.method.toUpperCase() === "OPTIONS" && headers.has("access-control-request-method")) {
      return new Response(null, {
        status: 204,
        headers: {
          "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
          "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
          "Access-Control-Max-Age": "600",
        },
      });
    }
    return next();
  };
}
