/**
 * The tenant router. It verifies tokens with the MCP function's own verifier (createJwtVerifier),
 * here over a locally generated RS256 key: real signatures, real claim checks. Lambda cannot run
 * here: the router's Lambda client is a recording stand-in that asserts the exact InvokeCommand and
 * the number of calls. In the last group the stand-in behaves like the Lambda service in front of
 * the real MCP function handler (payload bytes in and out, the Invoke `TenantId` given to the
 * function as `context.tenantId`), so router and function run together.
 */
import { InvokeCommand, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createJwtVerifier } from "../../container/src/core/auth/jwt.js";
import { createApp } from "../../container/src/app.js";
import { ConfigError } from "../../container/src/config-error.js";
import { loadConfig } from "../../container/src/config.js";
import { createLambdaHandler, type HttpApiEvent } from "../../container/src/lambda/adapter.js";
import { loadRouterConfig } from "../../container/src/tenant-router/config.js";
import { createRouterHandler, type LambdaInvoker, type RouterOptions } from "../../container/src/tenant-router/handler.js";
import { MCP_HEADERS, memoryLogger, TENANT_ENV, tenantTokenVerifier, toolCall } from "./support/tenants.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:mcp-prod";

const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool";
const CLIENT = "client";

/**
 * A payload 2.0 event as API Gateway builds it without an authorizer (the router verifies the token);
 * `claims` adds authorizer claims, which the router must ignore.
 */
function httpEvent(
  options: {
    claims?: Record<string, unknown> | null;
    method?: string;
    path?: string;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): HttpApiEvent {
  const method = options.method ?? "POST";
  const path = options.path ?? "/mcp";
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const claims = options.claims ?? null;
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: {
      ...MCP_HEADERS,
      host: "abc.execute-api.us-east-1.amazonaws.com",
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
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
const encode = (value: unknown): NonNullable<InvokeCommandOutput["Payload"]> => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text }) as unknown as NonNullable<
    InvokeCommandOutput["Payload"]
  >;
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

const FUNCTION_RESULT = {
  statusCode: 200,
  headers: { "content-type": "text/event-stream" },
  body: 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n',
  isBase64Encoded: false,
};

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let verify: RouterOptions["verify"];

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const publicKey = pair.publicKey;
  verify = createJwtVerifier({
    issuer: ISSUER,
    clientIds: [CLIENT],
    jwksUrl: "https://unused.example.com/jwks.json",
    keys: async () => publicKey,
  });
});

/** An access token as Cognito issues it (with the pre token generation trigger's `tenant_id` unless overridden). */
function token(claims: JWTPayload = {}, key: CryptoKey = signingKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: ISSUER,
    sub: "user-1",
    client_id: CLIENT,
    token_use: "access",
    scope: "mcp/invoke",
    tenant_id: "tenant-a",
    iat: now,
    exp: now + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .sign(key);
}

/** A router over `lambda` with the test verifier and the module's settings. */
const routerWith = (lambda: LambdaInvoker, extra: Partial<RouterOptions> = {}) =>
  createRouterHandler({
    lambda,
    functionArn: ARN,
    verify,
    authorizationServers: [ISSUER],
    requiredScope: "mcp/invoke",
    serverName: "srv",
    logger: memoryLogger().logger,
    ...extra,
  });

const ok = () => recordingLambda(() => ({ StatusCode: 200, Payload: encode(FUNCTION_RESULT), $metadata: {} }));

