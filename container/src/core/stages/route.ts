import { McpHttpError } from "../errors.js";
import type { Stage } from "../pipeline.js";

export interface RouteOptions {
  /** The MCP endpoint path, exact match (e.g. `/mcp`). */
  readonly path: string;
  /** HTTP methods the endpoint accepts; anything else gets 405 with `Allow: <these>`. */
  readonly allowedMethods: readonly string[];
}

/**
 * Routes the single MCP endpoint (MCP spec 2025-06-18 / 2025-11-25, Basic > Transports >
 * Streamable HTTP: "the server MUST provide a single HTTP endpoint path").
 * - path other than `options.path` -> 404 `McpHttpError`
 * - method not in `options.allowedMethods` -> 405 with `Allow` (RFC 9110 section 15.5.6).
 *   GET is 405 because a Lambda behind an HTTP API cannot hold a server-initiated SSE stream
 *   (the spec allows 405 for a server that offers none).
 */
export function routeStage(options: RouteOptions): Stage {
  const allowed = new Set(options.allowedMethods.map((method) => method.toUpperCase()));
  return async (ctx, next) => {
    if (ctx.url.pathname !== options.path) throw McpHttpError.notFound();
    if (!allowed.has(ctx.request.method.toUpperCase())) throw McpHttpError.methodNotAllowed([...allowed]);
    return next();
  };
}
