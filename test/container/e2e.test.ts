/**
 * End to end, with every part real except AWS itself: the Lambda entry module
 * (container/src/lambda/index.ts, configured only through environment variables as the module sets
 * them) behind the HTTP API shim; an oidc-provider issuing client_credentials access tokens with a
 * `tenant_id` claim; DynamoDB Local holding the sessions in the tenant-keyed layout; the MCP SDK
 * client driving initialize -> tools/call -> DELETE. Powertools output (JSON logs, EMF metrics) is
 * captured from stdout and checked.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { readMonthlyUsage } from "../../container/src/metering/dynamodb.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpApiHandler } from "../../container/src/lambda/adapter.js";
import { startHttpApiShim, type HttpApiShim } from "../../container/src/local/http-api-shim.js";
import { createTable, TABLE_KEYS, startDynamoDbLocal, type DynamoDbLocal } from "./support/dynamodb-local.js";
import { MCP_SCOPE, RESOURCE, startAuthorizationServer, type AuthorizationServer } from "./support/oidc.js";

let as: AuthorizationServer;
let ddb: DynamoDbLocal;
let shim: HttpApiShim;
let sts: Server;
/** The form parameters of every request the STS stand-in received. */
const stsRequests: Array<Record<string, string>> = [];

/** Answers AssumeRole as STS does (AWS query protocol, XML), with credentials numbered per call. */
function startSts(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      stsRequests.push(params);
      const n = stsRequests.length;
      const expiration = new Date(Date.now() + Number(params.DurationSeconds ?? 3600) * 1000).toISOString();
      response
        .writeHead(200, { "content-type": "text/xml" })
        .end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
            `<AccessKeyId>ASIAE2E${String(n).padStart(9, "0")}</AccessKeyId><SecretAccessKey>secret${n}</SecretAccessKey>` +
            `<SessionToken>token${n}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `<AssumedRoleUser><AssumedRoleId>AROAE2E:${params.RoleSessionName}</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/tenant/${params.RoleSessionName}</Arn></AssumedRoleUser>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>e2e-${n}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
const stdout: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  sts = await startSts();
  [as, ddb] = await Promise.all([
    startAuthorizationServer([
      { clientId: "client-a", secret: "secret-a", tenantId: "tenant-a" },
      { clientId: "client-b", secret: "secret-b", tenantId: "tenant-b" },
    ]),
    startDynamoDbLocal(),
  ]);
  await createTable(ddb.client, "mcp-sessions", TABLE_KEYS.tenantSessions);
  await createTable(ddb.client, "tenant-data", TABLE_KEYS.tenantData);
  await createTable(ddb.client, "mcp-usage", TABLE_KEYS.usage);
  Object.assign(process.env, {
    MCP_SERVER_NAME: "e2e-tools",
    MCP_ENVIRONMENT: "test",
    MCP_AUTH_ENABLED: "true",
    MCP_JWT_ISSUER: as.issuer,
    MCP_JWT_CLIENT_IDS: "client-a,client-b",
    MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
    MCP_RESOURCE_URL: RESOURCE,
    MCP_TENANT_ISOLATION: "true",
    MCP_TENANT_CLAIM: "tenant_id",
    MCP_SESSION_TABLE_NAME: "mcp-sessions",
    MCP_SESSION_TTL_SECONDS: "900",
    METERING_TABLE_NAME: "mcp-usage",
    TVM_TENANT_ROLE_ARN: "arn:aws:iam::123456789012:role/mcp-tenant",
    TVM_CREDENTIAL_DURATION_SECONDS: "900",
    TENANT_DATA_TABLE_NAME: "tenant-data",
    AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
    POWERTOOLS_METRICS_NAMESPACE: "McpE2E",
    LOG_LEVEL: "info",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
  });
  // Capture Powertools' stdout lines (logs and EMF) from here on.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stdout.push(String(chunk));
    return originalWrite(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  const { handler } = (await import("../../container/src/lambda/index.js")) as { handler: HttpApiHandler };
  shim = await startHttpApiShim({ handler });
});
afterAll(async () => {
  process.stdout.write = originalWrite;
  await shim?.close();
  await Promise.all([as?.close(), ddb?.stop(), new Promise((resolve) => (sts === undefined ? resolve(undefined) : sts.close(resolve)))]);
});

