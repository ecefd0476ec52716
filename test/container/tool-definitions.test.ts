/**
 * Tools as data (container/src/core/tools.ts): what the server publishes and runs comes from the
 * definitions, the tool-result cache wraps a cacheable tool's handler, and `createApp` offers the
 * configured tool list and no other.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { createMcpHandler, defineTool, silentLogger, type RequestContext } from "../../container/src/core/index.js";
import { withToolCache, type ToolCache } from "../../container/src/tools/cache.js";
import { tools } from "../../container/src/tools/index.js";
import { MCP_HEADERS, toolCall } from "./support/tenants.js";

const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list" };
const post = (handler: (request: Request) => Promise<Response>, body: unknown) =>
  handler(
    new Request("https://x/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify(body),
    }),
  );

/** The JSON-RPC messages of a buffered SSE or JSON answer. */
async function messages(response: Response): Promise<Array<Record<string, unknown>>> {
  const text = await response.text();
  if (response.headers.get("content-type")?.startsWith("application/json")) return [JSON.parse(text) as Record<string, unknown>];
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

/** A ToolCache in memory that records every put. */
function memoryCache(): ToolCache & { puts: Array<{ tool: string; ttlSeconds: number | undefined }> } {
  const items = new Map<string, CallToolResult>();
  const puts: Array<{ tool: string; ttlSeconds: number | undefined }> = [];
  return {
    puts,
    get: async (tool, hash) => items.get(`${tool}/${hash}`),
    put: async (tool, hash, result, ttlSeconds) => {
      puts.push({ tool, ttlSeconds });
      items.set(`${tool}/${hash}`, result);
    },
  };
}

describe("tool definitions", () => {
  it("publishes name and config as given and runs the handler with the request context; without an input schema the arguments are {}", async () => {
    const seen: Array<{ args: unknown; requestId: string }> = [];
    const ping = defineTool({
      name: "ping",
      config: { title: "Ping", description: "Answers pong", annotations: { readOnlyHint: true } },
      handler: (args, ctx: RequestContext) => {
        seen.push({ args, requestId: ctx.requestId });
        return { content: [{ type: "text", text: "pong" }] };
      },
    });
    const echo = defineTool({
      name: "echo",
      config: { description: "Echoes text", inputSchema: z.object({ text: z.string() }) },
      handler: ({ text }) => ({ content: [{ type: "text", text }] }),
    });
    const handler = createMcpHandler({ serverName: "t", serverVersion: "1", tools: [echo, ping], logger: silentLogger });
    const [list] = await messages(await post((r) => handler(r, { requestId: "req-list" }), LIST));
    const published = (list!.result as { tools: Array<Record<string, unknown>> }).tools;
    expect(published.map((tool) => tool.name)).toEqual(["echo", "ping"]);
    expect(published[1]).toMatchObject({ name: "ping", title: "Ping", description: "Answers pong", annotations: { readOnlyHint: true } });
    const [pong] = await messages(await post((r) => handler(r, { requestId: "req-ping" }), toolCall("ping", {})));
    expect(pong).toMatchObject({ result: { content: [{ type: "text", text: "pong" }] } });
    expect(seen).toEqual([{ args: {}, requestId: "req-ping" }]);
    const [echoed] = await messages(await post(handler, toolCall("echo", { text: "hi" })));
    expect(echoed).toMatchObject({ result: { content: [{ type: "text", text: "hi" }] } });
  });

  it("the cache wraps only cacheable handlers, with the tool's own TTL when it declares one", async () => {
    const cache = memoryCache();
    let runs = 0;
    const plain = defineTool({ name: "plain", config: {}, handler: () => ({ content: [{ type: "text", text: String(++runs) }] }) });
    expect(withToolCache(plain, cache, silentLogger)).toBe(plain);
    const ttl = defineTool({
      name: "ttl",
      config: {},
      handler: () => ({ content: [{ type: "text", text: String(++runs) }] }),
      cacheable: { ttlSeconds: 60 },
    });
    const handler = createMcpHandler({
      serverName: "t",
      serverVersion: "1",
      tools: [withToolCache(ttl, cache, silentLogger)],
      logger: silentLogger,
    });
    const first = await messages(await post(handler, toolCall("ttl", {})));
    const second = await messages(await post(handler, toolCall("ttl", {})));
    expect(first[0]).toMatchObject({ result: { content: [{ text: "1" }] } });
    expect(second[0]).toMatchObject({ result: { content: [{ text: "1" }] } });
    expect(runs).toBe(1);
    expect(cache.puts).toEqual([{ tool: "ttl", ttlSeconds: 60 }]);
    expect(tools.filter((tool) => tool.cacheable === true).map((tool) => tool.name)).toEqual(["parse_arn", "cidr_info"]);
  });

  it("createApp offers the default tools, and the conformance fixtures only when configured", async () => {
    const names = async (env: Record<string, string>) => {
      const handler = await createApp(loadConfig({ LOG_LEVEL: "silent", ...env }), { logger: silentLogger });
      const [list] = await messages(await post(handler, LIST));
      return (list!.result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    };
    expect(await names({})).toEqual(["parse_arn", "cidr_info"]);
    const withFixtures = await names({ MCP_CONFORMANCE_FIXTURES: "true" });
    expect(withFixtures.slice(0, 2)).toEqual(["parse_arn", "cidr_info"]);
    expect(withFixtures).toContain("test_simple_text");
    expect(withFixtures).toContain("json_schema_2020_12_tool");
  });
});