describe("tenant router", () => {
  it("verifies the token itself and invokes the isolated function with TenantId from the verified claim and the event as payload", async () => {
    const { lambda, commands } = ok();
    const router = routerWith(lambda);
    const event = httpEvent({ token: await token(), body: toolCall("parse_arn", { arn: "arn:aws:s3:::b" }) });
    const result = await router(event);
    expect(result).toEqual(FUNCTION_RESULT);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(InvokeCommand);
    expect(commands[0]!.input).toEqual({ FunctionName: ARN, TenantId: "tenant-a", Payload: JSON.stringify(event) });
    await router(httpEvent({ token: await token({ tenant_id: "tenant-b" }) }));
    expect(commands.map((c) => c.input.TenantId)).toEqual(["tenant-a", "tenant-b"]);
  });

  it("takes the tenant from the verified token's configured claim only; headers, body and authorizer claims cannot choose it", async () => {
    const { lambda, commands } = ok();
    const router = routerWith(lambda, { tenantClaim: "custom:org" });
    const event = httpEvent({
      token: await token({ "custom:org": "org-7", tenant_id: "not-this" }),
      claims: { "custom:org": "evil" },
      headers: { "x-tenant-id": "evil", "x-amz-tenant-id": "evil" },
      body: { jsonrpc: "2.0", id: 1, method: "ping", params: { tenant_id: "evil" } },
    });
    await router(event);
    expect(commands.map((c) => c.input.TenantId)).toEqual(["org-7"]);
  });

  it("answers 401 with WWW-Authenticate resource_metadata (MCP authorization) without a token or with an invalid one, without invoking", async () => {
    const { lambda, commands } = ok();
    const router = routerWith(lambda);
    const metadata = 'resource_metadata="https://abc.execute-api.us-east-1.amazonaws.com/.well-known/oauth-protected-resource/mcp"';
    const missing = await router(httpEvent({ claims: { tenant_id: "tenant-a" } }));
    expect(missing.statusCode).toBe(401);
    expect(missing.headers!["www-authenticate"]).toBe(`Bearer scope="mcp/invoke", ${metadata}`);
    const cases: Array<[string, string]> = [
      [await token({}, otherKey), "signature verification failed"],
      [await token({ iss: "https://evil.example.com" }), "unexpected issuer"],
      [await token({ exp: Math.floor(Date.now() / 1000) - 60 }), "token expired"],
      [await token({ client_id: "other-client" }), "client not allowed"],
      [await token({ token_use: "id" }), "not an access token"],
    ];
    for (const [bad, reason] of cases) {
      const result = await router(httpEvent({ token: bad }));
      expect(result.statusCode, reason).toBe(401);
      expect(result.headers!["www-authenticate"], reason).toBe(
        `Bearer error="invalid_token", error_description="${reason}", scope="mcp/invoke", ${metadata}`,
      );
    }
    expect(commands).toHaveLength(0);
  });

  it("answers 403 insufficient_scope for a token without the required scope, without invoking", async () => {
    const { lambda, commands } = ok();
    const result = await routerWith(lambda)(httpEvent({ token: await token({ scope: "other/read" }) }));
    expect(result.statusCode).toBe(403);
    expect(result.headers!["www-authenticate"]).toContain('error="insufficient_scope"');
    expect(commands).toHaveLength(0);
  });

  it("answers 403 without invoking when the verified token's tenant claim is missing or invalid", async () => {
    const { lambda, commands } = ok();
    const router = routerWith(lambda);
    const claims: JWTPayload[] = [
      { tenant_id: undefined },
      { tenant_id: "" },
      { tenant_id: "a b" },
      { tenant_id: "x".repeat(129) },
      { tenant_id: ["tenant-a"] },
      { tenant_id: 42 },
    ];
    for (const c of claims) {
      const result = await router(httpEvent({ token: await token(c) }));
      expect(result.statusCode, JSON.stringify(c)).toBe(403);
      expect(result.headers).toMatchObject({ "content-type": "application/json" });
      expect(JSON.parse(result.body!)).toEqual({
        jsonrpc: "2.0",
        error: { code: -32000, message: "Forbidden: the token carries no valid tenant_id claim" },
        id: null,
      });
    }
    expect(commands).toHaveLength(0);
  });

  it("answers the tokenless routes itself (health, RFC 9728 metadata), invoking no tenant's environment", async () => {
    const { lambda, commands } = ok();
    const router = routerWith(lambda, { serverVersion: "1.2.3", resourceUrl: "https://mcp.example.com/mcp" });
    const health = await router(httpEvent({ method: "GET", path: "/health" }));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body!)).toEqual({ status: "ok", name: "srv", version: "1.2.3" });
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      const prm = await router(httpEvent({ method: "GET", path }));
      expect(prm.statusCode).toBe(200);
      expect(JSON.parse(prm.body!)).toEqual({
        resource: "https://mcp.example.com/mcp",
        authorization_servers: [ISSUER],
        scopes_supported: ["mcp/invoke"],
        bearer_methods_supported: ["header"],
        resource_name: "srv",
      });
    }
    expect((await router(httpEvent({ method: "GET", path: "/other" }))).statusCode).toBe(404);
    expect((await router(httpEvent({ method: "POST", path: "/health" }))).statusCode).toBe(405);
    expect(commands).toHaveLength(0);
  });

  it("answers 502 with a generic JSON-RPC error for a function error or an SDK failure, and logs the cause", async () => {
    const GENERIC = { jsonrpc: "2.0", error: { code: -32603, message: "Bad Gateway: the MCP function failed" }, id: null };
    const cases: Array<[string, () => InvokeCommandOutput | Promise<never>, RegExp]> = [
      [
        "function error",
        () => ({
          StatusCode: 200,
          FunctionError: "Unhandled",
          Payload: encode({ errorType: "Runtime.ExitError", errorMessage: "secret detail: exited" }),
          $metadata: {},
        }),
        /function error Unhandled: Runtime\.ExitError secret detail/,
      ],
      ["SDK failure", () => Promise.reject(Object.assign(new Error("connect ECONNRESET"), { name: "ServiceException" })), /ECONNRESET/],
      ["unreadable payload", () => ({ StatusCode: 200, Payload: encode("not json"), $metadata: {} }), /Unexpected token|not valid JSON/],
      [
        "not a structured result",
        () => ({ StatusCode: 200, Payload: encode({ hello: 1 }), $metadata: {} }),
        /not a payload 2\.0 structured result/,
      ],
    ];
    const bearer = await token();
    for (const [name, answer, logged] of cases) {
      const { logger, lines } = memoryLogger();
      const { lambda, commands } = recordingLambda(answer);
      const result = await routerWith(lambda, { logger })(httpEvent({ token: bearer }));
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
    const bearer = await token();
    const throttled = await routerWith(fail("TooManyRequestsException").lambda)(httpEvent({ token: bearer }));
    expect(throttled).toMatchObject({ statusCode: 429, headers: { "retry-after": "1" } });
    const tooLarge = await routerWith(fail("RequestTooLargeException").lambda)(httpEvent({ token: bearer }));
    expect(tooLarge.statusCode).toBe(413);
  });

  it("answers 500 to an event that is not HTTP API payload 2.0, without invoking", async () => {
    const { lambda, commands } = recordingLambda(() => ({ StatusCode: 200, $metadata: {} }));
    const result = await routerWith(lambda)({ version: "1.0" } as unknown as HttpApiEvent);
    expect(result.statusCode).toBe(500);
    expect(commands).toHaveLength(0);
  });
});

