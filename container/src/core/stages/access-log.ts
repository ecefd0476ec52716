import type { Stage } from "../pipeline.js";

/** Longest client-supplied string (method, tool name) copied into a log line, characters. */
const MAX_LOGGED_NAME = 128;
const clip = (value: string) => (value.length > MAX_LOGGED_NAME ? `${value.slice(0, MAX_LOGGED_NAME)}...` : value);

/**
 * Outermost stage: one `request completed` log line per request with
 * - `method`, `path`, `status`, `duration_ms` (milliseconds, from `ctx.receivedAt`);
 * - once the body was read: `mcp_method` (of the first message), `tool` (for `tools/call`),
 *   `messages` (count) and `request_bytes`;
 * - `session_id_prefix` (first 8 characters; the whole id is a handle to the session and stays out
 *   of logs) when the session stage resolved one, `tool_cache_hit` when the cache ran;
 * plus what the logger carries: `request_id`, `function_request_id` on Lambda, `tenant_id` once the
 * tenant stage ran. Client-supplied names are cut at 128 characters. Never alters the response.
 */
export function accessLogStage(): Stage {
  return async (ctx, next) => {
    const response = await next();
    const durationMs = Date.now() - ctx.receivedAt;
    const body = ctx.parsedBody === undefined ? undefined : await ctx.parsedBody.catch(() => undefined);
    const first = body?.messages[0];
    const tool = first?.method === "tools/call" ? (first.params as { name?: unknown } | undefined)?.name : undefined;
    ctx.logger.info("request completed", {
      method: ctx.request.method,
      path: ctx.url.pathname,
      status: response.status,
      duration_ms: durationMs,
      ...(first?.method === undefined ? {} : { mcp_method: clip(first.method) }),
      ...(typeof tool === "string" ? { tool: clip(tool) } : {}),
      ...(body === undefined ? {} : { messages: body.messages.length, request_bytes: body.bytes }),
      ...(ctx.session === undefined ? {} : { session_id_prefix: ctx.session.sessionId.slice(0, 8) }),
      ...(ctx.cacheHit === undefined ? {} : { tool_cache_hit: ctx.cacheHit }),
    });
    return response;
  };
}
