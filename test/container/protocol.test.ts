/**
 * Transport rules of the core (origin stage, route stage, body reading) and the configuration's
 * cross-variable rules. The bad-input corpus covers the same rules end to end over HTTP.
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { ConfigError, loadConfig } from "../../container/src/config.js";
import { parseJsonRpcBody, readBodyWithLimit } from "../../container/src/core/body.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { originAllowed } from "../../container/src/core/stages/origin.js";
import { accepts } from "../../container/src/core/stages/route.js";
import { createLocalHandler } from "../../container/src/local/server.js";

const MCP_HEADERS = { accept: "application/json, text/event-stream", "content-type": "application/json" };
const PING = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });

describe("origin stage", () => {
  const app = createApp(loadConfig({ MCP_ALLOWED_ORIGINS: "https://app.example.com, http://localhost:*" }), { logger: silentLogger });
  const handler = async (request: Request) => (await app)(request);
  const post = (headers: Record<string, string>) =>
    handler(new Request("https://api.example.com/mcp", { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body: PING }));

  it("matches exact origins and port wildcards only", () => {
    const allowed = ["https://app.example.com", "http://localhost:*"];
    expect(originAllowed("https://app.example.com", allowed)).toBe(true);
    expect(originAllowed("https://APP.example.com", allowed)).toBe(true);
    expect(originAllowed("https://app.example.com:443", allowed)).toBe(true);
    expect(originAllowed("https://app.example.com:8443", allowed)).toBe(false);
    expect(originAllowed("http://localhost:6274", allowed)).toBe(true);
    expect(originAllowed("https://localhost:6274", allowed)).toBe(false);
    expect(originAllowed("null", allowed)).toBe(false);
    expect(originAllowed("https://app.example.com/path", allowed)).toBe(false);
    expect(originAllowed("https://app.example.com.evil.example", allowed)).toBe(false);
  });

  it("adds CORS headers for an allowed origin and answers its preflight", async () => {
    const response = await post({ origin: "https://app.example.com" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(response.headers.get("access-control-expose-headers")).toContain("mcp-session-id");
    expect(response.headers.get("vary")).toBe("Origin");
    const preflight = await handler(
      new Request("https://api.example.com/mcp", {
        method: "OPTIONS",
        headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });

  it("refuses other origins with 403 and allows requests without Origin", async () => {
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({})).status).toBe(200);
  });

  it("requires the CloudFront secret header on every path when configured", async () => {
    const secret = "0123456789abcdef-secret";
    const guarded = await createApp(loadConfig({ MCP_ORIGIN_VERIFY_SECRET: secret }), { logger: silentLogger });
    const health = (headers: Record<string, string>) => guarded(new Request("https://x/health", { headers }));
    expect((await health({})).status).toBe(403);
    expect((await health({ "x-origin-verify": "wrong" })).status).toBe(403);
    expect((await health({ "x-origin-verify": secret })).status).toBe(200);
    const mcp = await guarded(new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: PING }));
    expect(mcp.status).toBe(403);
    expect(await mcp.text()).not.toContain(secret);
  });

  it("the local server on loopback refuses foreign Host values (DNS rebinding) and allows loopback origins", async () => {
    const local = await createLocalHandler(loadConfig({}), { logger: silentLogger });
    const at = (host: string, origin?: string) =>
      local(
        new Request(`http://${host}/mcp`, {
          method: "POST",
          headers: { ...MCP_HEADERS, host, ...(origin === undefined ? {} : { origin }) },
          body: PING,
        }),
      );
    expect((await at("127.0.0.1:3000")).status).toBe(200);
    expect((await at("localhost:3000", "http://localhost:6274")).status).toBe(200);
    expect((await at("[::1]:3000")).status).toBe(200);
    expect((await at("evil.example.com:3000")).status).toBe(403);
    expect((await at("127.0.0.1:3000", "http://evil.example.com")).status).toBe(403);
  });
});

describe("route stage", () => {
  const app = createApp(loadConfig({ MCP_MAX_BODY_BYTES: "2048" }), { logger: silentLogger });
  const handler = async (request: Request) => (await app)(request);

  it("lists media types explicitly in Accept (wildcards do not count; q=0 excludes)", () => {
    expect(accepts("application/json, text/event-stream", "text/event-stream")).toBe(true);
    expect(accepts("Application/JSON;q=0.5", "application/json")).toBe(true);
    expect(accepts("*/*", "application/json")).toBe(false);
    expect(accepts("application/json;q=0", "application/json")).toBe(false);
    expect(accepts(null, "application/json")).toBe(false);
  });

  it("answers GET /health and HEAD /health", async () => {
    const get = await handler(new Request("https://x/health"));
    expect(get.status).toBe(200);
    expect(get.headers.get("cache-control")).toBe("no-store");
    expect((await handler(new Request("https://x/health", { method: "HEAD" }))).status).toBe(200);
  });

  it("allows DELETE only when sessions are on", async () => {
    const stateless = await handler(new Request("https://x/mcp", { method: "DELETE" }));
    expect(stateless.status).toBe(405);
    expect(stateless.headers.get("allow")).toBe("POST");
    const stateful = await createApp(loadConfig({ MCP_SESSION_STORE: "memory" }), { logger: silentLogger });
    const response = await stateful(new Request("https://x/mcp", { method: "GET" }));
    expect(response.headers.get("allow")).toBe("POST, DELETE");
  });

  it("413 from Content-Length before reading, and from the bytes read when there is none", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(4096) } });
    const declared = await handler(new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: big }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
        controller.close();
      },
    });
    await expect(
      readBodyWithLimit(new Request("https://x", { method: "POST", body: stream, duplex: "half" } as RequestInit), 2048),
    ).rejects.toMatchObject({ status: 413 });
  });
});

