/**
 * The bare MCP SDK (v1): a new `McpServer` with the tools and a stateless
 * `WebStandardStreamableHTTPServerTransport` per request (the SDK's stateless transport serves one
 * request), behind the minimal payload 2.0 adapter. The baseline of the ratios.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CAPABILITIES, fromResponse, registerTools, toRequest } from "./shared.mjs";

export async function handler(event) {
  const server = new McpServer({ name: "bare-sdk", version: "1.0.0" }, { capabilities: CAPABILITIES });
  registerTools(server);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  try {
    return await fromResponse(await transport.handleRequest(toRequest(event)));
  } finally {
    await server.close();
  }
}
