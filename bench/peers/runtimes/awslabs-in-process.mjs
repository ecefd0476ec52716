/**
 * awslabs run-mcp-servers-with-aws-lambda, in-process: its `APIGatewayProxyEventV2Handler` with a
 * `RequestHandler` (the library's interface: one JSON-RPC request in, its response out) that forwards to
 * one `McpServer` for the whole process over the SDK's in-memory transport. The interface returns only
 * the response, so notifications the tool sends are not passed on.
 */
import { APIGatewayProxyEventV2Handler } from "@aws/run-mcp-servers-with-aws-lambda";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CAPABILITIES, registerTools } from "./shared.mjs";

const server = new McpServer({ name: "awslabs-in-process", version: "1.0.0" }, { capabilities: CAPABILITIES });
registerTools(server);
const [client, serverSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
const pending = new Map();
let nextId = 0;
client.onmessage = (message) => {
  if ("id" in message && !("method" in message)) {
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  }
};
await client.start();

/** `RequestHandler` of the library: forwards under a private id, answers with the caller's id. */
const inProcess = {
  handleRequest(request) {
    const id = ++nextId;
    return new Promise((resolve) => {
      pending.set(id, (response) => resolve({ ...response, id: request.id }));
      void client.send({ ...request, id });
    });
  },
};

const eventHandler = new APIGatewayProxyEventV2Handler(inProcess);

export const handler = (event, context) => eventHandler.handle(event, context);
