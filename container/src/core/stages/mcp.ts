import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { readParsedBody } from "../body.js";
import { createBufferedResponse } from "../buffered.js";
import { serviceUnavailable } from "../dependency.js";
import { protocolErrorFor, protocolErrorResponse } from "../protocol.js";
import type { McpServerFactory } from "../server.js";
import type { Stage } from "../pipeline.js";

/**
 * How a POST carrying JSON-RPC requests is answered (MCP spec 2025-06-18 / 2025-11-25,
 * Streamable HTTP, "Sending Messages to the Server"):
 * - `"sse"`: `Content-Type: text/event-stream`; the SSE stream is read to its end and returned as
 *   one buffered body. Notifications the server emits while handling the request (logging,
 *   progress) are kept, in order, before the response event.
 * - `"json"`: `Content-Type: application/json` with the single JSON-RPC response; the SDK drops
 *   notifications sent during the request in this mode.
 * Both are buffered: API Gateway HTTP APIs do not stream Lambda responses.
 */
export type ResponseMode = "sse" | "json";

export interface McpStageOptions {
  readonly createServer: McpServerFactory;
  readonly responseMode: ResponseMode;
  /** Names of the tools the server offers (asked once, on the first `tools/call`): another name is answered -32602 (core/protocol.ts). @default not checked */
  readonly toolNames?: () => ReadonlySet<string>;
}

/**
 * Media types are case-insensitive (RFC 9110 section 8.3.1) but the SDK's transport compares
 * `Accept` and `Content-Type` as written; the route stage has checked both case-insensitively, so
 * they are handed to the SDK lower-cased.
 */
function lowerCaseMediaTypes(request: Request): void {
  for (const name of ["accept", "content-type"]) {
    const value = request.headers.get(name);
    if (value !== null && value !== value.toLowerCase()) request.headers.set(name, value.toLowerCase());
  }
}

/** Hop-by-hop headers (RFC 9110 section 7.6.1) that make no sense on a buffered response. */
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding"];

/**
 * Reads a (possibly streaming) Response to its end and returns an equivalent fully buffered one
 * (a `BufferedResponse`, see buffered.ts, without the hop-by-hop headers). Bodiless responses (202 for
 * notifications) are returned unchanged.
 */
export async function bufferResponse(response: Response): Promise<Response> {
  if (response.body === null) return response;
  const body = new Uint8Array(await response.arrayBuffer());
  const buffered = createBufferedResponse(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  for (const name of HOP_BY_HOP) buffered.headers.delete(name);
  return buffered;
}

/**
 * Terminal stage: serves the request with the MCP SDK's web-standard Streamable HTTP transport in
 * stateless mode (`sessionIdGenerator: undefined`: no `Mcp-Session-Id` is issued or checked),
 * with a new server + transport per request because a stateless transport cannot be reused.
 *
 * The body is read here (unless an earlier stage did) through `readParsedBody`: at most
 * `ctx.maxBodyBytes` (413), valid JSON (400 / -32700) and valid JSON-RPC 2.0 (400 / -32600); the
 * parsed value is handed to the transport as `parsedBody`. Header rules (406, 415, 400 for the
 * protocol version) ran in the route stage. The transport answers a POST of only notifications or
 * responses with 202 and no body.
 *
 * Before the SDK: the rules of core/protocol.ts (-32602 for params failing the method's schema, an
 * unknown tool, a pagination cursor) and lower-cased media types. After it: a tool that marked a
 * required dependency unavailable turns the answer into 503 + `Retry-After`.
 *
 * `ctx.auth`, when an authentication stage set it, reaches tool handlers as `extra.authInfo`.
 */
export function mcpStage(options: McpStageOptions): Stage {
  let names: ReadonlySet<string> | undefined;
  const toolNames = options.toolNames;
  const check = toolNames === undefined ? {} : { isKnownTool: (name: string) => (names ??= toolNames()).has(name) };
  return async (ctx) => {
    const server = options.createServer(ctx);
    // Stateless: no `sessionIdGenerator`, so the transport issues no `Mcp-Session-Id`.
    const transport = new WebStandardStreamableHTTPServerTransport({
      enableJsonResponse: options.responseMode === "json",
      // The body is buffered, so SSE keep-alive comments would only pad it.
      keepAliveMs: 0,
    });
    // The SDK reports both client mistakes (bad Accept, bad JSON: it answers those 4xx itself) and
    // its own failures through onerror; log them once the outcome is known, at a level to match.
    const errors: Error[] = [];
    server.server.onerror = (error) => errors.push(error);
    // Whether the answer was read to its end: every request handler has then answered, and the
    // transport (no keep-alive timer) holds nothing to release. Only an interrupted request closes
    // the server (aborting its handlers): the SDK's close() builds an Error with a stack trace
    // (`Connection closed`, for pending requests), 8-11 us that the happy path does not need.
    let answered = false;
    try {
      const body = await readParsedBody(ctx);
      const protocolError = protocolErrorFor(body, check);
      if (protocolError !== undefined) {
        ctx.logger.debug("request refused before the MCP SDK", { code: protocolError.error.code, message: protocolError.error.message });
        return protocolErrorResponse(protocolError, options.responseMode);
      }
      lowerCaseMediaTypes(ctx.request);
      await server.connect(transport);
      const response = await bufferResponse(
        await transport.handleRequest(ctx.request, { parsedBody: body.json, ...(ctx.auth === undefined ? {} : { authInfo: ctx.auth }) }),
      );
      // A tool that lost a required dependency (core/dependency.ts, markUnavailable): 503, not its error result.
      answered = true;
      if (ctx.unavailable !== undefined) throw serviceUnavailable(ctx.unavailable.dependency, ctx.unavailable.cause);
      const level = response.status >= 500 ? "error" : response.status >= 400 ? "debug" : "warn";
      for (const error of errors) ctx.logger[level]("MCP transport reported an error", { status: response.status, error });
      return response;
    } finally {
      if (!answered) await server.close().catch((error: unknown) => ctx.logger.warn("closing the MCP server failed", { error }));
    }
  };
}
