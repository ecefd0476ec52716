/**
 * Reading and validating the POST body: once per request, with a byte limit, before any MCP code
 * sees it. Stages that need the message (session: "is this initialize?", usage and metrics: "which tool?")
 * and the MCP stage share the one parse through `ctx.parsedBody`.
 *
 * Sources: JSON-RPC 2.0 (sections 4, 4.1, 5, 6); MCP spec 2025-06-18 Streamable HTTP, "Sending
 * Messages to the Server" (the body is a single JSON-RPC request, notification or response; batches
 * were removed in 2025-06-18 and exist only in 2025-03-26).
 */
import type { JsonRpcMessageKind, ParsedBody, RequestContext } from "./context.js";
import { JsonRpcErrorCode, McpHttpError } from "./errors.js";

/** Protocol revisions that still allow JSON-RPC batches (MCP 2025-03-26 and the earlier 2024-11-05). */
const BATCH_REVISIONS = new Set(["2024-11-05", "2025-03-26"]);

/**
 * Reads `request`'s body as bytes, stopping as soon as it exceeds `limit`.
 * @param limit bytes
 * @returns the body as a string (UTF-8) and its size in bytes
 * @throws McpHttpError 413 when the body is larger than `limit` (the rest is not read)
 * @throws McpHttpError 400 / -32700 when the body is not valid UTF-8 (see {@link decodeUtf8})
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<{ text: string; bytes: number }> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw McpHttpError.payloadTooLarge(limit);
  if (request.body === null) return { text: "", bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => undefined);
      throw McpHttpError.payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return { text: decodeUtf8(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)), bytes };
}

/** Strict decoder: `fatal` refuses invalid, overlong and surrogate sequences; `ignoreBOM` keeps a BOM (which JSON.parse then refuses, RFC 8259 section 8.1). */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * `bytes` as UTF-8 text. JSON exchanged between systems MUST be UTF-8 (RFC 8259 section 8.1), so a
 * body with an invalid or overlong sequence is a parse error rather than text with U+FFFD in it.
 * @throws McpHttpError 400 / -32700 (Parse error)
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw McpHttpError.badRequest("Parse error: the body is not valid UTF-8", JsonRpcErrorCode.ParseError);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Classifies one JSON-RPC 2.0 message.
 * - request: `method` (string) and `id` (string or integer; JSON-RPC 2.0 section 4, MCP forbids null ids)
 * - notification: `method` and no `id`
 * - response: `id` and exactly one of `result` / `error` (section 5)
 * @throws McpHttpError 400 / -32600 (Invalid Request) naming what is wrong
 */
export function classifyMessage(message: unknown): { kind: JsonRpcMessageKind; method?: string; params?: unknown } {
  if (!isObject(message)) throw McpHttpError.badRequest("Invalid Request: a JSON-RPC message must be a JSON object");
  if (message.jsonrpc !== "2.0") throw McpHttpError.badRequest('Invalid Request: "jsonrpc" must be "2.0"');
  const hasId = "id" in message;
  if (hasId && !(typeof message.id === "string" || (typeof message.id === "number" && Number.isInteger(message.id)))) {
    throw McpHttpError.badRequest('Invalid Request: "id" must be a string or an integer');
  }
  if ("method" in message) {
    if (typeof message.method !== "string" || message.method === "") {
      throw McpHttpError.badRequest('Invalid Request: "method" must be a non-empty string');
    }
    if ("params" in message && !isObject(message.params)) {
      throw McpHttpError.badRequest('Invalid Request: "params" must be an object');
    }
    return { kind: hasId ? "request" : "notification", method: message.method, params: message.params };
  }
  if (hasId && "result" in message !== "error" in message) return { kind: "response" };
  throw McpHttpError.badRequest(
    'Invalid Request: expected a request ("method" and "id"), a notification ("method") or a response ("id" with "result" or "error")',
  );
}

/**
 * Parses and validates a POST body:
 * - not JSON (or empty) -> 400 / -32700 Parse error
 * - an array when the request's `MCP-Protocol-Version` is 2025-06-18 or later -> 400 / -32600 (batches
 *   were removed in 2025-06-18); an empty array -> 400 / -32600 (JSON-RPC 2.0 section 6)
 * - any message that is not a valid JSON-RPC 2.0 object -> 400 / -32600 (see {@link classifyMessage})
 * - `initialize` inside a batch -> 400 / -32600 (MCP 2025-03-26 lifecycle: it must be sent alone)
 * @param text the body as text
 * @param protocolVersion the `MCP-Protocol-Version` header, or null when absent
 */
export function parseJsonRpcBody(text: string, protocolVersion: string | null, bytes = Buffer.byteLength(text)): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw McpHttpError.badRequest("Parse error: Invalid JSON", JsonRpcErrorCode.ParseError);
  }
  const isBatch = Array.isArray(json);
  if (isBatch) {
    if (protocolVersion !== null && !BATCH_REVISIONS.has(protocolVersion)) {
      throw McpHttpError.badRequest(`Invalid Request: JSON-RPC batches are not supported in protocol version ${protocolVersion}`);
    }
    if ((json as unknown[]).length === 0) throw McpHttpError.badRequest("Invalid Request: empty batch");
  }
  const messages = (isBatch ? (json as unknown[]) : [json]).map(classifyMessage);
  const initializeCount = messages.filter((m) => m.kind === "request" && m.method === "initialize").length;
  if (initializeCount > 0 && messages.length > 1) {
    throw McpHttpError.badRequest("Invalid Request: initialize must be sent alone, not in a batch");
  }
  return { json, isBatch, messages, isInitialize: initializeCount === 1, bytes };
}

/**
 * The request's parsed body, read at most once per request (memoized on `ctx.parsedBody`) with the
 * limit `ctx.maxBodyBytes`.
 * @throws McpHttpError 413 (too large), 400 / -32700 (not JSON), 400 / -32600 (not JSON-RPC)
 */
export function readParsedBody(ctx: RequestContext): Promise<ParsedBody> {
  ctx.parsedBody ??= (
    ctx.rawBody === undefined ? readBodyWithLimit(ctx.request, ctx.maxBodyBytes) : textWithLimit(ctx.rawBody, ctx.request, ctx.maxBodyBytes)
  ).then(({ text, bytes }) => parseJsonRpcBody(text, ctx.request.headers.get("mcp-protocol-version"), bytes));
  return ctx.parsedBody;
}

/** {@link readBodyWithLimit} for a body the adapter already holds as text (same 413 rules). */
async function textWithLimit(text: string, request: Request, limit: number): Promise<{ text: string; bytes: number }> {
  const declared = request.headers.get("content-length");
  const bytes = Buffer.byteLength(text);
  if ((declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) || bytes > limit) throw McpHttpError.payloadTooLarge(limit);
  return { text, bytes };
}
