/**
 * Powertools Logger / Metrics / Tracer behind the core's interfaces, and the tracing and metering
 * stages. Logger and Metrics are real (their stdout is captured). X-Ray cannot run here (no daemon,
 * no Lambda facade segment), so the tracer is a recording fake and the test asserts its exact calls.
 */
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { silentLogger } from "../../container/src/core/logger.js";
import type { RequestUsage } from "../../container/src/core/observability.js";
import {
  createPowertoolsLogger,
  createPowertoolsMetricsSink,
  createPowertoolsTracing,
  type TracerLike,
} from "../../container/src/observability/powertools.js";

let captured: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);
const originalErrorWrite = process.stderr.write.bind(process.stderr);
beforeEach(() => {
  captured = [];
  // Powertools writes INFO and below to stdout, WARN and above to stderr.
  process.stdout.write = ((chunk: string | Uint8Array) => (captured.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (captured.push(String(chunk)), true)) as typeof process.stderr.write;
});
afterEach(() => {
  process.stdout.write = originalWrite;
  process.stderr.write = originalErrorWrite;
});
const lines = () =>
  captured
    .join("")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("Powertools logger adapter", () => {
  it("writes Powertools JSON lines with bound child attributes and filters by level", () => {
    const logger = createPowertoolsLogger({ level: "info", serviceName: "svc", persistentKeys: { environment: "prod" } });
    logger.debug("hidden");
    logger.child({ request_id: "r1" }).child({ tenant_id: "t1" }).info("shown", { n: 1 });
    logger.error("failed", { error: new Error("boom") });
    const [shown, failed] = lines();
    expect(lines()).toHaveLength(2);
    expect(shown).toMatchObject({
      level: "INFO",
      message: "shown",
      service: "svc",
      environment: "prod",
      request_id: "r1",
      tenant_id: "t1",
      n: 1,
    });
    expect(typeof shown!.timestamp).toBe("string");
    expect(failed).toMatchObject({ level: "ERROR", error: { name: "Error", message: "boom" } });
  });
});

describe("Powertools metrics sink", () => {
  it("publishes one lean EMF document per request with method/tool dimensions, plus one with the TenantId dimension", () => {
    const sink = createPowertoolsMetricsSink({ namespace: "Ns", serviceName: "svc", environment: "prod" });
    sink.record({ method: "tools/call", tool: "cidr_info", status: 200, durationMs: 12, tenantId: "t1", cacheHit: true });
    sink.record({ method: "tools/list", status: 503, durationMs: 3 });
    sink.record({ method: "tools/call", tool: "parse_arn", status: 400, durationMs: 1, tenantId: "t2" });
    const [first, second, third, fourth, fifth] = lines();
    expect(lines()).toHaveLength(5);
    expect(first).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: "Ns",
            Dimensions: [["service", "environment", "method", "tool"]],
            Metrics: [
              { Name: "Requests", Unit: "Count" },
              { Name: "Latency", Unit: "Milliseconds" },
              { Name: "ToolCacheHits", Unit: "Count" },
            ],
          },
        ],
      },
      service: "svc",
      environment: "prod",
      method: "tools/call",
      tool: "cidr_info",
      Requests: 1,
      Latency: 12,
      ToolCacheHits: 1,
    });
    // Then the per-tenant document of the same request: TenantId dimension; no error, no error metric.
    expect(second).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: "Ns",
            Dimensions: [["service", "environment", "TenantId"]],
            Metrics: [
              { Name: "Requests", Unit: "Count" },
              { Name: "ToolCalls", Unit: "Count" },
            ],
          },
        ],
      },
      service: "svc",
      environment: "prod",
      TenantId: "t1",
      Requests: 1,
      ToolCalls: 1,
    });
    // Dimensions of one request do not leak into the next; no tenant, no tenant document; a 5xx adds ServerErrors only.
    expect(third).toMatchObject({ method: "tools/list", Requests: 1, ServerErrors: 1 });
    expect(third).not.toHaveProperty("ClientErrors");
    expect(third).not.toHaveProperty("TenantId");
    expect(third).not.toHaveProperty("tool");
    expect((third!._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][] }> }).CloudWatchMetrics[0]!.Dimensions).toEqual([
      ["service", "environment", "method"],
    ]);
    // A 4xx adds ClientErrors to both documents, and the tenant's does not keep t1's dimension.
    expect(fourth).toMatchObject({ method: "tools/call", tool: "parse_arn", ClientErrors: 1 });
    expect(fourth).not.toHaveProperty("ServerErrors");
    expect(fifth).toMatchObject({ TenantId: "t2", Requests: 1, ToolCalls: 1, ClientErrors: 1 });
    expect((fifth!._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][] }> }).CloudWatchMetrics[0]!.Dimensions).toEqual([
      ["service", "environment", "TenantId"],
    ]);
  });

  it("works with a caller-supplied Metrics instance", () => {
    const metrics = new Metrics({ namespace: "Other", serviceName: "svc2" });
    createPowertoolsMetricsSink({ namespace: "ignored", serviceName: "ignored", environment: "e", metrics }).record({
      method: "ping",
      status: 200,
      durationMs: 1,
    });
    expect(lines()[0]).toMatchObject({ service: "svc2", method: "ping" });
  });
});

