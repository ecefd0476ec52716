import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { startLocalServer, type LocalServer } from "../../container/src/local/server.js";

const config = loadConfig({ LOG_LEVEL: "silent" });
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, host: "127.0.0.1", config, handler: await createApp(config, { logger: silentLogger }) });
});
afterAll(async () => {
  await server.close();
});

const textOf = (result: CallToolResult): string => result.content.map((block) => (block.type === "text" ? block.text : "")).join("");

describe("local server", () => {
  it("reports the port it actually bound", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url.href).toBe(`http://127.0.0.1:${server.port}/mcp`);
  });
});

describe("MCP SDK client against the local server", () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: "vitest", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(server.url));
  });
  afterAll(async () => {
    await client.close();
  });

  it("initializes: server info and tools capability", () => {
    expect(client.getServerVersion()).toEqual({ name: "mcp-server-aws", version: "0.1.0" });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
  });

  it("lists the tools with their input schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["parse_arn", "cidr_info"]);
    const [parseArn, cidrInfo] = tools;
    expect(parseArn?.inputSchema.properties).toHaveProperty("arn");
    expect(parseArn?.inputSchema.required).toEqual(["arn"]);
    expect(Object.keys(cidrInfo?.inputSchema.properties ?? {}).sort()).toEqual(["cidr", "ip"]);
    expect(cidrInfo?.inputSchema.required).toEqual(["cidr"]);
    expect(cidrInfo?.outputSchema?.properties).toHaveProperty("aws_usable_hosts");
    expect(parseArn?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
  });

  it("calls parse_arn", async () => {
    const result = (await client.callTool({
      name: "parse_arn",
      arguments: { arn: "arn:aws:lambda:eu-west-1:123456789012:function:my-fn:PROD" },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      partition: "aws",
      service: "lambda",
      region: "eu-west-1",
      account_id: "123456789012",
      resource_type: "function",
      resource_id: "my-fn:PROD",
      resource_delimiter: ":",
    });
    expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
  });

  it("calls cidr_info", async () => {
    const result = (await client.callTool({
      name: "cidr_info",
      arguments: { cidr: "192.168.10.0/28", ip: "192.168.10.20" },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      network_address: "192.168.10.0",
      broadcast_address: "192.168.10.15",
      netmask: "255.255.255.240",
      usable_hosts: 14,
      aws_usable_hosts: 11,
      ip_in_block: false,
      rfc1918_private: true,
    });
  });

  it("reports invalid arguments as a tool error (isError), per the SDK's behaviour", async () => {
    const wrongType = (await client.callTool({ name: "cidr_info", arguments: { cidr: 24 } })) as CallToolResult;
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/Input validation error/);

    const badValue = (await client.callTool({ name: "parse_arn", arguments: { arn: "arn:aws:s3" } })) as CallToolResult;
    expect(badValue.isError).toBe(true);
    expect(textOf(badValue)).toMatch(/6 colon-separated fields/);
  });

  it("answers a call of an unknown tool with JSON-RPC -32602 (2025-11-25 server/tools, Error Handling)", async () => {
    await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining("Unknown tool"),
    });
  });
});

describe("raw HTTP against the local server", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body,
    });

  it("GET /mcp is 405 with Allow", async () => {
    const response = await fetch(server.url, { headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null });
  });

  it("DELETE /mcp is 405 (stateless: no session to end)", async () => {
    const response = await fetch(server.url, { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("a notification-only POST is 202 with an empty body", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), {
      "mcp-protocol-version": "2025-06-18",
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
  });

  it("malformed JSON is 400 with JSON-RPC parse error -32700", async () => {
    const response = await post('{"jsonrpc":"2.0",');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number }; id: unknown };
    expect(body.error.code).toBe(-32700);
    expect(body.id).toBeNull();
  });

  it("an Accept header without text/event-stream is 406", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { accept: "application/json" });
    expect(response.status).toBe(406);
  });

  it("an unknown path is 404 JSON", async () => {
    const response = await fetch(new URL("/nope", server.url), { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Not Found" }, id: null });
  });
});
