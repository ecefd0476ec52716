/**
 * The usage slot: durable per-tenant counters (a {@link UsageMeter}; on Lambda: the metering table),
 * one {@link MeteredRequest} per POST that carries JSON-RPC requests. Per-request metrics are the
 * metrics slot (metrics.ts).
 */
import { readParsedBody } from "../body.js";
import type { ParsedBody } from "../context.js";
import type { MeteredRequest, UsageMeter } from "../observability.js";
import type { Stage } from "../pipeline.js";
import { knownToolFilter } from "./metrics.js";
import { NO_TENANT } from "./session.js";

export interface UsageOptions {
  /** Durable per-tenant counters (on Lambda: the metering table). */
  readonly meter: UsageMeter;
  /** Names of the tools the server offers (see `knownToolFilter`, metrics.ts). @default any name matching `TOOL_NAME` (metrics.ts) */
  readonly knownTools?: ReadonlySet<string>;
  /**
   * How long the answer waits for the meter once the MCP call is done, milliseconds. The write runs
   * during the MCP call; on Lambda work left after the answer may never finish (the environment is
   * frozen), so the stage waits, but never longer than this. @default 2000
   */
  readonly meterWaitMs?: number;
}

/** The tool names of `tools/call` requests in `body` that pass `isKnown`. */
function toolCallsOf(body: ParsedBody, isKnown: (name: string) => boolean): string[] {
  const names: string[] = [];
  for (const message of body.messages) {
    if (message.kind !== "request" || message.method !== "tools/call") continue;
    const name = (message.params as { name?: unknown } | undefined)?.name;
    if (typeof name === "string" && isKnown(name)) names.push(name);
  }
  return names;
}

/** Resolves when `work` settles or after `ms`, whichever is first; true when it settled. */
function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The usage slot: wraps the MCP call (`await next()`). For a POST whose body is valid JSON-RPC with
 * at least one request, one {@link MeteredRequest} (tenant, request id, tool names) is recorded. The
 * write starts before the MCP call and runs alongside it (it depends only on the body), and the stage
 * waits for it for at most `meterWaitMs` after the call. A failed or slow write is logged and never
 * changes the answer; a `duplicate` (same request id counted before) is logged at debug level.
 *
 * Requests answered before this stage (401, 403, session 404, DELETE) are not counted.
 */
export function usageStage(options: UsageOptions): Stage {
  const isKnown = knownToolFilter(options.knownTools);
  const waitMs = options.meterWaitMs ?? 2000;
  return async (ctx, next) => {
    let metered: Promise<void> | undefined;
    // One log line per request about the meter: a write still pending at the answer is not logged again when it fails.
    let reported = false;
    if (ctx.request.method.toUpperCase() === "POST") {
      // A body that cannot be read or parsed is not metered; the MCP stage answers it (same error).
      const body = await readParsedBody(ctx).catch(() => undefined);
      const requests = body?.messages.filter((m) => m.kind === "request").length ?? 0;
      if (body !== undefined && requests > 0) {
        const request: MeteredRequest = {
          requestId: ctx.requestId,
          tenantId: ctx.tenant?.tenantId ?? NO_TENANT,
          at: ctx.receivedAt,
          requests,
          toolCalls: toolCallsOf(body, isKnown),
        };
        metered = options.meter.record(request).then(
          (outcome) => {
            if (outcome === "duplicate") ctx.logger.debug("usage already metered for this request id", { request_id: ctx.requestId });
          },
          (error: unknown) => {
            if (!reported)
              ctx.logger.warn("metering write failed; the request was answered but not counted", {
                error,
                tool_calls: request.toolCalls.length,
              });
            reported = true;
          },
        );
      }
    }
    try {
      return await next();
    } finally {
      if (metered !== undefined && !(await settledWithin(metered, waitMs)) && !reported) {
        reported = true;
        ctx.logger.warn("metering write still pending; answering without waiting for it", { wait_ms: waitMs });
      }
    }
  };
}
