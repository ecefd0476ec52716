import { z } from "zod";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../container/src/config.js";
import {
  buildPipeline,
  createJsonLogger,
  createMcpHandler,
  createRequestContext,
  defineTool,
  errorBoundaryStage,
  McpHttpError,
  routeStage,
  runPipeline,
  silentLogger,
  toErrorResponse,
  type Logger,
  type NamedStage,
  type RequestContext,
} from "../../container/src/core/index.js";

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** A logger that keeps every line as a parsed object. */
function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

function ctxFor(url = "https://example.com/mcp", init: RequestInit = {}, logger: Logger = silentLogger): RequestContext {
  return createRequestContext(new Request(url, init), {}, logger);
}

const ok = async () => new Response("ok");

describe("pipeline", () => {
  it("runs stages in array order, onion-style", async () => {
    const order: string[] = [];
    const stage = (name: string): NamedStage => ({
      name,
      run: async (_ctx, next) => {
        order.push(`${name}:in`);
        const response = await next();
        order.push(`${name}:out`);
        return response;
      },
    });
    const terminal: NamedStage = { name: "end", run: async () => (order.push("end"), new Response("done")) };
    const response = await runPipeline([stage("a"), stage("b"), terminal], ctxFor());
    expect(await response.text()).toBe("done");
    expect(order).toEqual(["a:in", "b:in", "end", "b:out", "a:out"]);
  });

  it("rejects with 404 when the last stage calls next()", async () => {
    await expect(runPipeline([{ name: "pass", run: (_ctx, next) => next() }], ctxFor())).rejects.toMatchObject({ status: 404 });
  });

  it("rejects when a stage calls next() twice", async () => {
    const twice: NamedStage = { name: "twice", run: async (_ctx, next) => (await next(), next()) };
    await expect(runPipeline([twice, { name: "end", run: ok }], ctxFor())).rejects.toThrow(/more than once/);
  });

  it("puts slot stages at their fixed positions", () => {
    const noop = async () => new Response();
    const names = buildPipeline({
      serverName: "s",
      serverVersion: "1",
      tools: [],
      stages: { usage: noop, metrics: noop, session: noop, origin: noop, tenant: noop, authentication: noop },
    }).map((stage) => stage.name);
    expect(names).toEqual([
      "access-log",
      "error-boundary",
      "origin",
      "route",
      "authentication",
      "tenant",
      "session",
      "metrics",
      "usage",
      "mcp",
    ]);
    expect(buildPipeline({ serverName: "s", serverVersion: "1", tools: [], stages: { tracing: noop } }).map((stage) => stage.name)).toEqual(
      ["access-log", "tracing", "error-boundary", "route", "mcp"],
    );
    expect(buildPipeline({ serverName: "s", serverVersion: "1", tools: [] }).map((stage) => stage.name)).toEqual([
      "access-log",
      "error-boundary",
      "route",
      "mcp",
    ]);
    expect(() => buildPipeline({ serverName: "s", serverVersion: "1", tools: [], path: "mcp" })).toThrow(/must start with "\/"/);
  });
});

describe("route stage", () => {
  const route = routeStage({ path: "/mcp", allowedMethods: ["POST"] });

  it("passes POST on the MCP path to the next stage", async () => {
    expect(await (await route(ctxFor("https://x/mcp", { method: "POST", headers: MCP_HEADERS }), ok)).text()).toBe("ok");
  });

  it("throws 404 for other paths (including a trailing slash)", async () => {
    await expect(route(ctxFor("https://x/mcp/", { method: "POST" }), ok)).rejects.toMatchObject({ status: 404 });
    await expect(route(ctxFor("https://x/", { method: "POST" }), ok)).rejects.toMatchObject({ status: 404 });
  });

  it("throws 405 with Allow for other methods", async () => {
    for (const method of ["GET", "DELETE", "PUT", "OPTIONS"]) {
      await expect(route(ctxFor("https://x/mcp", { method }), ok)).rejects.toMatchObject({ status: 405, headers: { Allow: "POST" } });
    }
  });
});

