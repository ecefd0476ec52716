import { describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import type { RequestContext } from "../../container/src/core/context.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { createLambdaHandler, eventToRequest, isTextContentType, responseToResult } from "../../container/src/lambda/adapter.js";
import { INITIALIZE, httpApiEvent, unauthorizedEvent } from "./fixtures/http-api-events.js";

const config = loadConfig({ LOG_LEVEL: "silent" });
const handler = createLambdaHandler(await createApp(config, { logger: silentLogger }), silentLogger);
const context = { awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" };

/** The JSON-RPC message in a buffered SSE body (`event: message\ndata: {...}`). */
function sseMessages(body: string): Array<Record<string, unknown>> {
  return body
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice("data: ".length)) as Record<string, unknown>);
}

describe("Lambda handler (payload format 2.0)", () => {
  it("answers initialize with 200 and an InitializeResult", async () => {
    const result = await handler(httpApiEvent({ body: INITIALIZE }), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.["content-type"]).toBe("text/event-stream");
    expect(result.isBase64Encoded).toBe(false);
    const [message] = sseMessages(result.body ?? "");
    expect(message).toMatchObject({
      jsonrpc: "2.0",
      id: 1,
      result: { protocolVersion: "2025-06-18", serverInfo: { name: "mcp-server-aws" }, capabilities: { tools: {} } },
    });
    // Stateless: no session is issued.
    expect(result.headers?.["mcp-session-id"]).toBeUndefined();
  });

  it("decodes a base64-encoded body", async () => {
    const result = await handler(httpApiEvent({ body: INITIALIZE, base64: true }), context);
    expect(result.statusCode).toBe(200);
    expect(sseMessages(result.body ?? "")[0]).toMatchObject({ id: 1, result: { serverInfo: { name: "mcp-server-aws" } } });
  });

  it("runs tools/call and returns structured content", async () => {
    const result = await handler(
      httpApiEvent({
        body: { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "cidr_info", arguments: { cidr: "10.1.0.0/16" } } },
        headers: { "mcp-protocol-version": "2025-06-18" },
      }),
      context,
    );
    expect(result.statusCode).toBe(200);
    const [message] = sseMessages(result.body ?? "");
    expect(message).toMatchObject({
      id: 7,
      result: { structuredContent: { network_address: "10.1.0.0", total_addresses: 65536, aws_usable_hosts: 65531 } },
    });
  });

  it("answers JSON when MCP_RESPONSE_MODE=json", async () => {
    const json = createLambdaHandler(await createApp(loadConfig({ MCP_RESPONSE_MODE: "json" }), { logger: silentLogger }), silentLogger);
    const result = await json(httpApiEvent({ body: INITIALIZE }), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.["content-type"]).toBe("application/json");
    expect(JSON.parse(result.body ?? "")).toMatchObject({ id: 1, result: { serverInfo: { name: "mcp-server-aws" } } });
  });

  it("answers a notification with 202 and an empty body", async () => {
    const result = await handler(
      httpApiEvent({ body: { jsonrpc: "2.0", method: "notifications/initialized" }, headers: { "mcp-protocol-version": "2025-06-18" } }),
      context,
    );
    expect(result.statusCode).toBe(202);
    expect(result.body).toBe("");
  });

  it("answers GET and DELETE with 405 and Allow: POST", async () => {
    for (const method of ["GET", "DELETE"]) {
      const result = await handler(httpApiEvent({ method }), context);
      expect(result.statusCode).toBe(405);
      expect(result.headers?.allow).toBe("POST");
      expect(JSON.parse(result.body ?? "")).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null });
    }
  });

  it("answers 404 for other paths, and strips a named stage from rawPath", async () => {
    expect((await handler(httpApiEvent({ rawPath: "/other", body: INITIALIZE }), context)).statusCode).toBe(404);
    const staged = await handler(httpApiEvent({ rawPath: "/prod/mcp", stage: "prod", body: INITIALIZE }), context);
    expect(staged.statusCode).toBe(200);
  });

  it("passes the JWT authorizer's claims and scopes into the RequestContext, not via headers", async () => {
    const seen: RequestContext[] = [];
    const spying = createLambdaHandler(
      await createApp(config, {
        logger: silentLogger,
        stages: {
          authentication: async (ctx, next) => {
            seen.push(ctx);
            return next();
          },
        },
      }),
      silentLogger,
    );
    const claims = { sub: "user-42", client_id: "client-abc", token_use: "access", tenant_id: "t-1" };
    const event = httpApiEvent({ body: INITIALIZE, claims, scopes: ["mcp/tools", "mcp/admin"] });
    const result = await spying(event, context);
    expect(result.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorizer).toEqual({ claims, scopes: ["mcp/tools", "mcp/admin"] });
    expect(seen[0]?.requestId).toBe("JKJaXmPLvHcESHA=");
    expect(seen[0]?.sourceIp).toBe("205.255.255.176");
    // Nothing was added to the request headers: the request carries exactly the event's headers.
    const names: string[] = [];
    seen[0]?.request.headers.forEach((_value, name) => names.push(name));
    expect(names.sort()).toEqual(Object.keys(event.headers).sort());

    seen.length = 0;
    await spying(unauthorizedEvent({ body: INITIALIZE }), context);
    expect(seen[0]?.authorizer).toBeUndefined();
  });

  it("answers 500 without detail for an event that is not payload 2.0", async () => {
    const result = await handler({ httpMethod: "POST", path: "/mcp" } as never, context);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body ?? "")).toEqual({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null });
  });

  it("the module entry point (the image's index.handler) serves events", async () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "silent";
    try {
      const entry = await import("../../container/src/lambda/index.js");
      const result = await entry.handler(httpApiEvent({ body: INITIALIZE }), context);
      expect(result.statusCode).toBe(200);
      expect(sseMessages(result.body ?? "")[0]).toMatchObject({ id: 1, result: { serverInfo: { name: "mcp-server-aws" } } });
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });
});

