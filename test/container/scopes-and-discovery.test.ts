/**
 * The MCP core's step-up rule (a tool's `requiredScopes`: 403 `insufficient_scope`, MCP 2025-11-25
 * Authorization, "Scope Challenge Handling") and the public discovery documents' CORS rule (`/.well-known/*`
 * reads skip the Origin allow-list; the MCP endpoint keeps it), on the web-standard handler that both
 * the Lambda adapter and the local server wrap.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createMcpHandler } from "../../container/src/core/handler.js";
import { authenticationStage, protectedResourceMetadata } from "../../container/src/core/stages/authentication.js";
import { originStage } from "../../container/src/core/stages/origin.js";
import { defineTool } from "../../container/src/core/tools.js";
import type { TokenVerifier } from "../../container/src/core/auth/types.js";
import { createLambdaHandler } from "../../container/src/lambda/adapter.js";
import { httpApiEvent } from "./fixtures/http-api-events.js";

const RESOURCE = "https://mcp.example.com/mcp";
const echo = defineTool({
  name: "echo",
  config: { inputSchema: z.object({ text: z.string() }) },
  handler: ({ text }) => ({ content: [{ type: "text", text }] }),
});
const admin = defineTool({
  name: "admin_task",
  config: {},
  requiredScopes: ["mcp/admin"],
  handler: () => ({ content: [{ type: "text", text: "done" }] }),
});
/** Accepts `scopes.<scope>+<scope>` (token68 characters) as a token with those scopes. */
const verify: TokenVerifier = async (token) => ({
  token,
  claims: {},
  clientId: "c",
  subject: "s",
  scopes: token
    .slice("scopes.".length)
    .split("+")
    .filter((s) => s !== ""),
  expiresAt: Math.floor(Date.now() / 1000) + 600,
});
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const handler = createMcpHandler({
  serverName: "t",
  serverVersion: "1",
  tools: [echo, admin],
  logger: silent,
  responseMode: "json",
  protectedResourceMetadata: (ctx) =>
    protectedResourceMetadata(ctx, { path: "/mcp", resourceUrl: RESOURCE, issuer: "https://mcp.example.com", requiredScope: "mcp/invoke" }),
  stages: {
    origin: originStage({ allowedOrigins: [] }),
    authentication: authenticationStage({
      verify,
      requiredScope: "mcp/invoke",
      path: "/mcp",
      resourceUrl: RESOURCE,
      toolScopes: new Map([[admin.name, admin.requiredScopes!]]),
    }),
  },
});

const call = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  handler(
    new Request(RESOURCE, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(body),
    }),
  );
const toolCall = (name: string, args: Record<string, unknown> = {}, id = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

describe("step-up for tools that need a scope", () => {
  it("answers 403 insufficient_scope naming the scopes the call needs and the metadata URL", async () => {
    const response = await call("scopes.mcp/invoke", toolCall("admin_task"));
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer error="insufficient_scope", error_description="tool admin_task requires scope mcp/admin", scope="mcp/invoke mcp/admin", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe("Forbidden: the tool admin_task needs the scope mcp/admin");
  });

  it("lets the same token call tools without an extra scope, and a token with the scope call the tool", async () => {
    expect((await call("scopes.mcp/invoke", toolCall("echo", { text: "hi" }))).status).toBe(200);
    const allowed = await call("scopes.mcp/invoke+mcp/admin", toolCall("admin_task"));
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("done");
  });

  it("checks every call of a JSON-RPC batch (protocol 2025-03-26)", async () => {
    const response = await call("scopes.mcp/invoke", [toolCall("echo", { text: "a" }, 1), toolCall("admin_task", {}, 2)], {
      "mcp-protocol-version": "2025-03-26",
    });
    expect(response.status).toBe(403);
  });

  it("keeps the server-wide scope rule first: a token without it gets 403 for it, not for the tool", async () => {
    const response = await call("scopes.mcp/admin", toolCall("admin_task"));
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('error_description="scope mcp/invoke required"');
  });
});

describe("public discovery documents and the Origin allow-list", () => {
  const prm = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";
  it("answers GET and HEAD from any Origin with CORS * and no credentials", async () => {
    for (const method of ["GET", "HEAD"]) {
      const response = await handler(new Request(prm, { method, headers: { origin: "http://localhost:6274" } }));
      expect(response.status, method).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("answers the browser's preflight for a metadata fetch with MCP-Protocol-Version", async () => {
    const response = await handler(
      new Request(prm, {
        method: "OPTIONS",
        headers: {
          origin: "https://inspector.example",
          "access-control-request-method": "GET",
          "access-control-request-headers": "mcp-protocol-version",
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");
  });

  it("keeps the Origin check for writes to well-known paths and for the MCP endpoint", async () => {
    const write = await handler(new Request(prm, { method: "POST", headers: { origin: "https://evil.example" }, body: "{}" }));
    expect(write.status).toBe(403);
    const mcp = await call("scopes.mcp/invoke", toolCall("echo", { text: "x" }), { origin: "https://evil.example" });
    expect(mcp.status).toBe(403);
    expect(mcp.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("the same rules behind the Lambda adapter (payload format 2.0)", () => {
  const lambda = createLambdaHandler(handler, silent);
  const context = { awsRequestId: "r1" };

  it("answers the step-up challenge and the metadata's CORS exactly as the core does", async () => {
    const refused = await lambda(
      httpApiEvent({ body: toolCall("admin_task"), headers: { authorization: "Bearer scopes.mcp/invoke" } }),
      context,
    );
    expect(refused.statusCode).toBe(403);
    const challenge = Object.entries(refused.headers ?? {}).find(([k]) => k.toLowerCase() === "www-authenticate")?.[1];
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp/invoke mcp/admin"');

    const metadata = await lambda(
      httpApiEvent({ method: "GET", rawPath: "/.well-known/oauth-protected-resource/mcp", headers: { origin: "http://localhost:6274" } }),
      context,
    );
    expect(metadata.statusCode).toBe(200);
    expect(Object.entries(metadata.headers ?? {}).find(([k]) => k.toLowerCase() === "access-control-allow-origin")?.[1]).toBe("*");
  });
});
