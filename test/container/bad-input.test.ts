/**
 * Bad-input corpus: malformed, hostile or out-of-protocol requests, each with the exact HTTP status and
 * JSON-RPC error the server must answer, sent over loopback HTTP to the local server and through the
 * Lambda adapter (HTTP API shim). After the corpus, a full MCP session still works: the process keeps
 * serving. The server runs with everything on: in-function JWT auth (oidc-provider tokens), tenant
 * isolation, in-memory sessions, an Origin allow-list and a 64 KiB body limit.
 */
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../container/src/config.js";
import { baseClaims, MCP_SCOPE, RESOURCE, startAuthorizationServer, type AuthorizationServer } from "./support/oidc.js";
import { messagesOf, rawRequest, startTarget, type RawResponse, type RunningServer, type Target } from "./support/servers.js";

const LIMIT = 64 * 1024;
const ACCEPT = "application/json, text/event-stream";
const PROTOCOL = "2025-06-18";
const init = (id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "corpus", version: "1" } },
});

let as: AuthorizationServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  as = await startAuthorizationServer([
    { clientId: "client-a", secret: "secret-a", tenantId: "tenant-a" },
    { clientId: "client-b", secret: "secret-b", tenantId: "tenant-b" },
    { clientId: "client-noscope", secret: "secret-n", tenantId: "tenant-a", scope: "other/read" },
    { clientId: "client-notenant", secret: "secret-t" },
  ]);
  tokens.a = await as.token("client-a");
  tokens.b = await as.token("client-b");
  tokens.noscope = await as.token("client-noscope", "other/read");
  tokens.notenant = await as.token("client-notenant");
  const other = await generateKeyPair("RS256");
  const now = Math.floor(Date.now() / 1000);
  tokens.foreignKey = await new SignJWT(baseClaims(as.issuer, "client-a", { tenant_id: "tenant-a" }))
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .sign(other.privateKey);
  tokens.expired = await as.sign(baseClaims(as.issuer, "client-a", { tenant_id: "tenant-a", iat: now - 7200, exp: now - 3600 }));
  tokens.wrongIssuer = await as.sign(baseClaims("https://evil.example.com", "client-a", { tenant_id: "tenant-a" }));
  const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
  tokens.algNone = `${header}.${Buffer.from(JSON.stringify(baseClaims(as.issuer, "client-a", { tenant_id: "tenant-a" }))).toString("base64url")}.`;
});
afterAll(async () => {
  await as?.close();
});

interface Case {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  /** Header overrides; `null` removes a default header. */
  readonly headers?: Record<string, string | null>;
  readonly body?: unknown;
  /** Raw body (sent verbatim). */
  readonly raw?: string | Buffer;
  readonly chunked?: boolean;
  readonly useSession?: "own" | "other-tenant" | "none";
  readonly status: number;
  /** JSON-RPC error code in the body (HTTP-level error body, or the JSON-RPC response for 200). */
  readonly code?: number;
  /** Substring the WWW-Authenticate header must contain. */
  readonly wwwAuthenticate?: string;
  readonly allow?: string;
  /** A 200 whose JSON-RPC result is a tool error (`isError: true`). */
  readonly toolError?: boolean;
}

const bigBody = () => JSON.stringify({ ...init(9), params: { ...init(9).params, padding: "x".repeat(LIMIT) } });
const listTools = { jsonrpc: "2.0", id: 2, method: "tools/list" };

