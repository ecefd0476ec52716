import type { Tracing } from "../observability.js";
import type { Stage } from "../pipeline.js";

/**
 * The tracing slot (right after access-log, so it sees every answer, errors included, as a status):
 * one span `## <METHOD> <path>` per request, annotated with `http_method`, `path`, `status` and, once
 * known, `mcp_method`, `tool` and `tenant_id` (X-Ray annotations are indexed, so traces can be
 * filtered by tenant or tool). 5xx answers mark the span failed. On Lambda the span is an X-Ray
 * subsegment of the function's facade segment (Powertools Tracer).
 */
export function tracingStage(tracing: Tracing): Stage {
  return async (ctx, next) => {
    const span = tracing.startSpan(`## ${ctx.request.method.toUpperCase()} ${ctx.url.pathname}`);
    if (span === undefined) return next();
    try {
      const response = await next();
      span.annotate("http_method", ctx.request.method.toUpperCase());
      span.annotate("path", ctx.url.pathname);
      span.annotate("status", response.status);
      const body = ctx.parsedBody === undefined ? undefined : await ctx.parsedBody.catch(() => undefined);
      const first = body?.messages[0];
      if (first?.method !== undefined) span.annotate("mcp_method", first.method);
      const name = (first?.params as { name?: unknown } | undefined)?.name;
      if (first?.method === "tools/call" && typeof name === "string") span.annotate("tool", name);
      if (ctx.tenant !== undefined) span.annotate("tenant_id", ctx.tenant.tenantId);
      if (response.status >= 500) span.fail(new Error(`HTTP ${response.status}`));
      return response;
    } catch (error) {
      span.fail(error);
      throw error;
    } finally {
      span.end();
    }
  };
}