const jsonLines = () =>
  stdout
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function connect(token: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", shim.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

describe("e2e: token with tenant -> initialize -> tools/call -> DELETE (DynamoDB Local)", () => {
  /** The first test's session id (the logs test checks it never reaches a log line). */
  let firstSessionId = "";
  it("runs a whole session and leaves no session behind", async () => {
    const token = await as.token("client-a");
    const { client, transport } = await connect(token);
    const sessionId = transport.sessionId!;
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    firstSessionId = sessionId;
    expect(client.getServerVersion()).toMatchObject({ name: "e2e-tools" });

    const key = { tenant_id: { S: "tenant-a" }, session_id: { S: sessionId } };
    const stored = await ddb.client.send(new GetItemCommand({ TableName: "mcp-sessions", Key: key, ConsistentRead: true }));
    expect(stored.Item).toMatchObject({ owner: { S: "client-a|client-a" }, protocol_version: { S: "2025-11-25" } });

    const result = await client.callTool({
      name: "parse_arn",
      arguments: { arn: "arn:aws:dynamodb:us-east-1:123456789012:table/mcp-sessions" },
    });
    expect(result.structuredContent).toMatchObject({ service: "dynamodb", resource_type: "table", resource_id: "mcp-sessions" });

    // Another tenant's valid token cannot use this session id.
    const other = await as.token("client-b");
    const hijack = await fetch(new URL("/mcp", shim.url), {
      method: "POST",
      headers: {
        authorization: `Bearer ${other}`,
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-11-25",
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(hijack.status).toBe(404);

    await transport.terminateSession();
    const gone = await ddb.client.send(new GetItemCommand({ TableName: "mcp-sessions", Key: key, ConsistentRead: true }));
    expect(gone.Item).toBeUndefined();
    await client.close();

    const after = await fetch(new URL("/mcp", shim.url), {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "mcp-session-id": sessionId,
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 10, method: "tools/list" }),
    });
    expect(after.status).toBe(404);

    // Metering: initialize and tools/call are JSON-RPC requests (the notification is not); the
    // hijack attempt and the requests after DELETE were refused before metering.
    const period = new Date().toISOString().slice(0, 7);
    // The month's total is the sum of its counter shards (container/README.md, "Metering").
    expect(await readMonthlyUsage(ddb.client, "mcp-usage", "tenant-a", period)).toMatchObject({
      requests: 2,
      toolCalls: 1,
      tools: { parse_arn: 1 },
    });
    expect(await readMonthlyUsage(ddb.client, "mcp-usage", "tenant-b", period)).toEqual({ requests: 0, toolCalls: 0, tools: {} });
  });

  it("logs JSON lines through Powertools Logger and publishes EMF metrics per request", () => {
    const lines = jsonLines();
    const access = lines.filter((line) => line.message === "request completed");
    expect(access.length).toBeGreaterThanOrEqual(4);
    expect(access[0]).toMatchObject({
      level: "INFO",
      service: "e2e-tools",
      environment: "test",
      method: "POST",
      path: "/mcp",
      status: 200,
    });
    expect(access.find((line) => line.tenant_id === "tenant-a")).toBeDefined();
    // The access line of the tools/call names what the metrics leave out: tenant, session, tool, size.
    const callLine = access.find((line) => line.mcp_method === "tools/call");
    expect(callLine).toMatchObject({
      tenant_id: "tenant-a",
      tool: "parse_arn",
      messages: 1,
      request_bytes: expect.any(Number),
      session_id_prefix: expect.stringMatching(/^.{8}$/),
      duration_ms: expect.any(Number),
      request_id: expect.any(String),
    });
    // The per-method document carries neither the tenant (the access log and the TenantId document do) nor error metrics on a success.
    const emf = lines.filter((line) => line._aws !== undefined && line.TenantId === undefined);
    const toolCall = emf.find((line) => line.method === "tools/call");
    expect(toolCall).toMatchObject({
      service: "e2e-tools",
      environment: "test",
      method: "tools/call",
      tool: "parse_arn",
      Requests: 1,
      Latency: expect.any(Number),
      _aws: {
        CloudWatchMetrics: [{ Namespace: "McpE2E", Dimensions: [expect.arrayContaining(["service", "environment", "method", "tool"])] }],
      },
    });
    // Metering wraps the MCP stage only: session 404s and DELETE are answered before it (API Gateway's
    // own 4XXError metric counts those).
    expect(toolCall).not.toHaveProperty("tenant_id");
    expect(toolCall).not.toHaveProperty("ServerErrors");
    expect(emf.map((line) => line.method)).toEqual(["initialize", "notifications/initialized", "tools/call"]);
    // One tenant-metering document per metered request, with the TenantId dimension.
    const tenantDocs = lines.filter((line) => line.TenantId !== undefined);
    expect(tenantDocs.map((line) => [line.TenantId, line.Requests, line.ToolCalls])).toEqual([
      ["tenant-a", 1, undefined],
      ["tenant-a", 1, undefined],
      ["tenant-a", 1, 1],
    ]);
    // Tokens and whole session ids never reach the logs.
    expect(stdout.join("")).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.eyJ/);
    expect(firstSessionId).not.toBe("");
    expect(stdout.join("")).not.toContain(firstSessionId);
  });

  it("vends tenant credentials from STS and keeps each tenant's notes under its own key", async () => {
    expect(stsRequests).toHaveLength(0); // nothing so far needed tenant data
    const a = await connect(await as.token("client-a"));
    const b = await connect(await as.token("client-b"));
    const put = (client: Client, text: string) =>
      client.callTool({ name: "tenant_notes", arguments: { action: "put", note_id: "plan", text } });
    await Promise.all([put(a.client, "from a"), put(b.client, "from b"), put(a.client, "from a again")]);
    const got = await b.client.callTool({ name: "tenant_notes", arguments: { action: "get", note_id: "plan" } });
    expect(got.structuredContent).toMatchObject({ note: { note_id: "plan", text: "from b" } });

    // The real STS client's requests, exactly: one per tenant (concurrent calls of tenant-a coalesced).
    expect(stsRequests.map((r) => r["Tags.member.1.Value"]).sort()).toEqual(["tenant-a", "tenant-b"]);
    for (const r of stsRequests) {
      expect(r).toEqual({
        Action: "AssumeRole",
        Version: "2011-06-15",
        RoleArn: "arn:aws:iam::123456789012:role/mcp-tenant",
        RoleSessionName: expect.stringMatching(new RegExp(`^mcp-${r["Tags.member.1.Value"]}-[0-9a-f]{8}$`)),
        DurationSeconds: "900",
        "Tags.member.1.Key": "tenant_id",
        "Tags.member.1.Value": r["Tags.member.1.Value"],
      });
    }
    const { Items } = await ddb.client.send(new ScanCommand({ TableName: "tenant-data", ConsistentRead: true }));
    expect((Items ?? []).map((i) => [i.tenant_id!.S, i.item_id!.S]).sort()).toEqual([
      ["tenant-a", "note#plan"],
      ["tenant-b", "note#plan"],
    ]);
    await Promise.all([a.transport.terminateSession(), b.transport.terminateSession()]);
    await Promise.all([a.client.close(), b.client.close()]);
  });
});