describe("errors", () => {
  it("maps McpHttpError to its status, headers and JSON-RPC body", async () => {
    const response = toErrorResponse(
      new McpHttpError(401, -32000, "Unauthorized", {
        headers: { "WWW-Authenticate": 'Bearer resource_metadata="https://x/.well-known"' },
      }),
      silentLogger,
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("resource_metadata");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Unauthorized" }, id: null });
  });

  it("maps unknown exceptions to a generic 500 and logs the detail", async () => {
    const { logger, lines } = memoryLogger();
    const response = toErrorResponse(new Error("database password is hunter2"), logger);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null });
    expect(text).not.toContain("hunter2");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "ERROR", status: 500, error: { message: "database password is hunter2" } });
    expect(String((lines[0]!.error as { stack?: string }).stack)).toContain("Error: database password");
  });

  it("does not log 4xx errors as errors", () => {
    const { logger, lines } = memoryLogger();
    toErrorResponse(McpHttpError.notFound(), logger);
    expect(lines).toEqual([]);
  });

  it("rejects non-error statuses", () => {
    expect(() => new McpHttpError(200, -32000, "no")).toThrow(RangeError);
  });

  it("the error boundary stage maps a throwing stage alone", async () => {
    const response = await errorBoundaryStage()(ctxFor(), async () => {
      throw McpHttpError.methodNotAllowed(["POST"]);
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("createMcpHandler", () => {
  /** A tool that sends a progress notification before its result. */
  const slowTool = defineTool({
    name: "count",
    config: { description: "counts", inputSchema: { n: z.number() } },
    handler: async ({ n }, _ctx, extra) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined) {
        await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress: 1, total: 2 } });
      }
      return { content: [{ type: "text", text: String(n + 1) }] };
    },
  });
  const call = {
    jsonrpc: "2.0",
    id: 3,
    method: "tools/call",
    params: { name: "count", arguments: { n: 41 }, _meta: { progressToken: "p1" } },
  };
  const request = () => new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(call) });

  it("sse mode buffers the stream and keeps notifications sent during the request", async () => {
    const handler = createMcpHandler({ serverName: "t", serverVersion: "1", tools: [slowTool], logger: silentLogger });
    const response = await handler(request());
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("connection")).toBeNull();
    const events = (await response.text())
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)));
    expect(events.map((event) => event.method ?? "result")).toEqual(["notifications/progress", "result"]);
    expect(events[1].result.content[0].text).toBe("42");
  });

  it("json mode returns only the response (the SDK drops in-request notifications)", async () => {
    const handler = createMcpHandler({
      serverName: "t",
      serverVersion: "1",
      tools: [slowTool],
      responseMode: "json",
      logger: silentLogger,
    });
    const response = await handler(request());
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toMatchObject({ id: 3, result: { content: [{ text: "42" }] } });
  });

  it("uses the invocation's request id and logs one access line per request", async () => {
    const { logger, lines } = memoryLogger();
    const handler = createMcpHandler({ serverName: "t", serverVersion: "1", tools: [], logger });
    const response = await handler(new Request("https://x/elsewhere"), {
      requestId: "req-123",
      logAttributes: { function_request_id: "f-1" },
    });
    expect(response.status).toBe(404);
    expect(lines).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: "request completed",
        request_id: "req-123",
        function_request_id: "f-1",
        status: 404,
        path: "/elsewhere",
      }),
    ]);
  });

  it("answers 500 with a generic body when a slot stage throws", async () => {
    const { logger, lines } = memoryLogger();
    const handler = createMcpHandler({
      serverName: "t",
      serverVersion: "1",
      tools: [],
      logger,
      stages: {
        tenant: async () => {
          throw new TypeError("cannot read tenant of undefined");
        },
      },
    });
    const response = await handler(new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: "{}" }));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("tenant");
    expect(lines.find((line) => line.level === "ERROR")).toMatchObject({ error: { name: "TypeError" } });
  });

  it("lets a stage short-circuit with an McpHttpError before MCP runs", async () => {
    let mcpReached = false;
    const handler = createMcpHandler({
      serverName: "t",
      serverVersion: "1",
      tools: [],
      extensions: [() => void (mcpReached = true)],
      logger: silentLogger,
      stages: { origin: async () => Promise.reject(new McpHttpError(403, -32000, "Forbidden: origin not allowed")) },
    });
    const response = await handler(
      new Request("https://x/mcp", { method: "POST", headers: { ...MCP_HEADERS, origin: "https://evil.example" }, body: "{}" }),
    );
    expect(response.status).toBe(403);
    expect(mcpReached).toBe(false);
  });
});

