/**
 * The bare MCP SDK (v1): a new `McpServer` with the tools and a stateless
 * `WebStandardStreamableHTTPServerTransport` per request (the SDK's stateless transport serves one
 * request), behind the minimal payload 2.0 adapter. The baseline of the ratios; like bench/warm.ts's
 * baseline, its servers share one Ajv validator (the SDK's default builds one per server).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { CAPABILITIES, fromResponse, registerTools, toRequest } from "./shared.mjs";

const jsonSchemaValidator = new AjvJsonSchemaValidator();

export async function handler(event) {
  const server = new McpServer({ name: "bare-sdk", version: "1.0.0" }, { capabilities: CAPABILITIES, jsonSchemaValidator });
  registerTools(server);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  try {
    return await fromResponse(await transport.handleRequest(toRequest(event)));
  } finally {
    await server.close();
  }
}
