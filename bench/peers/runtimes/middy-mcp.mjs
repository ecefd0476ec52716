/** middy-mcp as its README shows: one `McpServer`, `middy().use(mcpMiddleware({ server })).use(httpErrorHandler())`. */
import middy from "@middy/core";
import httpErrorHandler from "@middy/http-error-handler";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import mcpMiddleware from "middy-mcp";
import { CAPABILITIES, registerTools } from "./shared.mjs";

const server = new McpServer({ name: "middy-mcp", version: "1.0.0" }, { capabilities: CAPABILITIES });
registerTools(server);

export const handler = middy().use(mcpMiddleware({ server })).use(httpErrorHandler());