const CASES: readonly Case[] = [
  // Routing (route stage)
  { name: "GET /mcp (no server-initiated stream on Lambda)", method: "GET", status: 405, code: -32000, allow: "POST, DELETE" },
  { name: "PUT /mcp", method: "PUT", body: listTools, status: 405, code: -32000, allow: "POST, DELETE" },
  { name: "PATCH /mcp", method: "PATCH", body: listTools, status: 405, code: -32000 },
  { name: "OPTIONS /mcp without Origin", method: "OPTIONS", status: 405, code: -32000 },
  { name: "trailing slash /mcp/", path: "/mcp/", body: listTools, status: 404, code: -32000 },
  { name: "upper-case path /MCP", path: "/MCP", body: listTools, status: 404, code: -32000 },
  { name: "unknown path /", path: "/", method: "GET", status: 404, code: -32000 },
  { name: "path traversal /mcp/../admin", path: "/mcp/../admin", body: listTools, status: 404, code: -32000 },
  { name: "POST /health", path: "/health", body: listTools, status: 405, code: -32000, allow: "GET, HEAD" },
  // Transport headers (route stage)
  { name: "no Accept", headers: { accept: null }, body: listTools, status: 406, code: -32000 },
  { name: "Accept: application/json only", headers: { accept: "application/json" }, body: listTools, status: 406, code: -32000 },
  { name: "Accept: text/event-stream only", headers: { accept: "text/event-stream" }, body: listTools, status: 406, code: -32000 },
  { name: "Accept: */*", headers: { accept: "*/*" }, body: listTools, status: 406, code: -32000 },
  {
    name: "Accept with q=0 for SSE",
    headers: { accept: "application/json, text/event-stream;q=0" },
    body: listTools,
    status: 406,
    code: -32000,
  },
  { name: "no Content-Type", headers: { "content-type": null }, body: listTools, status: 415, code: -32000 },
  { name: "Content-Type: text/plain", headers: { "content-type": "text/plain" }, body: listTools, status: 415, code: -32000 },
  { name: "Content-Type: application/jsonx", headers: { "content-type": "application/jsonx" }, body: listTools, status: 415, code: -32000 },
  {
    name: "unsupported MCP-Protocol-Version",
    headers: { "mcp-protocol-version": "1999-01-01" },
    body: listTools,
    status: 400,
    code: -32000,
  },
  { name: "garbage MCP-Protocol-Version", headers: { "mcp-protocol-version": "latest" }, body: listTools, status: 400, code: -32000 },
  { name: "Content-Length above the limit", raw: bigBody(), status: 413, code: -32000 },
  { name: "chunked body above the limit (no Content-Length)", raw: bigBody(), chunked: true, status: 413, code: -32000 },
  // Origin (origin stage)
  { name: "foreign Origin", headers: { origin: "https://evil.example" }, body: listTools, status: 403, code: -32000 },
  { name: "Origin: null", headers: { origin: "null" }, body: listTools, status: 403, code: -32000 },
  { name: "look-alike Origin", headers: { origin: "https://app.example.com.evil.example" }, body: listTools, status: 403, code: -32000 },
  { name: "allowed host, wrong scheme", headers: { origin: "http://app.example.com" }, body: listTools, status: 403, code: -32000 },
  // Authentication (RFC 6750 / RFC 9728 challenges)
  {
    name: "no Authorization",
    headers: { authorization: null },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: 'resource_metadata="',
  },
  {
    name: "Basic credentials",
    headers: { authorization: "Basic YTpi" },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: "resource_metadata",
  },
  {
    name: "Bearer without a token",
    headers: { authorization: "Bearer" },
    body: listTools,
    status: 400,
    code: -32000,
    wwwAuthenticate: 'error="invalid_request"',
  },
  {
    name: "Bearer with two tokens",
    headers: { authorization: "Bearer abc def" },
    body: listTools,
    status: 400,
    code: -32000,
    wwwAuthenticate: 'error="invalid_request"',
  },
  {
    name: "token in the query string",
    path: "/mcp?access_token=abc",
    body: listTools,
    status: 400,
    code: -32000,
    wwwAuthenticate: 'error="invalid_request"',
  },
  {
    name: "not a JWT",
    headers: { authorization: "Bearer abc" },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: 'error="invalid_token"',
  },
  {
    name: "signed with a foreign key",
    headers: { authorization: "@foreignKey" },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: 'error="invalid_token"',
  },
  {
    name: "expired token",
    headers: { authorization: "@expired" },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: 'error_description="token expired"',
  },
  {
    name: "alg none",
    headers: { authorization: "@algNone" },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: 'error="invalid_token"',
  },
  {
    name: "wrong issuer",
    headers: { authorization: "@wrongIssuer" },
    body: listTools,
    status: 401,
    code: -32000,
    wwwAuthenticate: 'error_description="unexpected issuer"',
  },
  {
    name: "token without the mcp scope",
    headers: { authorization: "@noscope" },
    body: listTools,
    status: 403,
    code: -32000,
    wwwAuthenticate: 'error="insufficient_scope"',
  },
  { name: "token without a tenant claim", headers: { authorization: "@notenant" }, body: listTools, status: 403, code: -32000 },
  // Body (JSON-RPC 2.0 validation)
  { name: "empty body", raw: "", status: 400, code: -32700 },
  { name: "truncated JSON", raw: '{"jsonrpc":"2.0",', status: 400, code: -32700 },
  { name: "binary garbage", raw: Buffer.from([0xff, 0xfe, 0x00, 0x01]), status: 400, code: -32700 },
  { name: "JSON string", body: "hello", status: 400, code: -32600 },
  { name: "JSON number", body: 42, status: 400, code: -32600 },
  { name: "JSON null", body: null, status: 400, code: -32600 },
  { name: 'jsonrpc "1.0"', body: { ...listTools, jsonrpc: "1.0" }, status: 400, code: -32600 },
  { name: "no jsonrpc member", body: { id: 1, method: "tools/list" }, status: 400, code: -32600 },
  { name: "method not a string", body: { jsonrpc: "2.0", id: 1, method: 7 }, status: 400, code: -32600 },
  { name: "id is an object", body: { jsonrpc: "2.0", id: { a: 1 }, method: "tools/list" }, status: 400, code: -32600 },
  { name: "id is null", body: { jsonrpc: "2.0", id: null, method: "tools/list" }, status: 400, code: -32600 },
  { name: "id is a fraction", body: { jsonrpc: "2.0", id: 1.5, method: "tools/list" }, status: 400, code: -32600 },
  { name: "params is an array", body: { jsonrpc: "2.0", id: 1, method: "tools/list", params: [] }, status: 400, code: -32600 },
  {
    name: "response with both result and error",
    body: { jsonrpc: "2.0", id: 1, result: {}, error: { code: 1, message: "x" } },
    status: 400,
    code: -32600,
  },
  { name: "batch under 2025-06-18", body: [listTools, listTools], status: 400, code: -32600 },
  { name: "empty batch (no protocol header)", headers: { "mcp-protocol-version": null }, body: [], status: 400, code: -32600 },
  {
    name: "initialize inside a batch",
    headers: { "mcp-protocol-version": null },
    body: [init(1), listTools],
    useSession: "none",
    status: 400,
    code: -32600,
  },
  {
    name: "10 000 nested arrays",
    headers: { "mcp-protocol-version": null },
    raw: "[".repeat(10_000) + "]".repeat(10_000),
    status: 400,
    code: -32600,
  },
  // Sessions
  { name: "no Mcp-Session-Id after initialize", useSession: "none", body: listTools, status: 400, code: -32000 },
  { name: "unknown Mcp-Session-Id", headers: { "mcp-session-id": "does-not-exist" }, body: listTools, status: 404, code: -32001 },
  {
    name: "Mcp-Session-Id longer than 128 characters",
    headers: { "mcp-session-id": "a".repeat(129) },
    body: listTools,
    status: 400,
    code: -32000,
  },
  { name: "another tenant's session id", useSession: "other-tenant", body: listTools, status: 404, code: -32001 },
  { name: "DELETE without a session id", method: "DELETE", useSession: "none", status: 400, code: -32000 },
  { name: "DELETE an unknown session", method: "DELETE", headers: { "mcp-session-id": "nope" }, status: 404, code: -32001 },
  // Valid HTTP: a JSON-RPC error, or a tool error result (spec 2025-11-25: input validation errors are tool errors), in a 200 answer
  { name: "unknown method", body: { jsonrpc: "2.0", id: 5, method: "no/such" }, status: 200, code: -32601 },
  // Unknown tools are protocol errors (2025-11-25 server/tools, Error Handling); invalid arguments stay tool errors.
  {
    name: "tools/call of an unknown tool",
    body: { jsonrpc: "2.0", id: 6, method: "tools/call", params: { name: "no_such_tool", arguments: {} } },
    status: 200,
    code: -32602,
  },
  // Params failing the method's schema: -32602 with a short message (JSON-RPC 2.0 section 5.1)
  {
    name: "initialize without params",
    body: { jsonrpc: "2.0", id: 20, method: "initialize" },
    useSession: "none",
    status: 200,
    code: -32602,
  },
  {
    name: "initialize with a numeric protocolVersion",
    body: { jsonrpc: "2.0", id: 21, method: "initialize", params: { ...init(21).params, protocolVersion: 20250618 } },
    useSession: "none",
    status: 200,
    code: -32602,
  },
  {
    name: "tools/call without a name",
    body: { jsonrpc: "2.0", id: 22, method: "tools/call", params: { arguments: {} } },
    status: 200,
    code: -32602,
  },
  {
    name: "tools/call with a numeric name",
    body: { jsonrpc: "2.0", id: 23, method: "tools/call", params: { name: 42 } },
    status: 200,
    code: -32602,
  },
  {
    name: "tools/call with arguments as a string",
    body: { jsonrpc: "2.0", id: 24, method: "tools/call", params: { name: "parse_arn", arguments: "arn" } },
    status: 200,
    code: -32602,
  },
  // This server never paginates, so every cursor is invalid (2025-11-25 utilities/pagination, Error Handling)
  {
    name: "tools/list with a garbage cursor",
    body: { jsonrpc: "2.0", id: 25, method: "tools/list", params: { cursor: "!!garbage!!" } },
    status: 200,
    code: -32602,
  },
  // Media types are case-insensitive (RFC 9110 section 8.3.1)
  {
    name: "Accept and Content-Type in upper case",
    headers: { accept: "Application/JSON, Text/Event-Stream", "content-type": "Application/JSON" },
    body: listTools,
    status: 200,
  },
  // JSON is UTF-8 (RFC 8259 section 8.1): invalid and overlong sequences are a parse error, not U+FFFD
  {
    name: "invalid UTF-8 in the body",
    raw: Buffer.concat([
      Buffer.from('{"jsonrpc":"2.0","id":26,"method":"tools/list","params":{"_meta":{"x":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}}'),
    ]),
    status: 400,
    code: -32700,
  },
  {
    name: "overlong UTF-8 in the body",
    raw: Buffer.concat([
      Buffer.from('{"jsonrpc":"2.0","id":27,"method":"tools/list","params":{"_meta":{"x":"'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from('"}}}'),
    ]),
    status: 400,
    code: -32700,
  },
  {
    name: "tools/call with a wrong argument type",
    body: { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "parse_arn", arguments: { arn: 42 } } },
    status: 200,
    toolError: true,
  },
  // Accepted without an answer body
  { name: "notification only", body: { jsonrpc: "2.0", method: "notifications/initialized" }, status: 202 },
  { name: "response only", body: { jsonrpc: "2.0", id: 77, result: {} }, status: 202 },
];

