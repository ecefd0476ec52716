import { ClientNotificationSchema, ClientRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { readParsedBody } from "../body.js";
import type { ParsedBody, RequestContext } from "../context.js";
import { McpHttpError } from "../errors.js";
import type { MetricsSink, RequestUsage, UsageMeter } from "../observability.js";
import type { Stage } from "../pipeline.js";
import { NO_TENANT } from "./session.js";

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

export interface MeteringOptions {
  /** Per-request metrics (on Lambda: Powertools Metrics, EMF). @default none */
  readonly sink?: MetricsSink;
  /** Durable per-tenant counters (on Lambda: the metering table). @default none */
  readonly meter?: UsageMeter;
  /**
   * Names of the tools the server offers. A `tools/call` names its tool as the client likes; only
   * these names become a metric dimension or a counter, so a client cannot create unbounded metrics
   * or grow a usage item past DynamoDB's 400 KB. @default any name matching {@link TOOL_NAME}
   */
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

/** Resolves when `work` settles or after `ms`, whichever is first; true when it settled. */
function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The metering slot: wraps the MCP call (`await next()`).
 *
 * - `meter` (durable counters): for a POST whose body is valid JSON-RPC with at least one request,
 *   one {@link MeteredRequest} (tenant, request id, tool names) is recorded. The write starts before
 *   the MCP call and runs alongside it (it depends only on the body), and the stage waits for it for
 *   at most `meterWaitMs` after the call. A failed or slow write is logged and never changes the
 *   answer; a `duplicate` (same request id counted before) is logged at debug level.
 * - `sink` (metrics): one {@link RequestUsage} per request once the answer is known. A failure thrown
 *   downstream is recorded with its status and re-thrown unchanged; a failing sink is logged.
 *
 * Requests answered before this stage (401, 403, session 404, DELETE) are neither counted nor
 * measured here; API Gateway's own metrics count them.
 */
export function meteringStage(options: MeteringOptions): Stage {
  const known = options.knownTools;
  const isKnown = known === undefined ? (name: string) => TOOL_NAME.test(name) : (name: string) => known.has(name);
  const waitMs = options.meterWaitMs ?? 2000;
  return async (ctx, next) => {
    let metered: Promise<void> | undefined;
    if (options.meter !== undefined && ctx.request.method.toUpperCase() === "POST") {
      // A body that cannot be read or parsed is not metered; the MCP stage answers it (same error).
      const body = await readParsedBody(ctx).catch(() => undefined);
      const requests = body?.messages.filter((m) => m.kind === "request").length ?? 0;
      if (body !== undefined && requests > 0) {
        const request = { requestId: ctx.requestId, tenantId: ctx.tenant?.tenantId ?? NO_TENANT, at: ctx.receivedAt, requests, toolCalls: toolCallsOf(body, isKnown) };
        metered = options.meter.record(request).then(
          (outcome) => {
            if (outcome === "duplicate") ctx.logger.debug("usage already metered for this request id", { request_id: ctx.requestId });
          },
          (error: unknown) => ctx.logger.warn("metering write failed; the request was answered but not counted", { error, tool_calls: request.toolCalls.length }),
        );
      }
    }
    let status = 500;
    try {
      const response = await next();
      status = response.status;
      return response;
    } catch (error) {
      status = error instanceof McpHttpError ? error.status : 500;
      throw error;
    } finally {
      if (metered !== undefined && !(await settledWithin(metered, waitMs))) {
        ctx.logger.warn("metering write still pending; answering without waiting for it", { wait_ms: waitMs });
      }
      if (options.sink !== undefined) {
        try {
          options.sink.record(await usageOf(ctx, status, isKnown));
        } catch (error) {
          ctx.logger.warn("recording metrics failed", { error });
        }
      }
    }
  };
}
