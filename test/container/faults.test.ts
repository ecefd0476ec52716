/**
 * The function under faults, with real failure modes: a TCP black-hole (accepts connections, never
 * answers) in place of DynamoDB and STS, DynamoDB Local stopped mid-run, a JWKS endpoint answering
 * 500, garbage or nothing. Also the token rules (exact issuer, audience, `iat`) against a local JWKS,
 * and the local server's request-line checks over a raw socket.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createServer as createHttpServer, type Server } from "node:http";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { awsClientConfig, DEFAULT_AWS_CALL_LIMITS, withCallBudget, type AwsCallLimits } from "../../container/src/aws.js";
import { loadConfig } from "../../container/src/config.js";
import { isDependencyOutage } from "../../container/src/core/dependency.js";
import { startLocalServer, type LocalServer } from "../../container/src/local/server.js";
import { createTable, TABLE_KEYS, startDynamoDbLocal } from "./support/dynamodb-local.js";
import { fakeSts, MCP_HEADERS, memoryLogger, postAs, TENANT_ENV, tenantTokenVerifier, toolCall } from "./support/tenants.js";

/** A TCP server that accepts every connection and never writes a byte. */
async function startBlackHole(): Promise<{ endpoint: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const FAST: AwsCallLimits = { connectionTimeoutMs: 200, requestTimeoutMs: 300, maxAttempts: 2, budgetMs: 1000 };
const LOCAL = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
/** A DynamoDB client as the app builds one (limits + call budget), on `endpoint`. */
const boundedClient = (endpoint: string, limits: AwsCallLimits = FAST) =>
  withCallBudget(new DynamoDBClient({ ...awsClientConfig(limits), ...LOCAL, endpoint }), limits.budgetMs);
const sessionHeaders = { ...MCP_HEADERS, "mcp-session-id": "s".repeat(43) };
const LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
const problems = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.level === "ERROR" || l.level === "WARN");

let hole: Awaited<ReturnType<typeof startBlackHole>>;
beforeAll(async () => {
  hole = await startBlackHole();
});
afterAll(async () => {
  await hole?.close();
});

