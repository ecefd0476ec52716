/**
 * Interfaces the core uses for metrics and traces, so it stays free of AWS libraries. The Powertools
 * implementations are in container/src/observability/powertools.ts; tests pass recording fakes.
 */

/** What the metrics stage knows about one MCP request once it has been answered. */
export interface RequestUsage {
  /**
   * MCP method of the (first) message, e.g. `tools/call`: one of the methods a client may send,
   * `other` for a name outside the protocol, `response` for responses, `unknown` when the body was
   * never read (see `methodDimension`).
   */
  readonly method: string;
  /** `params.name` of a `tools/call`. */
  readonly tool?: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** Time since the core received the request, milliseconds. */
  readonly durationMs: number;
  /** The verified tenant, if any (the Powertools sink puts it only in the separate per-tenant document, never in the per-method one). */
  readonly tenantId?: string;
  /** Whether a tool result came from the tool-result cache. */
  readonly cacheHit?: boolean;
}

/** Receives one {@link RequestUsage} per metered request. Must not throw. */
export interface MetricsSink {
  record(usage: RequestUsage): void;
}

/** What a {@link UsageMeter} counts for one POST to the MCP endpoint. */
export interface MeteredRequest {
  /** Idempotency key: the adapter's request id (API Gateway `requestContext.requestId`; a retried invocation of the same event carries the same one). */
  readonly requestId: string;
  /** The verified tenant, or `-` without tenant isolation. */
  readonly tenantId: string;
  /** When the core received the request, epoch milliseconds (selects the usage period). */
  readonly at: number;
  /** JSON-RPC requests in the body (1, or more in a 2025-03-26 batch); notifications and responses are not counted. */
  readonly requests: number;
  /** Name of the tool of every `tools/call` request in the body whose tool the server offers (unknown names are not listed). */
  readonly toolCalls: readonly string[];
}

/** `counted`: applied now; `duplicate`: this request id was counted before, nothing applied. */
export type MeterOutcome = "counted" | "duplicate";

/**
 * Durable usage counters per tenant (on Lambda: the metering table, container/src/metering).
 * Must apply each request id at most once. May reject; the usage stage logs the failure and the
 * MCP answer is unaffected.
 */
export interface UsageMeter {
  record(request: MeteredRequest): Promise<MeterOutcome>;
}

/** An open span of work (on Lambda: an X-Ray subsegment). */
export interface Span {
  /** An indexed, searchable key/value (X-Ray annotation: string, number or boolean). */
  annotate(key: string, value: string | number | boolean): void;
  /** Marks the span failed with `error`. */
  fail(error: unknown): void;
  /** Ends the span. Called exactly once. */
  end(): void;
}

/** Opens spans; `startSpan` returns undefined when tracing is off. */
export interface Tracing {
  startSpan(name: string): Span | undefined;
}
