/**
 * Tenants end to end: tokens for two tenants from a real authorization server (oidc-provider) whose
 * claim mapping is the module's pre token generation trigger (handlers/tenants) reading a real tenant
 * directory in DynamoDB Local, through the tenant router (its own token verification, no gateway
 * authorizer) to the tenant-isolated MCP function (the real handler behind a Lambda stand-in that
 * passes the Invoke `TenantId` as `context.tenantId`), with sessions in DynamoDB Local in the
 * tenant-keyed layout. Each tenant reaches only its own data; a client without a tenant gets no token.
 */
import type { InvokeCommand } from "@aws-sdk/client-lambda";
import { PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { createJwtVerifier } from "../../container/src/core/auth/jwt.js";
import { createLambdaHandler, type HttpApiEvent, type HttpApiResult } from "../../container/src/lambda/adapter.js";
import { createRouterHandler, type LambdaInvoker } from "../../container/src/tenant-router/handler.js";
import { createPreTokenGenerationHandler, createTenantDirectory, directoryKey } from "../../handlers/tenants/index.js";
import { clientCredentialsEvent } from "../handlers/fixtures/cognito-events.js";
import { createTable, startDynamoDbLocal, TABLE_KEYS, type DynamoDbLocal } from "./support/dynamodb-local.js";
import { MCP_SCOPE, RESOURCE, startAuthorizationServer, type AuthorizationServer } from "./support/oidc.js";
import { MCP_HEADERS, memoryLogger } from "./support/tenants.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:mcp-tools-dev";
let as: AuthorizationServer;
let ddb: DynamoDbLocal;
let router: ReturnType<typeof createRouterHandler>;
const invokedTenants: string[] = [];

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  await Promise.all([
    createTable(ddb.client, "tenants", TABLE_KEYS.tenantDirectory),
    createTable(ddb.client, "sessions", TABLE_KEYS.tenantSessions),
  ]);
  for (const [client, tenant] of [
    ["client-a", "tenant-a"],
    ["client-b", "tenant-b"],
  ]) {
    await ddb.client.send(
      new PutItemCommand({ TableName: "tenants", Item: { directory_key: { S: directoryKey.client(client!) }, tenant_id: { S: tenant! } } }),
    );
  }
  // The claim mapping of the module's pool: the pre token generation trigger on a V3_0 client_credentials event.
  const trigger = createPreTokenGenerationHandler({
    directory: createTenantDirectory({ client: ddb.client, tableName: "tenants" }),
    logger: memoryLogger().logger,
  });
  as = await startAuthorizationServer(
    [
      { clientId: "client-a", secret: "secret-a" },
      { clientId: "client-b", secret: "secret-b" },
      { clientId: "client-nobody", secret: "secret-n" },
    ],
    async (clientId) =>
      (await trigger(clientCredentialsEvent(clientId))).response.claimsAndScopeOverrideDetails?.accessTokenGeneration
        ?.claimsToAddOrOverride ?? {},
  );
  const env = {
    LOG_LEVEL: "silent",
    MCP_AUTH_ENABLED: "true",
    MCP_JWT_ISSUER: as.issuer,
    MCP_JWT_CLIENT_IDS: "client-a,client-b,client-nobody",
    MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
    MCP_TENANT_ISOLATION: "true",
    MCP_SESSION_TABLE_NAME: "sessions",
    MCP_RESOURCE_URL: RESOURCE,
  };
  const fn = createLambdaHandler(
    await createApp(loadConfig(env), { logger: memoryLogger().logger, dynamoDb: ddb.client }),
    memoryLogger().logger,
  );
  // Lambda's Invoke: payload bytes in, the function run in the tenant's environment, result bytes out.
  const lambda: LambdaInvoker = {
    async send(command: InvokeCommand) {
      invokedTenants.push(command.input.TenantId!);
      const event = JSON.parse(command.input.Payload as string) as HttpApiEvent;
      const result = await fn(event, { awsRequestId: "fn", tenantId: command.input.TenantId! });
      return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(result)) as never, $metadata: {} };
    },
  };
  router = createRouterHandler({
    lambda,
    functionArn: ARN,
    verify: createJwtVerifier({ issuer: as.issuer, clientIds: ["client-a", "client-b", "client-nobody"], jwksUrl: as.jwksUrl }),
    authorizationServers: [as.issuer],
    requiredScope: MCP_SCOPE,
    resourceUrl: RESOURCE,
    logger: memoryLogger().logger,
  });
});
afterAll(async () => {
  await as?.close();
  await ddb?.stop();
});

