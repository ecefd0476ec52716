/**
 * Protocol answers the MCP spec asks for where the MCP TypeScript SDK answers otherwise, given before
 * the SDK sees the request (the SDK itself is not patched). The MCP stage calls
 * {@link protocolErrorFor} with the parsed body; a non-undefined result is the JSON-RPC error response
 * to send instead of running the SDK.
 *
 * - `params` failing the method's schema (`initialize` without params, `protocolVersion` not a
 *   string, `tools/call` without a `name`, `arguments` not an object): -32602 Invalid params with a
 *   short message naming the field (JSON-RPC 2.0 section 5.1). The SDK parses with the same schemas
 *   but answers -32603 with the whole Zod error as its message.
 * - `tools/call` of a tool the server does not offer: -32602 `Unknown tool: <name>` (MCP 2025-11-25,
 *   Server > Tools, "Error Handling": unknown tools are protocol errors; invalid arguments stay tool
 *   errors with `isError`, which the SDK answers). The SDK answers an `isError` result.
 * - a pagination `cursor` on a list method: -32602 (MCP 2025-11-25, Utilities > Pagination, "Error
 *   Handling": invalid cursors SHOULD result in -32602). This server never returns `nextCursor`,
 *   so no cursor is valid; the SDK ignores it and lists from the start.
 *
 * Only a body holding one request is answered here; a JSON-RPC batch (protocol 2025-03-26 and
 * earlier) goes to the SDK unchanged.
 */
import { ClientRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ParsedBody } from "./context.js";
import { JsonRpcErrorCode } from "./errors.js";

/** A JSON-RPC 2.0 error response (section 5). */
export interface JsonRpcErrorResponse {
  readonly jsonrpc: "2.0";
  readonly id: string | number;
  readonly error: { readonly code: number; readonly message: string };
}

type RequestSchema = (typeof ClientRequestSchema.options)[number];

/** The SDK's schema of each client request method (`initialize`, `tools/call`, ...). */
const SCHEMAS: ReadonlyMap<string, RequestSchema> = new Map(
  ClientRequestSchema.options.map((schema) => [schema.shape.method.value as string, schema]),
);

/** List methods that take a `cursor` (MCP 2025-11-25, Utilities > Pagination, "Operations Supporting Pagination"). */
const PAGINATED = new Set(["tools/list", "resources/list", "resources/templates/list", "prompts/list"]);

/** Longest client-supplied text echoed in a message. */
const ECHO_MAX = 64;

const echo = (value: string) => JSON.stringify(value.length > ECHO_MAX ? `${value.slice(0, ECHO_MAX)}...` : value);

/** `params.protocolVersion: expected string, received number` from the first issue of a failed parse. */
function shortIssue(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid params";
  const path = issue.path.map(String).join(".");
  const message = issue.message.replace(/^Invalid input: /, "");
  return path === "" ? message : `${path}: ${message}`;
}

export interface ProtocolCheckOptions {
  /** Whether the server offers a tool of this name; undefined: the unknown-tool rule is not applied. */
  readonly isKnownTool?: (name: string) => boolean;
}

/**
 * The JSON-RPC error response for the single request in `body` when it breaks one of the rules in
 * this file's header, else undefined (batches, notifications and responses: undefined).
 */
export function protocolErrorFor(body: ParsedBody, options: ProtocolCheckOptions = {}): JsonRpcErrorResponse | undefined {
  if (body.isBatch || body.messages.length !== 1) return undefined;
  const message = body.messages[0]!;
  if (message.kind !== "request" || message.method === undefined) return undefined;
  const id = (body.json as { id: string | number }).id;
  const invalid = (text: string): JsonRpcErrorResponse => ({
    jsonrpc: "2.0",
    id,
    error: { code: JsonRpcErrorCode.InvalidParams, message: text },
  });
  const schema = SCHEMAS.get(message.method);
  if (schema === undefined) return undefined; // the SDK answers -32601 Method not found
  const parsed = schema.safeParse({ method: message.method, ...(message.params === undefined ? {} : { params: message.params }) });
  if (!parsed.success) return invalid(`Invalid params for ${message.method}: ${shortIssue(parsed.error)}`);
  const params = message.params as { name?: unknown; cursor?: unknown } | undefined;
  if (
    message.method === "tools/call" &&
    options.isKnownTool !== undefined &&
    typeof params?.name === "string" &&
    !options.isKnownTool(params.name)
  ) {
    return invalid(`Unknown tool: ${echo(params.name)}`);
  }
  if (PAGINATED.has(message.method) && params?.cursor !== undefined) return invalid("Invalid params: unknown pagination cursor");
  return undefined;
}

/** Responses built by {@link protocolErrorResponse}, so later stages can tell them from the SDK's answers. */
const protocolErrorResponses = new WeakSet<Response>();

/** Whether `response` is a JSON-RPC error answered by {@link protocolErrorResponse} (e.g. a failed `initialize`: no session). */
export function isProtocolErrorResponse(response: Response): boolean {
  return protocolErrorResponses.has(response);
}

/**
 * `error` as the HTTP answer the SDK gives a JSON-RPC response: 200 with `application/json`, or
 * `text/event-stream` with one `message` event (MCP Streamable HTTP, "Sending Messages to the Server").
 */
export function protocolErrorResponse(error: JsonRpcErrorResponse, mode: "sse" | "json"): Response {
  const json = JSON.stringify(error);
  const response =
    mode === "json"
      ? new Response(json, { status: 200, headers: { "Content-Type": "application/json" } })
      : new Response(`event: message\ndata: ${json}\n\n`, {
          status: 200,
          headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" },
        });
  protocolErrorResponses.add(response);
  return response;
}
