/**
 * The tenant router. Lambda cannot run here: the router's Lambda client is a recording stand-in that
 * asserts the exact InvokeCommand and the number of calls. In the last group the stand-in behaves
 * like the Lambda service in front of the real MCP function handler (payload bytes in and out, the
 * Invoke `TenantId` given to the function as `context.tenantId`), so router and function run
 * together.
 */
import { InvokeCommand, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { ConfigError } from "../../container/src/config-error.js";
import { loadConfig } from "../../container/src/config.js";
import { createLambdaHandler, type HttpApiEvent } from "../../container/src/lambda/adapter.js";
import { loadRouterConfig } from "../../container/src/tenant-router/config.js";
import { createRouterHandler, PUBLIC_TENANT_ID, type LambdaInvoker } from "../../container/src/tenant-router/handler.js";
import { MCP_HEADERS, memoryLogger, TENANT_ENV, tenantTokenVerifier, toolCall } from "./support/tenants.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:mcp-prod";

/** A payload 2.0 event as API Gateway builds it, with JWT authorizer claims unless `claims` is null. */
function httpEvent(options: { claims?: Record<string, unknown> | null; method?: string; path?: string; body?: unknown; token?: string } = {}): HttpApiEvent {
  const method = options.method ?? "POST";
  const path = options.path ?? "/mcp";
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const claims = options.claims === undefined ? { tenant_id: "tenant-a", client_id: "client", scope: "mcp/invoke" } : options.claims;
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { ...MCP_HEADERS, host: "abc.execute-api.us-east-1.amazonaws.com", ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }) },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc",
      domainName: "abc.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "t" },
      requestId: "apigw-1",
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: "21/Nov/2026:12:00:00 +0000",
      timeEpoch: 1_795_000_000_000,
      ...(claims === null ? {} : { authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: ["mcp/invoke"] } } }),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  } as unknown as HttpApiEvent;
}

/** A response payload as the SDK hands it out (bytes with `transformToString`). */
const encode = (value: unknown): InvokeCommandOutput["Payload"] => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text }) as unknown as InvokeCommandOutput["Payload"];
};

/** Records every command; answers with `answer(command)`. */
function recordingLambda(answer: (command: InvokeCommand) => Promise<InvokeCommandOutput> | InvokeCommandOutput) {
  const commands: InvokeCommand[] = [];
  const lambda: LambdaInvoker = {
    async send(command) {
      commands.push(command);
      return answer(command);
    },
  };
  return { lambda, commands };
}

