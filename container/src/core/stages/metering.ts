import type { RequestContext } from "../context.js";
import { McpHttpError } from "../errors.js";
import type { MetricsSink, RequestUsage } from "../observability.js";
import type { Stage } from "../pipeline.js";

/** The usage of one request as far as the context knows it (the parsed body is read only if a stage read it). */
async function usageOf(ctx: RequestContext, status: number): Promise<RequestUsage> {
  const body = ctx.parsedBody === undefined ? undefined : await ctx.parsedBody.catch(() => undefined);
  const first = body?.messages[0];
  const params = first?.params as { name?: unknown } | undefined;
  const tool = first?.method === "tools/call" && typeof params?.name === "string" ? params.name : undefined;
  return {
    method: first?.method ?? (first?.kind === "response" ? "response" : "unknown"),
    ...(tool === undefined ? {} : { tool }),
    status,
    durationMs: Date.now() - ctx.receivedAt,
    requestBytes: body?.bytes ?? 0,
    ...(ctx.tenant === undefined ? {} : { tenantId: ctx.tenant.tenantId }),
    ...(ctx.cacheHit === undefined ? {} : { cacheHit: ctx.cacheHit }),
  };
}

/**
 * The metering slot: wraps the MCP call (`await next()`) and hands one {@link RequestUsage} per request
 * to `sink` (on Lambda, one CloudWatch embedded-metric-format line: Requests, Latency, Errors, with
 * the method and tool as dimensions). A failure thrown downstream is recorded with its status and
 * re-thrown unchanged; a failing sink is logged and never changes the answer.
 */
export function meteringStage(sink: MetricsSink): Stage {
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
        sink.record(await usageOf(ctx, status));
      } catch (error) {
        ctx.logger.warn("recording metrics failed", { error });
      }
    }
  };
}
