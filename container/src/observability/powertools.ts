/**
 * Powertools for AWS Lambda (TypeScript) behind the core's small interfaces: `Logger`, `MetricsSink`,
 * `Tracing`. Source: Powertools for AWS Lambda (TypeScript) docs, core utilities Logger, Metrics
 * (CloudWatch embedded metric format, EMF) and Tracer (AWS X-Ray).
 */
import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { LogAttributes, Logger, LogLevel } from "../core/logger.js";
import type { MetricsSink, Span, Tracing } from "../core/observability.js";

export interface PowertoolsLoggerOptions {
  readonly level: LogLevel;
  readonly serviceName: string;
  /** Persistent keys on every line, e.g. `{ environment: "prod" }`. */
  readonly persistentKeys?: LogAttributes;
}

/**
 * The root logger of a function or server, from its configuration: Powertools Logger at
 * `logLevel`, service `serviceName`, `environment` on every line. One place for all entries
 * (MCP function, tenant router, HTTP server, local sign-in server).
 */
export function createRootLogger(config: {
  readonly logLevel: PowertoolsLoggerOptions["level"];
  readonly serviceName: string;
  readonly environment: string;
}): Logger {
  return createPowertoolsLogger({
    level: config.logLevel,
    serviceName: config.serviceName,
    persistentKeys: { environment: config.environment },
  });
}

/**
 * The core `Logger` backed by a Powertools `Logger`: one JSON object per line on stdout with
 * `level`, `message`, `timestamp`, `service`, plus (on Lambda) `cold_start`, `function_name`,
 * `function_request_id`, `xray_trace_id`. `child(attrs)` binds attributes without creating a new
 * Powertools logger per request (cheap on the hot path).
 */
export function createPowertoolsLogger(options: PowertoolsLoggerOptions): Logger {
  const root = new PowertoolsLogger({
    serviceName: options.serviceName,
    logLevel: options.level.toUpperCase() as "INFO",
    ...(options.persistentKeys === undefined ? {} : { persistentKeys: { ...options.persistentKeys } }),
  });
  const make = (bound: LogAttributes): Logger => {
    const extra = (attributes?: LogAttributes) => ({ ...bound, ...attributes });
    return {
      debug: (message, attributes) => root.debug(message, extra(attributes)),
      info: (message, attributes) => root.info(message, extra(attributes)),
      warn: (message, attributes) => root.warn(message, extra(attributes)),
      error: (message, attributes) => root.error(message, extra(attributes)),
      child: (attributes) => make({ ...bound, ...attributes }),
    };
  };
  return make({});
}

export interface PowertoolsMetricsOptions {
  /** CloudWatch namespace. */
  readonly namespace: string;
  readonly serviceName: string;
  /** Added as the `environment` dimension. */
  readonly environment: string;
  /** A Metrics instance to use instead of a new one (tests). */
  readonly metrics?: Metrics;
  /** The Metrics instance of the per-tenant document (tests). @default a new one like `metrics` */
  readonly tenantMetrics?: Metrics;
}

/**
 * A `MetricsSink` that publishes, per request, one EMF document (Powertools `Metrics`) in namespace
 * `namespace` with dimensions `service`, `environment`, `method` and, for `tools/call`, `tool`:
 *
 * | metric         | unit         | value                                     | present          |
 * |----------------|--------------|-------------------------------------------|------------------|
 * | Requests       | Count        | 1                                         | always           |
 * | Latency        | Milliseconds | time in the core                          | always           |
 * | ClientErrors   | Count        | 1                                         | status 400-499   |
 * | ServerErrors   | Count        | 1                                         | status 500-599   |
 * | ToolCacheHits  | Count        | 1 hit / 0 miss                            | cache consulted  |
 *
 * Error metrics appear only on an error, so their `Sum` is the error count and a period without
 * errors has no data (alarm on them with `treat_missing_data = notBreaching`); the error rate is
 * `ServerErrors / Requests` (metric math, missing = 0).
 *
 * When the request has a tenant, a second document carries the `TenantId` dimension (with `service`,
 * `environment`): `Requests` (1), `ToolCalls` (1, for a `tools/call` of an offered tool), and the two
 * error metrics on an error. Each tenant adds up to these 4 custom metrics (CloudWatch bills per
 * metric), so the per-method document does not carry the tenant. Per-request detail (status, sizes,
 * tenant, session) is in the access log line, not here.
 *
 * Every Powertools call reads the environment and walks its stores (about 1-2 us each here), and
 * this runs on every request, so the documents hold only what is listed above.
 * Source: Powertools for AWS Lambda (TypeScript), Metrics; CloudWatch "Embedded metric format specification".
 */
export function createPowertoolsMetricsSink(options: PowertoolsMetricsOptions): MetricsSink {
  const make = () =>
    new Metrics({
      namespace: options.namespace,
      serviceName: options.serviceName,
      defaultDimensions: { environment: options.environment },
    });
  const metrics = options.metrics ?? make();
  const tenantMetrics = options.tenantMetrics ?? make();
  return {
    record(usage) {
      const error = usage.status >= 500 ? "ServerErrors" : usage.status >= 400 ? "ClientErrors" : undefined;
      metrics.addDimensions(usage.tool === undefined ? { method: usage.method } : { method: usage.method, tool: usage.tool });
      metrics.addMetric("Requests", MetricUnit.Count, 1);
      metrics.addMetric("Latency", MetricUnit.Milliseconds, usage.durationMs);
      if (error !== undefined) metrics.addMetric(error, MetricUnit.Count, 1);
      if (usage.cacheHit !== undefined) metrics.addMetric("ToolCacheHits", MetricUnit.Count, usage.cacheHit ? 1 : 0);
      metrics.publishStoredMetrics();
      if (usage.tenantId !== undefined) {
        tenantMetrics.addDimensions({ TenantId: usage.tenantId });
        tenantMetrics.addMetric("Requests", MetricUnit.Count, 1);
        if (usage.tool !== undefined) tenantMetrics.addMetric("ToolCalls", MetricUnit.Count, 1);
        if (error !== undefined) tenantMetrics.addMetric(error, MetricUnit.Count, 1);
        tenantMetrics.publishStoredMetrics();
      }
    },
  };
}

/** The part of Powertools `Tracer` the adapter uses (a recording fake implements it in tests). */
export type TracerLike = Pick<Tracer, "isTracingEnabled" | "getSegment" | "setSegment" | "putAnnotation" | "addErrorAsMetadata">;

/**
 * `Tracing` on Powertools `Tracer`: each span is a subsegment of the current (facade) segment, made
 * the active segment while the request runs (so AWS SDK calls captured with `captureAWSv3Client`
 * nest under it), then closed and the parent restored. Tracing is off (no spans) when the tracer
 * is disabled (outside Lambda, or `POWERTOOLS_TRACE_ENABLED=false`) or there is no segment.
 */
export function createPowertoolsTracing(tracer: TracerLike): Tracing {
  return {
    startSpan(name): Span | undefined {
      if (!tracer.isTracingEnabled()) return undefined;
      const parent = tracer.getSegment();
      if (parent === undefined) return undefined;
      const subsegment = parent.addNewSubsegment(name);
      tracer.setSegment(subsegment);
      return {
        annotate: (key, value) => tracer.putAnnotation(key, value),
        fail: (error) => tracer.addErrorAsMetadata(error instanceof Error ? error : new Error(String(error))),
        end: () => {
          subsegment.close();
          tracer.setSegment(parent);
        },
      };
    },
  };
}