describe("dependencies that hang: bounded, 503 + Retry-After or skipped, logged once", () => {
  it("sessions on a black-hole DynamoDB, with the app's own default client: 503 within the call budget", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: hole.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    });
    try {
      const { logger, lines } = memoryLogger();
      const handler = await createApp(loadConfig({ MCP_SESSION_TABLE_NAME: "sessions" }), { logger });
      const started = Date.now();
      const response = await handler(new Request("http://127.0.0.1/mcp", { method: "POST", headers: sessionHeaders, body: LIST }));
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toEqual({
        jsonrpc: "2.0",
        error: { code: -32603, message: "Service Unavailable: the session store is temporarily unavailable; retry later" },
        id: null,
      });
      // Default budget 5 s: far inside API Gateway's 30 s.
      expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_AWS_CALL_LIMITS.requestTimeoutMs);
      expect(elapsed).toBeLessThan(DEFAULT_AWS_CALL_LIMITS.budgetMs + 1500);
      expect(hole.connections()).toBeGreaterThan(0);
      expect(problems(lines)).toHaveLength(1);
      expect(problems(lines)[0]).toMatchObject({ level: "ERROR", message: "request failed", status: 503 });
    } finally {
      process.env = saved;
    }
  }, 20_000);

  it("initialize on a black-hole session store: 503, no session id handed out", async () => {
    const { logger, lines } = memoryLogger();
    const handler = await createApp(loadConfig({ MCP_SESSION_TABLE_NAME: "sessions" }), { logger, dynamoDb: boundedClient(hole.endpoint) });
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    const started = Date.now();
    const response = await handler(
      new Request("http://127.0.0.1/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(init) }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect(Date.now() - started).toBeLessThan(FAST.budgetMs + 1000);
    expect(problems(lines)).toHaveLength(1);
  });

  it("sessions on DynamoDB Local that is stopped mid-run: 503 + Retry-After, then a non-outage error stays 500", async () => {
    const ddb = await startDynamoDbLocal();
    // Generous limits: DynamoDB Local is slow on a busy machine; a stopped one refuses at once.
    const client = boundedClient(ddb.endpoint, { connectionTimeoutMs: 1000, requestTimeoutMs: 5000, maxAttempts: 2, budgetMs: 10_000 });
    await createTable(ddb.client, "sessions", TABLE_KEYS.sessions);
    const { logger, lines } = memoryLogger();
    const handler = await createApp(loadConfig({ MCP_SESSION_TABLE_NAME: "sessions" }), { logger, dynamoDb: client });
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    const first = await handler(new Request("http://127.0.0.1/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(init) }));
    expect(first.status).toBe(200);
    const session = first.headers.get("mcp-session-id")!;
    // A table the module did not create: a configuration error, not an outage.
    const wrong = await createApp(loadConfig({ MCP_SESSION_TABLE_NAME: "no-such-table" }), { logger, dynamoDb: client });
    expect((await wrong(new Request("http://127.0.0.1/mcp", { method: "POST", headers: sessionHeaders, body: LIST }))).status).toBe(500);
    await ddb.stop();
    lines.length = 0;
    const started = Date.now();
    const response = await handler(
      new Request("http://127.0.0.1/mcp", { method: "POST", headers: { ...MCP_HEADERS, "mcp-session-id": session }, body: LIST }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(problems(lines)).toHaveLength(1);
  }, 120_000);

  it("metering on a black-hole: the MCP answer is unchanged and waits at most meterWaitMs; one warning", async () => {
    const { logger, lines } = memoryLogger();
    const handler = await createApp(loadConfig({ ...TENANT_ENV, METERING_TABLE_NAME: "usage" }), {
      logger,
      verifier: tenantTokenVerifier,
      dynamoDb: boundedClient(hole.endpoint),
    });
    const started = Date.now();
    const { status, messages } = await postAs(handler, "tenant-a", toolCall("cidr_info", { cidr: "10.0.0.0/24" }));
    expect(status).toBe(200);
    expect(messages[0]).toMatchObject({ result: { structuredContent: { cidr: "10.0.0.0/24" } } });
    expect(Date.now() - started).toBeLessThan(2000 + 1000);
    // The write fails within its budget after the answer; still one line for the request.
    await new Promise((resolve) => setTimeout(resolve, FAST.budgetMs + 200));
    expect(problems(lines).map((l) => l.message)).toEqual([expect.stringMatching(/^metering write/)]);
  }, 10_000);

  it("tool cache on a black-hole: the tool runs uncached within one call budget; one warning", async () => {
    const { logger, lines } = memoryLogger();
    const handler = await createApp(loadConfig({ ...TENANT_ENV, MCP_TOOL_CACHE_TABLE_NAME: "cache" }), {
      logger,
      verifier: tenantTokenVerifier,
      dynamoDb: boundedClient(hole.endpoint),
    });
    const started = Date.now();
    const { status, messages } = await postAs(handler, "tenant-a", toolCall("parse_arn", { arn: "arn:aws:s3:::bucket" }));
    expect(status).toBe(200);
    expect(messages[0]).toMatchObject({ result: { structuredContent: { service: "s3" } } });
    expect(Date.now() - started).toBeLessThan(FAST.budgetMs + 1000);
    expect(problems(lines).map((l) => l.message)).toEqual(["tool cache read failed; answering without the cache"]);
  });

  it("tenant credentials from a black-hole STS: 503 + Retry-After for the tool call", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: hole.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    });
    try {
      const { logger, lines } = memoryLogger();
      const config = loadConfig({
        ...TENANT_ENV,
        TVM_TENANT_ROLE_ARN: "arn:aws:iam::123456789012:role/tenant",
        TENANT_DATA_TABLE_NAME: "tenant-data",
      });
      const handler = await createApp(config, {
        logger,
        verifier: tenantTokenVerifier,
        awsCallLimits: FAST,
        tenantDynamoDbConfig: { ...LOCAL, endpoint: hole.endpoint },
      });
      const started = Date.now();
      const { status, messages } = await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "list" }));
      expect(status).toBe(503);
      expect(messages[0]).toMatchObject({
        error: { code: -32603, message: "Service Unavailable: tenant data is temporarily unavailable; retry later" },
      });
      expect(Date.now() - started).toBeLessThan(2 * FAST.budgetMs + 1000);
      expect(problems(lines)).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  }, 10_000);

  it("an STS that refuses for good (AccessDenied) stays a tool error, not a 503", async () => {
    const sts = fakeSts();
    sts.failCall(
      1,
      Object.assign(new Error("not authorized"), { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } }),
    );
    const config = loadConfig({
      ...TENANT_ENV,
      TVM_TENANT_ROLE_ARN: "arn:aws:iam::123456789012:role/tenant",
      TENANT_DATA_TABLE_NAME: "tenant-data",
    });
    const handler = await createApp(config, {
      logger: memoryLogger().logger,
      verifier: tenantTokenVerifier,
      sts: sts.sts,
      tenantDynamoDbConfig: { ...LOCAL, endpoint: hole.endpoint },
    });
    const { status, messages } = await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "list" }));
    expect(status).toBe(200);
    expect(messages[0]).toMatchObject({ result: { isError: true } });
  });

  it("tells outages from refusals", () => {
    expect(isDependencyOutage(Object.assign(new Error("x"), { name: "TimeoutError" }))).toBe(true);
    expect(isDependencyOutage(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDependencyOutage(new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNRESET" }) }))).toBe(true);
    expect(isDependencyOutage(Object.assign(new Error("x"), { name: "ProvisionedThroughputExceededException", $fault: "client" }))).toBe(
      true,
    );
    expect(isDependencyOutage(Object.assign(new Error("x"), { name: "InternalServerError", $fault: "server" }))).toBe(true);
    expect(
      isDependencyOutage(
        Object.assign(new Error("x"), { name: "ResourceNotFoundException", $fault: "client", $metadata: { httpStatusCode: 400 } }),
      ),
    ).toBe(false);
    expect(
      isDependencyOutage(
        Object.assign(new Error("x"), { name: "AccessDeniedException", $fault: "client", $metadata: { httpStatusCode: 400 } }),
      ),
    ).toBe(false);
    expect(isDependencyOutage(new TypeError("x is not a function"))).toBe(false);
  });
});

/** A JWKS/issuer server on 127.0.0.1 whose behaviour can be switched. */
async function startJwks() {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  let mode: "ok" | "500" | "garbage" | "hang" = "ok";
  const server: Server = createHttpServer((_request, response) => {
    if (mode === "hang") return;
    if (mode === "500") return void response.writeHead(500, { "content-type": "text/plain" }).end("oops");
    if (mode === "garbage") return void response.writeHead(200, { "content-type": "application/json" }).end("<html>not json</html>");
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    setMode: (m: typeof mode) => void (mode = m),
    sign: (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("JWKS failures are 503 + Retry-After, never 401 invalid_token", () => {
  let jwks: Awaited<ReturnType<typeof startJwks>>;
  beforeAll(async () => {
    jwks = await startJwks();
  });
  afterAll(async () => {
    await jwks?.close();
  });
  const RESOURCE = "https://mcp.example.com/mcp";
  const app = () =>
    createApp(
      loadConfig({ MCP_AUTH_ENABLED: "true", MCP_JWT_ISSUER: `${jwks.base}/`, MCP_JWT_CLIENT_IDS: "client-a", MCP_RESOURCE_URL: RESOURCE }),
      { logger: memoryLogger().logger },
    );
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: `${jwks.base}/`,
    client_id: "client-a",
    sub: "u",
    iat: now(),
    exp: now() + 600,
    ...extra,
  });
  const post = async (handler: Awaited<ReturnType<typeof app>>, token: string) =>
    handler(new Request(RESOURCE, { method: "POST", headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` }, body: LIST }));

  it.each([
    ["HTTP 500", "500"],
    ["200 with a body that is not JSON", "garbage"],
    ["no answer (JWKS timeout)", "hang"],
  ] as const)(
    "JWKS answering %s",
    async (_label, mode) => {
      jwks.setMode(mode);
      try {
        const started = Date.now();
        const response = await post(await app(), await jwks.sign(claims()));
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("5");
        expect(response.headers.get("www-authenticate")).toBeNull();
        expect(Date.now() - started).toBeLessThan(4500);
      } finally {
        jwks.setMode("ok");
      }
    },
    10_000,
  );

  it("a forged token is still 401 while the JWKS is healthy", async () => {
    const response = await post(await app(), `${(await jwks.sign(claims())).slice(0, -4)}AAAA`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  describe("token rules", () => {
    it("compares the issuer exactly as configured, trailing slash included, and advertises the same string", async () => {
      const handler = await app();
      expect((await post(handler, await jwks.sign(claims()))).status).toBe(200);
      const without = await post(handler, await jwks.sign(claims({ iss: jwks.base })));
      expect(without.status).toBe(401);
      expect(without.headers.get("www-authenticate")).toContain('error_description="unexpected issuer"');
      const metadata = (await (await handler(new Request("https://mcp.example.com/.well-known/oauth-protected-resource/mcp"))).json()) as {
        authorization_servers: string[];
      };
      expect(metadata.authorization_servers).toEqual([`${jwks.base}/`]);
      expect(loadConfig({ MCP_AUTH_ENABLED: "true", MCP_JWT_ISSUER: `${jwks.base}/`, MCP_JWT_CLIENT_IDS: "c" }).auth).toMatchObject({
        issuer: `${jwks.base}/`,
        jwksUrl: `${jwks.base}/.well-known/jwks.json`,
      });
    });

    it("refuses a token whose aud names another resource, even with an allowed client_id", async () => {
      const handler = await app();
      const other = await post(handler, await jwks.sign(claims({ aud: "https://other.example.com/mcp" })));
      expect(other.status).toBe(401);
      expect(other.headers.get("www-authenticate")).toContain('error_description="unexpected audience"');
      expect((await post(handler, await jwks.sign(claims({ aud: ["https://other.example.com/mcp", RESOURCE] })))).status).toBe(200);
      // A Cognito access token carries no aud: the client_id rule alone.
      expect((await post(handler, await jwks.sign(claims()))).status).toBe(200);
    });

    it("with MCP_JWT_AUDIENCE, aud must contain that value instead", async () => {
      const handler = await createApp(
        loadConfig({
          MCP_AUTH_ENABLED: "true",
          MCP_JWT_ISSUER: `${jwks.base}/`,
          MCP_JWT_CLIENT_IDS: "client-a",
          MCP_RESOURCE_URL: RESOURCE,
          MCP_JWT_AUDIENCE: "api://mcp",
        }),
        { logger: memoryLogger().logger },
      );
      expect((await post(handler, await jwks.sign(claims({ aud: "api://mcp" })))).status).toBe(200);
      expect((await post(handler, await jwks.sign(claims({ aud: RESOURCE })))).status).toBe(401);
      expect((await post(handler, await jwks.sign(claims()))).status).toBe(401);
    });

    it("refuses an iat later than now plus the clock tolerance (5 s)", async () => {
      const handler = await app();
      const future = await post(handler, await jwks.sign(claims({ iat: now() + 600 })));
      expect(future.status).toBe(401);
      expect(future.headers.get("www-authenticate")).toContain('error_description="token issued in the future"');
      expect((await post(handler, await jwks.sign(claims({ iat: now() + 3 })))).status).toBe(200);
    });
  });
});

describe("local server request line (RFC 9112 section 3.2)", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ config: loadConfig({ LOG_LEVEL: "silent" }), port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  /** Sends `head` + body over a raw socket and resolves the status code. */
  const raw = (head: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1");
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk.toString();
        const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
        if (match !== null) {
          resolve(Number(match[1]));
          socket.destroy();
        }
      });
      socket.on("error", reject);
      socket.write(
        `${head}content-type: application/json\r\naccept: application/json, text/event-stream\r\ncontent-length: ${LIST.length}\r\nconnection: close\r\n\r\n${LIST}`,
      );
    });
  const host = () => `127.0.0.1:${server.port}`;

  it("serves one Host", async () => {
    expect(await raw(`POST /mcp HTTP/1.1\r\nhost: ${host()}\r\n`)).toBe(200);
  });
  it("400 for two Host lines", async () => {
    expect(await raw(`POST /mcp HTTP/1.1\r\nhost: ${host()}\r\nhost: evil.example\r\n`)).toBe(400);
    expect(await raw(`POST /mcp HTTP/1.1\r\nhost: ${host()}\r\nHost: ${host()}\r\n`)).toBe(400);
  });
  it("400 for an absolute-form target naming another host; served when it names this one", async () => {
    expect(await raw(`POST http://evil.example/mcp HTTP/1.1\r\nhost: ${host()}\r\n`)).toBe(400);
    expect(await raw(`POST http://${host()}/mcp HTTP/1.1\r\nhost: ${host()}\r\n`)).toBe(200);
  });
  it("400 without Host on HTTP/1.1", async () => {
    expect(await raw(`POST /mcp HTTP/1.1\r\n`)).toBe(400);
  });
});
