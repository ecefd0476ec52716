import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { PATHS } from "../../contract/index.js";
import { JsonRpcErrorCode, McpHttpError } from "../errors.js";
import type { RequestContext } from "../context.js";
import type { Stage } from "../pipeline.js";

/** Body of `GET /health`. */
export interface HealthBody {
  status: "ok";
  name: string;
  version: string;
}

export interface RouteOptions {
  /** The MCP endpoint path, exact match (e.g. `/mcp`). */
  readonly path: string;
  /** HTTP methods the endpoint accepts; anything else gets 405 with `Allow: <these>`. */
  readonly allowedMethods: readonly string[];
  /** When set, `GET /health` answers 200 with this body (no authentication; see below). */
  readonly health?: Omit<HealthBody, "status">;
  /**
   * When set, RFC 9728 Protected Resource Metadata is served (no authentication) at
   * `/.well-known/oauth-protected-resource` and at the path-inserted form for the MCP path
   * (`/.well-known/oauth-protected-resource/mcp`, RFC 9728 section 3.1).
   */
  readonly protectedResourceMetadata?: (ctx: RequestContext) => Record<string, unknown>;
}

/** Path prefix of RFC 9728 Protected Resource Metadata (section 3). */
export const PRM_WELL_KNOWN = PATHS.protectedResourceMetadata;

/**
 * Whether an `Accept` header lists a media type explicitly with q > 0 (RFC 9110 section 12.5.1).
 * Wildcards do not count: the MCP transport says the client MUST list both `application/json` and
 * `text/event-stream` (spec 2025-06-18, Streamable HTTP, "Sending Messages to the Server", item 2).
 */
export function accepts(accept: string | null, mediaType: string): boolean {
  if (accept === null) return false;
  return accept.split(",").some((part) => {
    const [range = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    const value = range.trim();
    return value === mediaType;
  });
}

/** Whether a `Content-Type` is JSON: `application/json` with optional parameters (RFC 8259 section 11). */
export function isJsonContentType(contentType: string | null): boolean {
  return contentType !== null && contentType.split(";")[0]!.trim().toLowerCase() === "application/json";
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

/**
 * Routes the single MCP endpoint (MCP spec 2025-06-18 / 2025-11-25, Basic > Transports >
 * Streamable HTTP: "the server MUST provide a single HTTP endpoint path") plus two unauthenticated
 * helpers, and applies the transport's header rules before any body is read or token verified:
 *
 * - `GET /health` -> 200 `{"status":"ok","name","version"}` (liveness only: it touches no dependency)
 * - `GET /.well-known/oauth-protected-resource[/<mcp path>]` -> RFC 9728 metadata, when configured
 * - path other than `options.path` -> 404
 * - method not in `options.allowedMethods` -> 405 with `Allow` (RFC 9110 section 15.5.6). GET is 405:
 *   a Lambda behind an HTTP API cannot hold a server-initiated SSE stream (the spec allows 405).
 * - POST: `Accept` must admit both `application/json` and `text/event-stream` -> else 406;
 *   `Content-Type` must be `application/json` -> else 415; a `Content-Length` above the body limit -> 413
 * - POST / DELETE: an `MCP-Protocol-Version` the server does not support -> 400 (spec 2025-06-18,
 *   "Protocol Version Header": "the server MUST respond with 400 Bad Request")
 */
export function routeStage(options: RouteOptions): Stage {
  const allowed = new Set(options.allowedMethods.map((method) => method.toUpperCase()));
  const prmPaths = new Set([PRM_WELL_KNOWN, `${PRM_WELL_KNOWN}${options.path}`]);
  return async (ctx, next) => {
    const method = ctx.request.method.toUpperCase();
    const pathname = ctx.url.pathname;
    if (pathname === PATHS.health && options.health !== undefined) {
      if (method !== "GET" && method !== "HEAD") throw McpHttpError.methodNotAllowed(["GET", "HEAD"]);
      const body: HealthBody = { status: "ok", ...options.health };
      return method === "HEAD" ? new Response(null, { status: 200 }) : json(body, 200, { "Cache-Control": "no-store" });
    }
    if (prmPaths.has(pathname) && options.protectedResourceMetadata !== undefined) {
      if (method !== "GET" && method !== "HEAD") throw McpHttpError.methodNotAllowed(["GET", "HEAD"]);
      return json(options.protectedResourceMetadata(ctx), 200, { "Cache-Control": "public, max-age=3600" });
    }
    if (pathname !== options.path) throw McpHttpError.notFound();
    if (!allowed.has(method)) throw McpHttpError.methodNotAllowed([...allowed]);

    const headers = ctx.request.headers;
    if (method === "POST") {
      const accept = headers.get("accept");
      if (!accepts(accept, "application/json") || !accepts(accept, "text/event-stream")) {
        throw new McpHttpError(
          406,
          JsonRpcErrorCode.ServerError,
          "Not Acceptable: Client must accept both application/json and text/event-stream",
        );
      }
      if (!isJsonContentType(headers.get("content-type"))) {
        throw new McpHttpError(415, JsonRpcErrorCode.ServerError, "Unsupported Media Type: Content-Type must be application/json");
      }
      const length = headers.get("content-length");
      if (length !== null && /^\d+$/.test(length) && Number(length) > ctx.maxBodyBytes)
        throw McpHttpError.payloadTooLarge(ctx.maxBodyBytes);
    }
    const version = headers.get("mcp-protocol-version");
    if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      throw McpHttpError.badRequest(
        `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
        JsonRpcErrorCode.ServerError,
      );
    }
    return next();
  };
}
