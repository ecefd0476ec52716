/**
 * The reference point of the cold-start comparison (bench/cold/import.ts): the smallest Lambda
 * handler on the bare MCP TypeScript SDK, bundled with the same esbuild options as the image.
 * One zod tool, and per request a new `McpServer` and `WebStandardStreamableHTTPServerTransport`
 * (stateless) fed a web `Request` built from the API Gateway HTTP API payload 2.0 event, the body
 * buffered into the structured result. Nothing is built at import: the SDK's own module cost only.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { z } from "zod";

const inputSchema = z.object({ cidr: z.string() });

/** API Gateway HTTP API payload 2.0 event in, structured result out. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const server = new McpServer({ name: "bare", version: "1.0.0" });
  server.registerTool("cidr_info", { description: "Facts about an IPv4 CIDR block.", inputSchema }, ({ cidr }) => ({
    content: [{ type: "text", text: cidr }],
  }));
  const transport = new WebStandardStreamableHTTPServerTransport({});
  await server.connect(transport);
  const headers = Object.entries(event.headers).filter((pair): pair is [string, string] => pair[1] !== undefined);
  const request = new Request(`https://${event.requestContext.domainName}${event.rawPath}`, {
    method: event.requestContext.http.method,
    headers,
    ...(event.body === undefined ? {} : { body: event.body }),
  });
  const response = await transport.handleRequest(request);
  const body = await response.text();
  await server.close();
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  return { statusCode: response.status, headers: responseHeaders, body };
}