describe.each<Target>(["local", "lambda"])("bad-input corpus via %s", (target) => {
  let server: RunningServer;
  const sessions: Record<string, string> = {};

  async function initialize(token: string): Promise<string> {
    const response = await rawRequest(server.url, {
      headers: { accept: ACCEPT, "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(init()),
    });
    expect(response.status).toBe(200);
    return String(response.headers["mcp-session-id"]);
  }

  beforeAll(async () => {
    const config = loadConfig({
      LOG_LEVEL: "silent",
      MCP_AUTH_ENABLED: "true",
      MCP_JWT_ISSUER: as.issuer,
      MCP_JWT_CLIENT_IDS: "client-a,client-b,client-noscope,client-notenant",
      MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
      MCP_RESOURCE_URL: RESOURCE,
      MCP_TENANT_ISOLATION: "true",
      MCP_SESSION_STORE: "memory",
      MCP_ALLOWED_ORIGINS: "https://app.example.com",
      MCP_MAX_BODY_BYTES: String(LIMIT),
    });
    server = await startTarget(target, config);
    sessions.a = await initialize(tokens.a!);
    sessions.b = await initialize(tokens.b!);
  });
  afterAll(async () => {
    await server?.close();
  });

  function send(c: Case): Promise<RawResponse> {
    const headers: Record<string, string | null> = {
      accept: ACCEPT,
      "content-type": "application/json",
      "mcp-protocol-version": PROTOCOL,
      authorization: `Bearer ${tokens.a}`,
      ...(c.useSession === "none" ? {} : { "mcp-session-id": c.useSession === "other-tenant" ? sessions.b! : sessions.a! }),
      ...c.headers,
    };
    const final: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) continue;
      final[name] = value.startsWith("@") ? `Bearer ${tokens[value.slice(1)]}` : value;
    }
    const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
    return rawRequest(server.url, {
      method: c.method ?? "POST",
      ...(c.path === undefined ? {} : { path: c.path }),
      headers: final,
      body,
      chunked: c.chunked ?? false,
    });
  }

  it(`has at least 40 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const response = await send(c);
    expect({ status: response.status }).toEqual({ status: c.status });
    if (c.code !== undefined) {
      const [message] = messagesOf(response);
      expect(message?.error).toMatchObject({ code: c.code });
      if (c.status !== 200) expect(message).toMatchObject({ jsonrpc: "2.0", id: null });
      // A short message, never a validation library's dump.
      expect(String((message?.error as { message?: unknown } | undefined)?.message).length).toBeLessThan(160);
    }
    if (c.toolError) expect(messagesOf(response)[0]).toMatchObject({ result: { isError: true } });
    if (c.status === 202) expect(response.body).toBe("");
    if (c.wwwAuthenticate !== undefined) expect(String(response.headers["www-authenticate"])).toContain(c.wwwAuthenticate);
    if (c.allow !== undefined) expect(response.headers.allow).toBe(c.allow);
    // Nothing internal leaks: no stack traces in any answer.
    expect(response.body).not.toMatch(/\n\s+at /);
  });

  it("keeps serving after the corpus: a new session initializes, calls a tool and ends", async () => {
    const session = await initialize(tokens.a!);
    const headers = {
      accept: ACCEPT,
      "content-type": "application/json",
      "mcp-protocol-version": PROTOCOL,
      authorization: `Bearer ${tokens.a}`,
      "mcp-session-id": session,
    };
    const call = await rawRequest(server.url, {
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/24" } },
      }),
    });
    expect(call.status).toBe(200);
    expect(messagesOf(call)[0]).toMatchObject({ id: 3, result: { structuredContent: { total_addresses: 256 } } });
    expect((await rawRequest(server.url, { method: "DELETE", headers })).status).toBe(204);
    expect((await rawRequest(server.url, { headers, body: JSON.stringify(listTools) })).status).toBe(404);
  });
});
