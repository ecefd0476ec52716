/**
 * This project's tools through its Lambda handler, with API Gateway HTTP API payload 2.0 events, as
 * API Gateway sends them (JWT authorizer claims included). Authentication is real (jose, a JWKS
 * served on 127.0.0.1); STS, which cannot run here, is a stand-in that asserts the AssumeRole
 * request; DynamoDB is reached over HTTP on 127.0.0.1 by the AWS SDK and the request it signs with
 * the tenant's vended credentials is asserted.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLambdaHandler, loadConfig, type HttpApiEvent, type HttpApiHandler } from "@mcp-server-aws/runtime";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tools } from "../src/tools.js";

const ROLE = "arn:aws:iam::123456789012:role/tenant-data";
const CLIENT_ID = "example-client";

/** A payload 2.0 event carrying one JSON-RPC request to POST /mcp. */
function event(body: unknown, token: string): HttpApiEvent {
  const text = JSON.stringify(body);
  const host = "abc123.execute-api.us-east-1.amazonaws.com";
  return {
    version: "2.0",
    routeKey: "POST /mcp",
    rawPath: "/mcp",
    rawQueryString: "",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      "mcp-protocol-version": "2025-06-18",
      authorization: `Bearer ${token}`,
      host,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: host,
      domainPrefix: "abc123",
      http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "custom-tools-test" },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: "POST /mcp",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: text,
    isBase64Encoded: false,
  };
}

/** The JSON-RPC response in a result body (JSON, or one SSE `data:` line). */
function rpc(body: string | undefined): {
  result?: { tools?: { name: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean; content?: { text: string }[] };
} {
  const text = body ?? "";
  const data = text.startsWith("{") ? text : (text.split("\n").find((line) => line.startsWith("data: ")) ?? "").slice("data: ".length);
  return JSON.parse(data);
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
};

let issuerServer: Server;
let dynamoServer: Server;
let issuer: string;
let privateKey: CryptoKey;
let handler: HttpApiHandler;
const assumeRoles: { RoleArn?: string; Tags?: { Key?: string; Value?: string }[] }[] = [];
const dynamoRequests: { target?: string; authorization?: string | undefined; body: Record<string, unknown> }[] = [];

const token = (tenant: string) =>
  new SignJWT({ client_id: CLIENT_ID, token_use: "access", scope: "mcp/invoke", tenant_id: tenant })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(issuer)
    .setSubject(`user-of-${tenant}`)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);

beforeAll(async () => {
  const keys = await generateKeyPair("RS256");
  privateKey = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  issuerServer = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
  );
  issuer = await listen(issuerServer);
  dynamoServer = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    dynamoRequests.push({ target: req.headers["x-amz-target"] as string, authorization: req.headers.authorization, body });
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ Count: 3, ScannedCount: 3 }));
  });
  const dynamoEndpoint = await listen(dynamoServer);

  process.env.TENANT_DATA_TABLE_NAME = "tenant-data";
  const config = loadConfig({
    MCP_AUTH_ENABLED: "true",
    MCP_JWT_ISSUER: issuer,
    MCP_JWT_CLIENT_IDS: CLIENT_ID,
    MCP_TENANT_ISOLATION: "true",
    TVM_TENANT_ROLE_ARN: ROLE,
    LOG_LEVEL: "SILENT",
  });
  handler = await createLambdaHandler({
    tools,
    config,
    sts: {
      send: async (command: { input: (typeof assumeRoles)[number] }) => {
        assumeRoles.push(command.input);
        const tenant = command.input.Tags?.find((t) => t.Key === "tenant_id")?.Value ?? "";
        return {
          Credentials: {
            AccessKeyId: `ASIA${tenant.toUpperCase()}`,
            SecretAccessKey: "secret",
            SessionToken: "session",
            Expiration: new Date(Date.now() + 3600_000),
          },
        };
      },
    } as never,
    tenantDynamoDbConfig: { region: "us-east-1", endpoint: dynamoEndpoint },
  });
});

afterAll(() => {
  issuerServer?.close();
  dynamoServer?.close();
  delete process.env.TENANT_DATA_TABLE_NAME;
});

describe("custom tools through the Lambda handler (payload 2.0)", () => {
  it("lists this project's two tools with their schemas", async () => {
    const r = await handler(event({ jsonrpc: "2.0", id: 1, method: "tools/list" }, await token("acme")));
    expect(r.statusCode).toBe(200);
    expect(rpc(r.body).result?.tools?.map((t) => t.name)).toEqual(["slugify", "count_tenant_items"]);
  });

  it("slugify: answers with the slug as structured content", async () => {
    const r = await handler(
      event(
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "slugify", arguments: { title: "Crème brûlée: 2 ways!" } } },
        await token("acme"),
      ),
    );
    expect(r.statusCode).toBe(200);
    expect(rpc(r.body).result?.structuredContent).toEqual({ slug: "creme-brulee-2-ways" });
  });

  it("slugify: a title without letters or digits is a tool error the model can read", async () => {
    const r = await handler(
      event({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "slugify", arguments: { title: "!!!" } } }, await token("acme")),
    );
    const result = rpc(r.body).result;
    expect(result?.isError).toBe(true);
    expect(result?.content?.[0]?.text).toMatch(/no letters or digits/);
  });

  it("count_tenant_items: queries the caller's partition with credentials vended for the caller's tenant", async () => {
    const r = await handler(
      event(
        { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "count_tenant_items", arguments: { prefix: "note#" } } },
        await token("acme"),
      ),
    );
    expect(r.statusCode).toBe(200);
    expect(rpc(r.body).result?.structuredContent).toEqual({ tenant_id: "acme", prefix: "note#", count: 3 });
    expect(assumeRoles.at(-1)?.RoleArn).toBe(ROLE);
    expect(assumeRoles.at(-1)?.Tags).toContainEqual({ Key: "tenant_id", Value: "acme" });
    const sent = dynamoRequests.at(-1)!;
    expect(sent.target).toBe("DynamoDB_20120810.Query");
    expect(sent.authorization).toContain("Credential=ASIAACME/");
    expect(sent.body).toMatchObject({
      TableName: "tenant-data",
      KeyConditionExpression: "tenant_id = :t AND begins_with(item_id, :p)",
      ExpressionAttributeValues: { ":t": { S: "acme" }, ":p": { S: "note#" } },
      Select: "COUNT",
    });
  });

  it("count_tenant_items: another tenant's token reaches only that tenant's partition, on that tenant's credentials", async () => {
    const r = await handler(
      event({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "count_tenant_items", arguments: {} } }, await token("globex")),
    );
    expect(rpc(r.body).result?.structuredContent).toMatchObject({ tenant_id: "globex", count: 3 });
    const sent = dynamoRequests.at(-1)!;
    expect(sent.authorization).toContain("Credential=ASIAGLOBEX/");
    expect(sent.body).toMatchObject({ KeyConditionExpression: "tenant_id = :t", ExpressionAttributeValues: { ":t": { S: "globex" } } });
  });

  it("refuses a request without a token (401), before any tool runs", async () => {
    const e = event({ jsonrpc: "2.0", id: 6, method: "tools/list" }, "");
    delete e.headers.authorization;
    const r = await handler(e);
    expect(r.statusCode).toBe(401);
  });
});