describe("JSON-RPC body rules", () => {
  it("allows batches only for protocol revisions that had them", () => {
    const batch = JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", method: "notifications/x" },
    ]);
    expect(parseJsonRpcBody(batch, null)).toMatchObject({ isBatch: true, messages: [{ kind: "request" }, { kind: "notification" }] });
    expect(parseJsonRpcBody(batch, "2025-03-26").isBatch).toBe(true);
    expect(() => parseJsonRpcBody(batch, "2025-06-18")).toThrow(/batches are not supported/);
    expect(() => parseJsonRpcBody(batch, "2025-11-25")).toThrow(/batches are not supported/);
  });

  it("classifies requests, notifications and responses", () => {
    expect(parseJsonRpcBody('{"jsonrpc":"2.0","id":"a","method":"initialize","params":{}}', null)).toMatchObject({
      isInitialize: true,
      messages: [{ kind: "request", method: "initialize" }],
    });
    expect(parseJsonRpcBody('{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"m"}}', null).messages[0]!.kind).toBe("response");
  });
});

describe("configuration rules", () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    return [];
  };

  it("auth needs an issuer and client ids; tenant isolation needs auth; dynamodb needs a table", () => {
    expect(problems({ MCP_AUTH_ENABLED: "true" })).toEqual([
      'MCP_JWT_ISSUER=undefined: required when MCP_AUTH_ENABLED="true"',
      'MCP_JWT_CLIENT_IDS=undefined: at least one client id is required when MCP_AUTH_ENABLED="true"',
    ]);
    expect(problems({ MCP_TENANT_ISOLATION: "true" })).toEqual([
      expect.stringMatching(/^MCP_TENANT_ISOLATION="true": needs MCP_AUTH_ENABLED/),
    ]);
    expect(problems({ MCP_SESSION_STORE: "dynamodb" })).toEqual([
      'MCP_SESSION_TABLE_NAME=undefined: required when MCP_SESSION_STORE="dynamodb"',
    ]);
  });

  it("refuses plain-http issuers except on loopback, symmetric algorithms, and redacts the origin secret", () => {
    expect(problems({ MCP_AUTH_ENABLED: "true", MCP_JWT_ISSUER: "http://issuer.example.com", MCP_JWT_CLIENT_IDS: "c" })[0]).toMatch(
      /^MCP_JWT_ISSUER="http:\/\/issuer.example.com": must be an https URL/,
    );
    expect(problems({ MCP_JWT_ALGORITHMS: "HS256" })[0]).toMatch(/^MCP_JWT_ALGORITHMS="HS256": asymmetric JWS algorithms only/);
    expect(problems({ MCP_ORIGIN_VERIFY_SECRET: "short" })).toEqual([
      'MCP_ORIGIN_VERIFY_SECRET="<redacted>": must be at least 16 characters',
    ]);
    expect(problems({ MCP_AUTH_ENABLED: "yes" })).toEqual(['MCP_AUTH_ENABLED="yes": must be "true" or "false"']);
  });

  it("reads the module's variables (empty string = unset) and derives the JWKS URL", () => {
    const config = loadConfig({
      MCP_AUTH_ENABLED: "true",
      MCP_JWT_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
      MCP_JWT_CLIENT_IDS: "abc, def ,",
      MCP_JWT_REQUIRED_SCOPE: "mcp/invoke",
      MCP_SESSION_TABLE_NAME: "sessions",
      MCP_TENANT_ISOLATION: "true",
      MCP_TOOL_CACHE_TABLE_NAME: "",
      MCP_ENVIRONMENT: "prod",
    });
    expect(config.auth).toEqual({
      issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
      clientIds: ["abc", "def"],
      requiredScope: "mcp/invoke",
      jwksUrl: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC/.well-known/jwks.json",
      algorithms: ["RS256"],
      clockToleranceSeconds: 5,
    });
    expect(config).toMatchObject({ sessionStore: "dynamodb", sessionTableName: "sessions", tenantIsolation: true, environment: "prod" });
    expect(config.toolCacheTableName).toBeUndefined();
    expect(loadConfig({ MCP_AUTH_ENABLED: "false", MCP_JWT_ISSUER: "", MCP_JWT_REQUIRED_SCOPE: "" }).auth).toBeUndefined();
  });
});
