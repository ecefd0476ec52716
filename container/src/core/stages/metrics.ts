/**
 * The metrics slot: one {@link RequestUsage} per request (method, tool, status, duration, tenant,
 * cache hit) handed to a {@link MetricsSink} (on Lambda: Powertools Metrics, EMF) once the answer is
 * known. The durable per-tenant counters are the usage slot (usage.ts).
 */
import { ClientNotificationSchema, ClientRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ParsedBody, RequestContext } from "../context.js";
import { McpHttpError } from "../errors.js";
import type { MetricsSink, RequestUsage } from "../observability.js";
import type { Stage } from "../pipeline.js";

/**
 * Methods a client may send (requests and notifications), read from the SDK's `ClientRequestSchema`
 * and `ClientNotificationSchema`, so the list follows the protocol revisions the SDK implements.
 */
export const MCP_CLIENT_METHODS: ReadonlySet<string> = new Set(
  [...ClientRequestSchema.options, ...ClientNotificationSchema.options].map((schema) => schema.shape.method.value),
);

/**
 * The `method` a metric is recorded under: the JSON-RPC method when it is one of
 * {@link MCP_CLIENT_METHODS}; `other` for any other name (a client must not be able to create
 * metrics by inventing methods: CloudWatch bills each dimension combination as a metric);
 * `response` for a body of JSON-RPC responses; `unknown` when the body was not read or parsed.
 */
export function methodDimension(body: ParsedBody | undefined): string {
  const first = body?.messages[0];
  if (first === undefined) return "unknown";
  if (first.kind === "response") return "response";
  return first.method !== undefined && MCP_CLIENT_METHODS.has(first.method) ? first.method : "other";
}

/** Tool names the MCP spec allows (2025-11-25, Server > Tools > Tool names: 1-128 of `A-Z a-z 0-9 _ - .`). */
export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The test a `tools/call` tool name must pass to become a metric dimension or a counter: membership
 * in `knownTools` (the names the server offers), or {@link TOOL_NAME} when they are not given. A
 * client names the tool as it likes; only known names are recorded, so it cannot create unbounded
 * metrics or grow a usage item past DynamoDB's 400 KB.
 */
export function knownToolFilter(knownTools: ReadonlySet<string> | undefined): (name: string) => boolean {
  return knownTools === undefined ? (name) => TOOL_NAME.test(name) : (name) => knownTools.has(name);
}

export interface MetricsOptions {
  /** Receives one {@link RequestUsage} per request. */
  readonly sink: MetricsSink;
  /** Names of the tools the server offers (see {@link knownToolFilter}). @default any name matching {@link TOOL_NAME} */
  readonly knownTools?: ReadonlySet<string>;
}

/** The usage of one request as far as the context knows it (the parsed body is read only if a stage read it). */
async function usageOf(ctx: RequestContext, status: number, isKnown: (name: string) => boolean): Promise<RequestUsage> {
  const body = ctx.parsedBody === undefined ? undefined : await ctx.parsedBody.catch(() => undefined);
  const first = body?.messages[0];
  const params = first?.params as { name?: unknown } | undefined;
  const tool = first?.method === "tools/call" && typeof params?.name === "string" && isKnown(params.name) ? params.name : undefined;
  return {
    method: methodDimension(body),
    ...(tool === undefined ? {} : { tool }),
    status,
    durationMs: Date.now() - ctx.receivedAt,
    ...(ctx.tenant === undefined ? {} : { tenantId: ctx.tenant.tenantId }),
    ...(ctx.cacheHit === undefined ? {} : { cacheHit: ctx.cacheHit }),
  };
}

/**
 * The metrics slot: wraps the rest of the pipeline (`await next()`) and records one
 * {@link RequestUsage} once the answer is known. A failure thrown downstream is recorded with its
 * status and re-thrown unchanged; a failing sink is logged and never changes the answer.
 *
 * Requests answered before this stage (401, 403, session 404, DELETE) are not measured here; API
 * Gateway's own metrics count them.
 */
export function metricsStage(options: MetricsOptions): Stage {
  const isKnown = knownToolFilter(options.knownTools);
  return async (ctx, next) => {
    let status = 500;
    try {
      const response = await next();
      status = response.status;
      return response;
    } catch (error) {
      status = error instanceof McpHttpError ? error.status : 500;
      throw error;
    } finally {
      try {
        options.sink.record(await usageOf(ctx, status, isKnown));
      } catch (error) {
        ctx.logger.warn("recording metrics failed", { error });
      }
    }
  };
}
