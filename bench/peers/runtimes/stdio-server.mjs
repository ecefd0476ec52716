/** The stdio MCP server the awslabs stdio variant starts per request: `McpServer` + `StdioServerTransport`. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CAPABILITIES, registerTools } from "./shared.mjs";

const server = new McpServer({ name: "awslabs-stdio", version: "1.0.0" }, { capabilities: CAPABILITIES });
registerTools(server);
await server.connect(new StdioServerTransport());
