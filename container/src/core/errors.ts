/**
 * HTTP errors as values, and the ONE place they become a `Response`.
 *
 * Every stage of the pipeline either returns a `Response` or throws an {@link McpHttpError}
 * (anything else thrown is an unexpected failure). {@link toErrorResponse} maps both to the
 * JSON-RPC error body used by the MCP Streamable HTTP transport for HTTP-level failures:
 * `{"jsonrpc":"2.0","error":{"code":<int>,"message":<string>},"id":null}`
 * (JSON-RPC 2.0 section 5.1; `id` is null because the failure is not tied to one request).
 */
import type { Logger } from "./logger.js";

/**
 * JSON-RPC 2.0 error codes used at the HTTP layer (JSON-RPC 2.0 spec section 5.1).
 * `-32000` is the implementation-defined "server error" code the MCP SDK uses for
 * transport-level rejections (406, 405, 400 session errors), so we use it too.
 */
export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerError: -32000,
  /** "Session not found", as the MCP TypeScript SDK answers an unknown `Mcp-Session-Id` (404). */
  SessionNotFound: -32001,
} as const;

/** Options of an {@link McpHttpError} besides status, code and message. */
export interface McpHttpErrorOptions {
  /** Extra response headers, e.g. `Allow` on 405 or `WWW-Authenticate` on 401. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Optional JSON-RPC `error.data`; sent to the client, so never put internals here. */
  readonly data?: unknown;
  /** The underlying failure; logged server-side, never sent to the client. */
  readonly cause?: unknown;
}

/**
 * An HTTP-level failure the client is meant to see: HTTP status + JSON-RPC code + a message
 * that is safe to return verbatim. Throw it from any pipeline stage.
 */
export class McpHttpError extends Error {
  override readonly name = "McpHttpError";
  /** HTTP status code, 400-599. */
  readonly status: number;
  /** JSON-RPC error code placed in `error.code`. */
  readonly code: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: unknown;

  constructor(status: number, code: number, message: string, options: McpHttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`McpHttpError status must be an integer 400-599, got ${status}`);
    }
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.data = options.data;
  }

  /** 404: no route for this path. */
  static notFound(message = "Not Found"): McpHttpError {
    return new McpHttpError(404, JsonRpcErrorCode.ServerError, message);
  }

  /**
   * 405 with the `Allow` header listing the methods the resource supports
   * (RFC 9110 section 15.5.6 requires `Allow` on 405).
   */
  static methodNotAllowed(allow: readonly string[]): McpHttpError {
    return new McpHttpError(405, JsonRpcErrorCode.ServerError, "Method not allowed.", {
      headers: { Allow: allow.join(", ") },
    });
  }

  /** 400 with a JSON-RPC code (default -32600 Invalid Request). */
  static badRequest(message: string, code: number = JsonRpcErrorCode.InvalidRequest): McpHttpError {
    return new McpHttpError(400, code, message);
  }

  /** 403 Forbidden (origin not allowed, origin secret wrong, no tenant in the token). */
  static forbidden(message: string, headers?: Readonly<Record<string, string>>): McpHttpError {
    return new McpHttpError(403, JsonRpcErrorCode.ServerError, message, headers === undefined ? {} : { headers });
  }

  /** 404 for an unknown, expired or ended `Mcp-Session-Id` (MCP spec 2025-06-18, Streamable HTTP, Session Management, item 3). */
  static sessionNotFound(): McpHttpError {
    return new McpHttpError(404, JsonRpcErrorCode.SessionNotFound, "Session not found");
  }

  /** 413: the body exceeds `limit` bytes (RFC 9110 section 15.5.14). */
  static payloadTooLarge(limit: number): McpHttpError {
    return new McpHttpError(413, JsonRpcErrorCode.ServerError, `Payload too large: the body exceeds ${limit} bytes`);
  }

  /** 500 with a generic message; `cause` is logged, never returned. */
  static internal(cause?: unknown): McpHttpError {
    return new McpHttpError(500, JsonRpcErrorCode.InternalError, "Internal error", { cause });
  }
}

/** The JSON-RPC error body for HTTP-level failures (shape documented at the top of this file). */
export interface JsonRpcErrorBody {
  jsonrpc: "2.0";
  error: { code: number; message: string; data?: unknown };
  id: null;
}

/**
 * Maps anything thrown inside the pipeline to a `Response`. This is the only function that
 * turns errors into HTTP responses.
 *
 * - {@link McpHttpError}: its status, headers and JSON-RPC code/message; a 5xx with a `cause`
 *   is logged at error level.
 * - Anything else: 500 `{"code":-32603,"message":"Internal error"}`; the detail (message and
 *   stack) goes to `logger.error` only, never to the client.
 *
 * @param error the thrown value (any type)
 * @param logger where unexpected failures are logged
 * @returns a `Response` with `Content-Type: application/json`
 */
export function toErrorResponse(error: unknown, logger: Logger): Response {
  const httpError = error instanceof McpHttpError ? error : McpHttpError.internal(error);
  if (httpError.status >= 500) {
    logger.error("request failed", {
      status: httpError.status,
      error: httpError.cause ?? httpError,
    });
  }
  const body: JsonRpcErrorBody = {
    jsonrpc: "2.0",
    error: { code: httpError.code, message: httpError.message },
    id: null,
  };
  if (httpError.data !== undefined) body.error.data = httpError.data;
  return new Response(JSON.stringify(body), {
    status: httpError.status,
    headers: { ...httpError.headers, "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
