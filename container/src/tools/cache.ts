/**
 * Tool-result cache (optional, `MCP_TOOL_CACHE_TABLE_NAME`): a `tools/call` of a tool declared
 * `cacheable` (core/tools.ts) is answered from DynamoDB when the same tool was called with the
 * same arguments by the same tenant within the TTL. Only successful results (`isError` not true) are
 * stored. A cache failure is logged and the tool runs as if there were no cache.
 *
 * The DynamoDB implementation is in cache-dynamodb.ts (loaded only when the cache is configured).
 */
import { createHash } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../core/logger.js";
import type { AnyToolDefinition } from "../core/tools.js";

export interface ToolCache {
  /** The cached result, or undefined (absent or expired). */
  get(toolName: string, paramsHash: string): Promise<CallToolResult | undefined>;
  /** Stores `result` for `ttlSeconds` (undefined = the cache's default). */
  put(toolName: string, paramsHash: string, result: CallToolResult, ttlSeconds?: number): Promise<void>;
}

/** JSON with object keys sorted at every level, so equal arguments hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The range key: hex SHA-256 of `<tenant or "-">\0<canonical JSON of args>`. */
export function paramsHash(args: unknown, tenantId: string | undefined): string {
  return createHash("sha256")
    .update(`${tenantId ?? "-"}\u0000${canonicalJson(args ?? {})}`)
    .digest("hex");
}

/**
 * `tool` with its handler answering from `cache` when `tool.cacheable` is set (else `tool` itself).
 * The handler sets `ctx.cacheHit` (true: answered from the cache; false: ran and stored) for the
 * metrics. Only successful results (`isError` not true) are stored; a failing read or write is
 * logged on `logger` and the tool runs as if there were no cache.
 */
export function withToolCache<Tool extends AnyToolDefinition>(tool: Tool, cache: ToolCache, logger: Logger): Tool {
  const caching = tool.cacheable;
  if (caching === undefined || caching === false) return tool;
  const ttlSeconds = caching === true ? undefined : caching.ttlSeconds;
  const { name, handler } = tool;
  return {
    ...tool,
    handler: async (args: Parameters<Tool["handler"]>[0], ctx: Parameters<Tool["handler"]>[1], extra: Parameters<Tool["handler"]>[2]) => {
      const hash = paramsHash(args, ctx.tenant?.tenantId);
      // A cache that failed to read is skipped for this request: the tool runs, nothing is stored,
      // and the failure is logged once (a hung cache costs one bounded wait, not two).
      let readable = true;
      try {
        const hit = await cache.get(name, hash);
        if (hit !== undefined) {
          ctx.cacheHit = true;
          return hit;
        }
      } catch (error) {
        readable = false;
        logger.warn("tool cache read failed; answering without the cache", { tool: name, error });
      }
      const result = await handler.call(tool, args, ctx, extra);
      if (readable && result.isError !== true) {
        ctx.cacheHit = false;
        await cache
          .put(name, hash, result, ttlSeconds)
          .catch((error: unknown) => logger.warn("tool cache write failed", { tool: name, error }));
      }
      return result;
    },
  };
}