/** A recording stand-in for Powertools Tracer: there is no X-Ray daemon or Lambda facade segment here. */
function fakeTracer(enabled = true) {
  const calls: unknown[][] = [];
  const facade = {
    name: "facade",
    addNewSubsegment: (name: string) => {
      calls.push(["addNewSubsegment", name]);
      return { name, close: () => calls.push(["close", name]) };
    },
  };
  const tracer = {
    isTracingEnabled: () => enabled,
    getSegment: () => (calls.push(["getSegment"]), facade),
    setSegment: (segment: { name: string }) => void calls.push(["setSegment", segment.name]),
    putAnnotation: (key: string, value: unknown) => void calls.push(["putAnnotation", key, value]),
    addErrorAsMetadata: (error: Error) => void calls.push(["addErrorAsMetadata", error.message]),
  } as unknown as TracerLike;
  return { tracer, calls };
}

describe("Powertools tracing adapter and the tracing stage", () => {
  const MCP_HEADERS = { accept: "application/json, text/event-stream", "content-type": "application/json" };

  it("opens one subsegment per request, annotates it, closes it and restores the facade segment", async () => {
    const { tracer, calls } = fakeTracer();
    const handler = await createApp(loadConfig({}), { logger: silentLogger, tracing: createPowertoolsTracing(tracer) });
    const response = await handler(
      new Request("https://x/mcp", {
        method: "POST",
        headers: MCP_HEADERS,
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/28" } },
        }),
      }),
    );
    expect(response.status).toBe(200);
    expect(calls).toEqual([
      ["getSegment"],
      ["addNewSubsegment", "## POST /mcp"],
      ["setSegment", "## POST /mcp"],
      ["putAnnotation", "http_method", "POST"],
      ["putAnnotation", "path", "/mcp"],
      ["putAnnotation", "status", 200],
      ["putAnnotation", "mcp_method", "tools/call"],
      ["putAnnotation", "tool", "cidr_info"],
      ["close", "## POST /mcp"],
      ["setSegment", "facade"],
    ]);
  });

  it("marks a 5xx answer as an error", async () => {
    const { tracer, calls } = fakeTracer();
    const handler = await createApp(loadConfig({}), {
      logger: silentLogger,
      tracing: createPowertoolsTracing(tracer),
      stages: {
        usage: async () => {
          throw new Error("boom");
        },
      },
    });
    const response = await handler(new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: "{}" }));
    expect(response.status).toBe(500);
    expect(calls).toContainEqual(["putAnnotation", "status", 500]);
    expect(calls).toContainEqual(["addErrorAsMetadata", "HTTP 500"]);
    expect(calls.at(-1)).toEqual(["setSegment", "facade"]);
  });

  it("does nothing when tracing is disabled (the real Tracer outside Lambda)", async () => {
    const real = new Tracer({ serviceName: "svc" });
    expect(real.isTracingEnabled()).toBe(false);
    expect(createPowertoolsTracing(real).startSpan("x")).toBeUndefined();
    const { tracer, calls } = fakeTracer(false);
    expect(createPowertoolsTracing(tracer).startSpan("x")).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe("metering stage", () => {
  it("records method, status and duration; a tenant-free request has no tenant", async () => {
    const usages: RequestUsage[] = [];
    const handler = await createApp(loadConfig({ MCP_SESSION_STORE: "memory" }), {
      logger: silentLogger,
      metrics: { record: (u) => usages.push(u) },
    });
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    await handler(
      new Request("https://x/mcp", {
        method: "POST",
        headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
        body,
      }),
    );
    expect(usages).toEqual([{ method: "initialize", status: 200, durationMs: expect.any(Number) }]);
  });

  it("records a method outside the protocol as `other`, and a body of responses as `response` (no client-made dimensions)", async () => {
    const usages: RequestUsage[] = [];
    const handler = await createApp(loadConfig({}), { logger: silentLogger, metrics: { record: (u) => usages.push(u) } });
    const post = (message: unknown) =>
      handler(
        new Request("https://x/mcp", {
          method: "POST",
          headers: {
            accept: "application/json, text/event-stream",
            "content-type": "application/json",
            "mcp-protocol-version": "2025-06-18",
          },
          body: JSON.stringify(message),
        }),
      );
    expect((await post({ jsonrpc: "2.0", id: 1, method: "made/up-1" })).status).toBe(200);
    expect((await post({ jsonrpc: "2.0", method: "notifications/made-up" })).status).toBe(202);
    expect((await post({ jsonrpc: "2.0", id: 9, result: {} })).status).toBe(202);
    expect((await post({ jsonrpc: "2.0", method: "notifications/initialized" })).status).toBe(202);
    expect(usages.map((u) => u.method)).toEqual(["other", "other", "response", "notifications/initialized"]);
  });

  it("a failing sink never changes the answer", async () => {
    const handler = await createApp(loadConfig({}), {
      logger: silentLogger,
      metrics: {
        record: () => {
          throw new Error("sink down");
        },
      },
    });
    const response = await handler(
      new Request("https://x/mcp", {
        method: "POST",
        headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      }),
    );
    expect(response.status).toBe(200);
  });
});
