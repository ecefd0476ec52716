/**
 * @hono/mcp as its README shows (one `McpServer`, one `StreamableHTTPTransport`, connected on the first
 * request, `app.all("/mcp")`), on Lambda through Hono's own adapter (`handle` from `hono/aws-lambda`).
 */
import { StreamableHTTPTransport } from "@hono/mcp";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { CAPABILITIES, registerTools } from "./shared.mjs";

const app = new Hono();
const mcpServer = new McpServer({ name: "hono-mcp", version: "1.0.0" }, { capabilities: CAPABILITIES });
registerTools(mcpServer);
const transport = new StreamableHTTPTransport();

app.all("/mcp", async (c) => {
  if (!mcpServer.isConnected()) await mcpServer.connect(transport);
  return transport.handleRequest(c);
});

export const handler = handle(app);
