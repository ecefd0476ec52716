/**
 * awslabs run-mcp-servers-with-aws-lambda as its README shows: `StdioServerAdapterRequestHandler`
 * starts the MCP server as a child process (stdio) for every request, behind its
 * `APIGatewayProxyEventV2Handler`. The child is `BENCH_STDIO_SERVER` (a bundle of stdio-server.mjs)
 * run by this Node.
 */
import { APIGatewayProxyEventV2Handler, StdioServerAdapterRequestHandler } from "@aws/run-mcp-servers-with-aws-lambda";

const serverParams = { command: process.execPath, args: [process.env.BENCH_STDIO_SERVER], env: { ...process.env } };
const eventHandler = new APIGatewayProxyEventV2Handler(new StdioServerAdapterRequestHandler(serverParams));

export const handler = (event, context) => eventHandler.handle(event, context);
