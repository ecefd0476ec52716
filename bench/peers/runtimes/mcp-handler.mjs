/**
 * mcp-handler 2 (MCP SDK v2, `@modelcontextprotocol/server`) as its README shows: `createMcpHandler`
 * registering the tools, a web `(Request) => Response` handler, behind the minimal payload 2.0 adapter.
 */
import { createMcpHandler } from "mcp-handler";
import { CAPABILITIES, fromResponse, registerTools, toRequest } from "./shared.mjs";

const mcp = createMcpHandler((server) => registerTools(server), {
  serverInfo: { name: "mcp-handler", version: "1.0.0" },
  capabilities: CAPABILITIES,
});

export const handler = async (event) => fromResponse(await mcp(toRequest(event)));