const ROUTER_ENV = { MCP_TARGET_FUNCTION_ARN: ARN, MCP_JWT_ISSUER: ISSUER, MCP_JWT_CLIENT_IDS: "a, b" };

describe("router configuration", () => {
  it("reads the target, the tenant claim and the function's token settings", () => {
    expect(
      loadRouterConfig({ ...ROUTER_ENV, MCP_SERVER_NAME: "srv", MCP_ENVIRONMENT: "prod", MCP_JWT_REQUIRED_SCOPE: "mcp/invoke" }),
    ).toEqual({
      targetFunctionArn: ARN,
      tenantClaim: "tenant_id",
      auth: { issuer: ISSUER, clientIds: ["a", "b"], requiredScope: "mcp/invoke", jwksUrl: `${ISSUER}/.well-known/jwks.json` },
      path: "/mcp",
      serverName: "srv",
      serverVersion: "0.1.0",
      logLevel: "info",
      serviceName: "srv-router",
      environment: "prod",
    });
    expect(
      loadRouterConfig({
        ...ROUTER_ENV,
        MCP_TARGET_FUNCTION_ARN: `${ARN}:live`,
        MCP_TENANT_CLAIM: "custom:org",
        MCP_RESOURCE_URL: "https://mcp.example.com/mcp",
      }),
    ).toMatchObject({
      targetFunctionArn: `${ARN}:live`,
      tenantClaim: "custom:org",
      resourceUrl: "https://mcp.example.com/mcp",
    });
  });

  it("fails with a message naming each wrong variable", () => {
    expect(() => loadRouterConfig({})).toThrow(ConfigError);
    let problems: readonly string[] = [];
    try {
      loadRouterConfig({
        MCP_TARGET_FUNCTION_ARN: "mcp-prod",
        MCP_TENANT_CLAIM: "bad claim",
        LOG_LEVEL: "loud",
        MCP_JWT_ISSUER: "http://issuer.example.com",
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'MCP_TARGET_FUNCTION_ARN="mcp-prod": must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>])',
      'MCP_TENANT_CLAIM="bad claim": must be a claim name',
      'LOG_LEVEL="loud": must be one of "trace", "debug", "info", "warn", "error", "critical", "silent"',
      'MCP_JWT_ISSUER="http://issuer.example.com": required, an https URL (http only on localhost / 127.0.0.1 / [::1]); the router verifies every token itself',
      "MCP_JWT_CLIENT_IDS=undefined: at least one client id is required",
    ]);
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
  const mcpFunction = async () =>
    createLambdaHandler(
      await createApp(loadConfig(TENANT_ENV), { logger: memoryLogger().logger, verifier: tenantTokenVerifier }),
      memoryLogger().logger,
    );

  it("serves a tool call end to end in the token's tenant environment", async () => {
    const { lambda, commands } = lambdaService(await mcpFunction());
    // The test verifier accepts `token-<tenant>` (the JWT checks are covered above and in auth.test.ts).
    const router = routerWith(lambda, { verify: tenantTokenVerifier, requiredScope: undefined });
    const result = await router(httpEvent({ token: "token-tenant-a", body: toolCall("cidr_info", { cidr: "10.0.0.0/28" }) }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('"total_addresses":16');
    expect(commands.map((c) => c.input.TenantId)).toEqual(["tenant-a"]);
  });

  it("the function refuses a token of another tenant than its execution environment's", async () => {
    // As if an invoke were misrouted: the router sends tenant-b's environment a tenant-a token.
    const { lambda } = lambdaService(await mcpFunction());
    const misrouting: LambdaInvoker = { send: (command) => lambda.send(new InvokeCommand({ ...command.input, TenantId: "tenant-b" })) };
    const router = routerWith(misrouting, { verify: tenantTokenVerifier, requiredScope: undefined });
    const result = await router(httpEvent({ token: "token-tenant-a", body: toolCall("cidr_info", { cidr: "10.0.0.0/28" }) }));
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!)).toEqual({
      jsonrpc: "2.0",
      error: { code: -32000, message: "Forbidden: the token's tenant_id does not match this function's tenant" },
      id: null,
    });
  });
});