describe("loadConfig", () => {
  it("applies defaults", () => {
    expect(loadConfig({})).toEqual({
      serverName: "mcp-server-aws",
      serverVersion: "0.1.0",
      environment: "dev",
      path: "/mcp",
      responseMode: "sse",
      logLevel: "info",
      port: 3000,
      host: "127.0.0.1",
      maxBodyBytes: 1048576,
      allowedOrigins: [],
      tenantIsolation: false,
      tenantClaim: "tenant_id",
      sessionStore: "none",
      sessionTtlSeconds: 3600,
      toolCacheTtlSeconds: 300,
      conformanceFixtures: false,
      serviceName: "mcp-server-aws",
      metricsNamespace: "McpServer",
    });
  });

  it("reads and normalizes values; empty strings count as unset", () => {
    expect(
      loadConfig({ MCP_SERVER_NAME: "tools", MCP_RESPONSE_MODE: "json", LOG_LEVEL: "DEBUG", PORT: "0", HOST: "0.0.0.0", MCP_PATH: "" }),
    ).toMatchObject({ serverName: "tools", responseMode: "json", logLevel: "debug", port: 0, host: "0.0.0.0", path: "/mcp" });
  });

  it("names each invalid variable, its value and the allowed values", () => {
    let error: unknown;
    try {
      loadConfig({ MCP_RESPONSE_MODE: "xml", PORT: "70000", LOG_LEVEL: "loud", MCP_PATH: "mcp" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'MCP_RESPONSE_MODE="xml": must be one of "sse", "json"',
        'PORT="70000": must be an integer 0-65535',
        expect.stringMatching(/^LOG_LEVEL="loud": must be one of "trace", "debug", "info"/),
        expect.stringMatching(/^MCP_PATH="mcp": must be a path starting with "\/"/),
      ]),
    );
    expect((error as ConfigError).message).toContain("MCP_RESPONSE_MODE");
  });
});

describe("json logger", () => {
  it("filters by level and binds child attributes", () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: "warn", service: "svc", write: (line) => lines.push(line), now: () => new Date(0) });
    logger.info("hidden");
    logger.child({ request_id: "r1" }).warn("shown", { n: 1 });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: "WARN", message: "shown", timestamp: "1970-01-01T00:00:00.000Z", service: "svc", request_id: "r1", n: 1 },
    ]);
  });
});

describe("lazyAjvValidator", () => {
  it("validates as the SDK's Ajv validator does, building it on first use", async () => {
    const { lazyAjvValidator } = await import("../../container/src/core/server.js");
    const validate = lazyAjvValidator().getValidator<{ email: string }>({
      type: "object",
      properties: { email: { type: "string", format: "email" } },
      required: ["email"],
    });
    expect(validate({ email: "a@example.com" })).toMatchObject({ valid: true, data: { email: "a@example.com" } });
    const bad = validate({ email: "not an email" });
    expect(bad.valid).toBe(false);
    expect(bad.errorMessage).toMatch(/email/);
  });
});