const FUNCTION_RESULT = { statusCode: 200, headers: { "content-type": "text/event-stream" }, body: 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n', isBase64Encoded: false };

describe("tenant router", () => {
  it("invokes the isolated function with TenantId from the authorizer's claim and the event as payload, and returns its result", async () => {
    const { lambda, commands } = recordingLambda(() => ({ StatusCode: 200, Payload: encode(FUNCTION_RESULT), $metadata: {} }));
    const router = createRouterHandler({ lambda, functionArn: ARN, logger: memoryLogger().logger });
    const event = httpEvent({ body: toolCall("parse_arn", { arn: "arn:aws:s3:::b" }) });
    const result = await router(event);
    expect(result).toEqual(FUNCTION_RESULT);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(InvokeCommand);
    expect(commands[0]!.input).toEqual({ FunctionName: ARN, TenantId: "tenant-a", Payload: JSON.stringify(event) });
    await router(httpEvent({ claims: { tenant_id: "tenant-b" } }));
    expect(commands.map((c) => c.input.TenantId)).toEqual(["tenant-a", "tenant-b"]);
  });

  it("takes the tenant from the configured claim only; headers and body cannot choose it", async () => {
    const { lambda, commands } = recordingLambda(() => ({ StatusCode: 200, Payload: encode(FUNCTION_RESULT), $metadata: {} }));
    const router = createRouterHandler({ lambda, functionArn: ARN, tenantClaim: "custom:org", logger: memoryLogger().logger });
    const event = httpEvent({ claims: { "custom:org": "org-7", tenant_id: "not-this" }, body: { jsonrpc: "2.0", id: 1, method: "ping", params: { tenant_id: "evil" } } });
    (event.headers as Record<string, string>)["x-tenant-id"] = "evil";
    (event.headers as Record<string, string>)["x-amz-tenant-id"] = "evil";
    await router(event);
    expect(commands.map((c) => c.input.TenantId)).toEqual(["org-7"]);
  });

  it("answers 403 without invoking when the tenant claim is missing or invalid", async () => {
    const { lambda, commands } = recordingLambda(() => ({ StatusCode: 200, Payload: encode(FUNCTION_RESULT), $metadata: {} }));
    const router = createRouterHandler({ lambda, functionArn: ARN, logger: memoryLogger().logger });
    const refused = [
      httpEvent({ claims: null }),
      httpEvent({ claims: { client_id: "c" } }),
      httpEvent({ claims: { tenant_id: "" } }),
      httpEvent({ claims: { tenant_id: "a b" } }),
      httpEvent({ claims: { tenant_id: "x".repeat(129) } }),
      httpEvent({ claims: { tenant_id: ["tenant-a"] } }),
      httpEvent({ claims: { tenant_id: 42 } }),
      httpEvent({ claims: { tenant_id: PUBLIC_TENANT_ID } }),
      httpEvent({ claims: null, method: "DELETE" }),
      httpEvent({ claims: null, method: "POST", path: "/health" }),
    ];
    for (const event of refused) {
      const result = await router(event);
      expect(result.statusCode).toBe(403);
      expect(result.headers).toMatchObject({ "content-type": "application/json" });
      expect(JSON.parse(result.body!)).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Forbidden: the token carries no valid tenant_id claim" }, id: null });
    }
    expect(commands).toHaveLength(0);
  });

  it("sends the unauthenticated public routes to the reserved public tenant", async () => {
    const { lambda, commands } = recordingLambda(() => ({ StatusCode: 200, Payload: encode({ statusCode: 200, body: "{}" }), $metadata: {} }));
    const router = createRouterHandler({ lambda, functionArn: ARN, logger: memoryLogger().logger });
    for (const path of ["/health", "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      expect((await router(httpEvent({ claims: null, method: "GET", path }))).statusCode).toBe(200);
    }
    expect(commands.map((c) => c.input.TenantId)).toEqual([PUBLIC_TENANT_ID, PUBLIC_TENANT_ID, PUBLIC_TENANT_ID]);
  });

  it("answers 502 with a generic JSON-RPC error for a function error or an SDK failure, and logs the cause", async () => {
    const GENERIC = { jsonrpc: "2.0", error: { code: -32603, message: "Bad Gateway: the MCP function failed" }, id: null };
    const cases: Array<[string, () => InvokeCommandOutput | Promise<never>, RegExp]> = [
      ["function error", () => ({ StatusCode: 200, FunctionError: "Unhandled", Payload: encode({ errorType: "Runtime.ExitError", errorMessage: "secret detail: exited" }), $metadata: {} }), /function error Unhandled: Runtime\.ExitError secret detail/],
      ["SDK failure", () => Promise.reject(Object.assign(new Error("connect ECONNRESET"), { name: "ServiceException" })), /ECONNRESET/],
      ["unreadable payload", () => ({ StatusCode: 200, Payload: encode("not json"), $metadata: {} }), /Unexpected token|not valid JSON/],
      ["not a structured result", () => ({ StatusCode: 200, Payload: encode({ hello: 1 }), $metadata: {} }), /not a payload 2\.0 structured result/],
    ];
    for (const [name, answer, logged] of cases) {
      const { logger, lines } = memoryLogger();
      const { lambda, commands } = recordingLambda(answer);
      const result = await createRouterHandler({ lambda, functionArn: ARN, logger })(httpEvent());
      expect(result.statusCode, name).toBe(502);
      expect(JSON.parse(result.body!), name).toEqual(GENERIC);
      expect(result.body).not.toContain("secret");
      expect(commands).toHaveLength(1);
      const error = lines.find((l) => l.level === "ERROR");
      expect(error, name).toMatchObject({ message: "request failed", status: 502, tenant_id: "tenant-a", request_id: "apigw-1" });
      expect(JSON.stringify(error!.error), name).toMatch(logged);
    }
  });

  it("maps Lambda throttling to 429 and an oversized event to 413", async () => {
    const fail = (name: string) => recordingLambda(() => Promise.reject(Object.assign(new Error(name), { name })));
    const throttled = await createRouterHandler({ lambda: fail("TooManyRequestsException").lambda, functionArn: ARN, logger: memoryLogger().logger })(httpEvent());
    expect(throttled).toMatchObject({ statusCode: 429, headers: { "retry-after": "1" } });
    const tooLarge = await createRouterHandler({ lambda: fail("RequestTooLargeException").lambda, functionArn: ARN, logger: memoryLogger().logger })(httpEvent());
    expect(tooLarge.statusCode).toBe(413);
  });

  it("answers 500 to an event that is not HTTP API payload 2.0, without invoking", async () => {
    const { lambda, commands } = recordingLambda(() => ({ StatusCode: 200, $metadata: {} }));
    const result = await createRouterHandler({ lambda, functionArn: ARN, logger: memoryLogger().logger })({ version: "1.0" } as unknown as HttpApiEvent);
    expect(result.statusCode).toBe(500);
    expect(commands).toHaveLength(0);
  });
});

describe("router configuration", () => {
  it("reads MCP_TARGET_FUNCTION_ARN and MCP_TENANT_CLAIM", () => {
    expect(loadRouterConfig({ MCP_TARGET_FUNCTION_ARN: ARN, MCP_SERVER_NAME: "srv", MCP_ENVIRONMENT: "prod" })).toEqual({
      targetFunctionArn: ARN,
      tenantClaim: "tenant_id",
      logLevel: "info",
      serviceName: "srv-router",
      environment: "prod",
    });
    expect(loadRouterConfig({ MCP_TARGET_FUNCTION_ARN: `${ARN}:live`, MCP_TENANT_CLAIM: "custom:org" })).toMatchObject({ targetFunctionArn: `${ARN}:live`, tenantClaim: "custom:org" });
  });

  it("fails with a message naming each wrong variable", () => {
    expect(() => loadRouterConfig({})).toThrow(ConfigError);
    let problems: readonly string[] = [];
    try {
      loadRouterConfig({ MCP_TARGET_FUNCTION_ARN: "mcp-prod", MCP_TENANT_CLAIM: "bad claim", LOG_LEVEL: "loud" });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    {
      expect(problems).toEqual([
        'MCP_TARGET_FUNCTION_ARN="mcp-prod": must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>])',
        'MCP_TENANT_CLAIM="bad claim": must be a claim name',
        'LOG_LEVEL="loud": must be one of "trace", "debug", "info", "warn", "error", "critical", "silent"',
      ]);
    }
  });
});

describe("router in front of the real MCP function (Lambda service stand-in)", () => {
  /** Behaves like Lambda's Invoke: payload bytes in, the handler run with `context.tenantId`, result bytes out. */
  const lambdaService = (functionHandler: ReturnType<typeof createLambdaHandler>) =>
    recordingLambda(async (command) => {
      const payload = command.input.Payload;
      const event = JSON.parse(typeof payload === "string" ? payload : new TextDecoder().decode(payload as Uint8Array)) as HttpApiEvent;
      const result = await functionHandler(event, { awsRequestId: "fn-1", tenantId: command.input.TenantId! });
      return { StatusCode: 200, Payload: encode(result), $metadata: {} };
    });
  const mcpFunction = async () => createLambdaHandler(await createApp(loadConfig(TENANT_ENV), { logger: memoryLogger().logger, verifier: tenantTokenVerifier }), memoryLogger().logger);

  it("serves a tool call end to end in the token's tenant environment", async () => {
    const { lambda, commands } = lambdaService(await mcpFunction());
    const router = createRouterHandler({ lambda, functionArn: ARN, logger: memoryLogger().logger });
    const result = await router(httpEvent({ token: "token-tenant-a", body: toolCall("cidr_info", { cidr: "10.0.0.0/28" }) }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('"total_addresses":16');
    expect(commands.map((c) => c.input.TenantId)).toEqual(["tenant-a"]);
    const health = await router(httpEvent({ claims: null, method: "GET", path: "/health" }));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body!)).toMatchObject({ status: "ok" });
  });

  it("the function refuses a token of another tenant than its execution environment's", async () => {
    // As if the authorizer's claim and the token's claim disagreed (or an invoke were misrouted).
    const { lambda } = lambdaService(await mcpFunction());
    const router = createRouterHandler({ lambda, functionArn: ARN, logger: memoryLogger().logger });
    const result = await router(httpEvent({ claims: { tenant_id: "tenant-b" }, token: "token-tenant-a", body: toolCall("cidr_info", { cidr: "10.0.0.0/28" }) }));
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!)).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Forbidden: the token's tenant_id does not match this function's tenant" }, id: null });
  });
});