/** A POST /mcp as API Gateway delivers it without an authorizer. */
function post(token: string, body: unknown, sessionId?: string): HttpApiEvent {
  return {
    version: "2.0",
    routeKey: "POST /mcp",
    rawPath: "/mcp",
    rawQueryString: "",
    headers: {
      ...MCP_HEADERS,
      host: "abc.execute-api.us-east-1.amazonaws.com",
      authorization: `Bearer ${token}`,
      ...(sessionId === undefined ? {} : { "mcp-session-id": sessionId }),
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc",
      domainName: "abc.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc",
      http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "t" },
      requestId: `r-${Math.random()}`,
      routeKey: "POST /mcp",
      stage: "$default",
      time: "04/Dec/2026:12:00:00 +0000",
      timeEpoch: 1_796_000_000_000,
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as HttpApiEvent;
}

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "e2e", version: "1" } },
};
const sessionOf = (result: HttpApiResult) =>
  (result.headers?.["mcp-session-id"] ?? result.headers?.["Mcp-Session-Id"]) as string | undefined;

describe("e2e: two tenants through the tenant router to the isolated function", () => {
  it("issues each machine client a token with its directory tenant, and none to a client without a tenant", async () => {
    const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims(await as.token("client-a")).tenant_id).toBe("tenant-a");
    expect(claims(await as.token("client-b")).tenant_id).toBe("tenant-b");
    await expect(as.token("client-nobody")).rejects.toThrow(/token request failed/);
  });

  it("routes each token to its tenant's environment and keeps each tenant's sessions apart", async () => {
    const [tokenA, tokenB] = await Promise.all([as.token("client-a"), as.token("client-b")]);
    const a = await router(post(tokenA, initialize));
    const b = await router(post(tokenB, initialize));
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const [sessionA, sessionB] = [sessionOf(a), sessionOf(b)];
    expect(sessionA).toBeDefined();
    expect(sessionB).toBeDefined();
    expect(invokedTenants).toEqual(["tenant-a", "tenant-b"]);

    const ping = { jsonrpc: "2.0", id: 2, method: "ping" };
    expect((await router(post(tokenA, ping, sessionA))).statusCode).toBe(200);
    // Tenant B presenting tenant A's session: routed to B's environment, and A's session is not B's.
    const crossed = await router(post(tokenB, ping, sessionA));
    expect(crossed.statusCode).toBe(404);
    expect(invokedTenants.at(-1)).toBe("tenant-b");

    const { Items } = await ddb.client.send(new ScanCommand({ TableName: "sessions", ConsistentRead: true }));
    expect((Items ?? []).map((i) => [i.tenant_id!.S, i.session_id!.S]).sort()).toEqual(
      [
        ["tenant-a", sessionA],
        ["tenant-b", sessionB],
      ].sort(),
    );
  });

  it("refuses a request without a token (401 with resource_metadata) without invoking any tenant", async () => {
    const before = invokedTenants.length;
    const event = post("x", initialize);
    delete (event.headers as Record<string, string>).authorization;
    const result = await router(event);
    expect(result.statusCode).toBe(401);
    expect(result.headers!["www-authenticate"]).toContain(
      'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
    expect(invokedTenants).toHaveLength(before);
  });
});
