/**
 * Tool-result cache (optional, `MCP_TOOL_CACHE_TABLE_NAME`): a `tools/call` of a tool declared
 * cacheable ({@link CACHEABLE_TOOLS}) is answered from DynamoDB when the same tool was called with the
 * same arguments by the same tenant within the TTL. Only successful results (`isError` not true) are
 * stored. A cache failure is logged and the tool runs as if there were no cache.
 *
 * The DynamoDB implementation is in cache-dynamodb.ts (loaded only when the cache is configured).
 */
import { createHash } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../core/logger.js";
import type { ToolRegistration } from "../core/server.js";

/** Tools whose results depend only on their arguments, with the lifetime of a cached result (seconds; default `MCP_TOOL_CACHE_TTL_SECONDS`). */
export const CACHEABLE_TOOLS: Readonly<Record<string, { readonly ttlSeconds?: number }>> = {
  parse_arn: {},
  cidr_info: {},
};

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
  return createHash("sha256").update(`${tenantId ?? "-"}\u0000${canonicalJson(args ?? {})}`).digest("hex");
}

type ToolCallback = (args: unknown, extra: unknown) => CallToolResult | Promise<CallToolResult>;

/**
 * Wraps a tool registration so that the tools it registers that are in `cacheable` answer from
 * `cache`. Sets `ctx.cacheHit` (true: answered from the cache; false: ran and stored) for metering.
 */
export function withToolCache(
  register: ToolRegistration,
  cache: ToolCache,
  logger: Logger,
  cacheable: Readonly<Record<string, { readonly ttlSeconds?: number }>> = CACHEABLE_TOOLS,
): ToolRegistration {
  return (server, ctx) => {
    const original = server.registerTool.bind(server) as (name: string, config: unknown, cb: ToolCallback) => unknown;
    const patched = (name: string, config: unknown, cb: ToolCallback) => {
      const entry = cacheable[name];
      if (entry === undefined) return original(name, config, cb);
      return original(name, config, async (args: unknown, extra: unknown) => {
        const hash = paramsHash(args, ctx.tenant?.tenantId);
        try {
          const hit = await cache.get(name, hash);
          if (hit !== undefined) {
            ctx.cacheHit = true;
            return hit;
          }
        } catch (error) {
          logger.warn("tool cache read failed", { tool: name, error });
        }
        const result = await cb(args, extra);
        if (result.isError !== true) {
          ctx.cacheHit = false;
          await cache.put(name, hash, result, entry.ttlSeconds).catch((error: unknown) => logger.warn("tool cache write failed", { tool: name, error }));
        }
        return result;
      });
    };
    // Restore exactly what was there: another wrapper may have patched the instance before us.
    const target = server as unknown as { registerTool?: unknown };
    const ownBefore = Object.prototype.hasOwnProperty.call(target, "registerTool") ? target.registerTool : undefined;
    target.registerTool = patched;
    try {
      register(server, ctx);
    } finally {
      if (ownBefore === undefined) delete target.registerTool;
      else target.registerTool = ownBefore;
    }
  };
}
