/**
 * Interfaces the core uses for metrics and traces, so it stays free of AWS libraries. The Powertools
 * implementations are in container/src/observability/powertools.ts; tests pass recording fakes.
 */

/** What the metering stage knows about one MCP request once it has been answered. */
export interface RequestUsage {
  /** MCP method of the (first) message, e.g. `tools/call`; `unknown` when the body was never read. */
  readonly method: string;
  /** `params.name` of a `tools/call`. */
  readonly tool?: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** Time since the core received the request, milliseconds. */
  readonly durationMs: number;
  /** Request body size, bytes (0 when not read). */
  readonly requestBytes: number;
  /** The verified tenant, if any (recorded as metadata, never as a dimension: unbounded cardinality). */
  readonly tenantId?: string;
  /** Whether a tool result came from the tool-result cache. */
  readonly cacheHit?: boolean;
}

/** Receives one {@link RequestUsage} per metered request. Must not throw. */
export interface MetricsSink {
  record(usage: RequestUsage): void;
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