describe("eventToRequest", () => {
  it("builds method, URL, headers, cookies and body from the event", async () => {
    const request = eventToRequest(
      httpApiEvent({
        rawQueryString: "parameter1=value1&parameter1=value2&parameter2=value",
        cookies: ["cookie1=a", "cookie2=b"],
        headers: { "x-multi": "one,two" },
        body: "hello",
      }),
    );
    expect(request.method).toBe("POST");
    expect(request.url).toBe(
      "https://r3pmxmplak.execute-api.us-east-2.amazonaws.com/mcp?parameter1=value1&parameter1=value2&parameter2=value",
    );
    expect(request.headers.get("cookie")).toBe("cookie1=a; cookie2=b");
    expect(request.headers.get("x-multi")).toBe("one,two");
    expect(request.headers.get("accept")).toBe("application/json, text/event-stream");
    expect(await request.text()).toBe("hello");
  });

  it("decodes binary base64 bodies byte for byte", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
    const event = { ...httpApiEvent(), body: bytes.toString("base64"), isBase64Encoded: true };
    const request = eventToRequest(event);
    expect(Buffer.from(await request.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("strips only a named stage prefix", () => {
    expect(new URL(eventToRequest(httpApiEvent({ method: "GET", rawPath: "/dev/mcp", stage: "dev" })).url).pathname).toBe("/mcp");
    expect(new URL(eventToRequest(httpApiEvent({ method: "GET", rawPath: "/dev/mcp", stage: "$default" })).url).pathname).toBe("/dev/mcp");
    expect(new URL(eventToRequest(httpApiEvent({ method: "GET", rawPath: "/devices/mcp", stage: "dev" })).url).pathname).toBe(
      "/devices/mcp",
    );
  });
});

describe("responseToResult", () => {
  it("moves Set-Cookie headers to cookies and keeps other headers", async () => {
    const headers = new Headers({ "content-type": "application/json", "x-one": "1" });
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; HttpOnly");
    const result = await responseToResult(new Response('{"ok":true}', { status: 201, headers }));
    expect(result).toEqual({
      statusCode: 201,
      headers: { "content-type": "application/json", "x-one": "1" },
      body: '{"ok":true}',
      isBase64Encoded: false,
      cookies: ["a=1; Path=/", "b=2; HttpOnly"],
    });
  });

  it("base64-encodes binary bodies", async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 0, 255]);
    const result = await responseToResult(new Response(bytes, { headers: { "content-type": "image/png" } }));
    expect(result.isBase64Encoded).toBe(true);
    expect(Buffer.from(result.body ?? "", "base64")).toEqual(Buffer.from(bytes));
    expect(result.cookies).toBeUndefined();
  });

  it("classifies text content types", () => {
    expect(isTextContentType("text/event-stream")).toBe(true);
    expect(isTextContentType("application/json; charset=utf-8")).toBe(true);
    expect(isTextContentType("application/problem+json")).toBe(true);
    expect(isTextContentType("application/octet-stream")).toBe(false);
    expect(isTextContentType(null)).toBe(false);
  });
});

describe("Lambda adapter: one copy of the body each way", () => {
  it("hands a text body to the core directly and keeps base64 bodies in the Request", async () => {
    const detached = eventToRequest(httpApiEvent({ body: INITIALIZE }), { detachTextBody: true });
    expect(detached.body).toBe(JSON.stringify(INITIALIZE));
    expect(detached.request.body).toBeNull();
    const binary = eventToRequest(httpApiEvent({ body: INITIALIZE, base64: true }), { detachTextBody: true });
    expect(binary.body).toBeUndefined();
    expect(await binary.request.json()).toEqual(INITIALIZE);
    // Without the option: the Request carries the body, as before.
    expect(await eventToRequest(httpApiEvent({ body: INITIALIZE })).json()).toEqual(INITIALIZE);
  });

  it("enforces the body limit on a detached body (413) as on a streamed one", async () => {
    const small = createLambdaHandler(
      await createApp(loadConfig({ LOG_LEVEL: "silent", MCP_MAX_BODY_BYTES: "1024" }), { logger: silentLogger }),
      silentLogger,
    );
    const big = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: "x".repeat(2000) } };
    const event = httpApiEvent({ body: big });
    delete (event.headers as Record<string, string | undefined>)["content-length"];
    const result = await small(event, context);
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body!)).toEqual({
      jsonrpc: "2.0",
      error: { code: -32000, message: "Payload too large: the body exceeds 1024 bytes" },
      id: null,
    });
  });

  it("returns the buffered MCP body without reading it a second time", async () => {
    const { bufferResponse } = await import("../../container/src/core/stages/mcp.js");
    const buffered = await bufferResponse(
      new Response("event: message\ndata: {}\n\n", { headers: { "content-type": "text/event-stream" } }),
    );
    const result = await responseToResult(buffered);
    expect(result.body).toBe("event: message\ndata: {}\n\n");
    expect(buffered.bodyUsed).toBe(false);
    // Any other Response is read as before.
    const plain = new Response("plain", { headers: { "content-type": "text/plain" } });
    expect((await responseToResult(plain)).body).toBe("plain");
    expect(plain.bodyUsed).toBe(true);
  });
});
