/**
 * Dependency failures (DynamoDB, STS, the JWKS endpoint) told apart from programming and
 * configuration errors, so that a temporary condition answers 503 with `Retry-After` (RFC 9110
 * sections 15.6.4 and 10.2.3: the server is temporarily unable to handle the request; the client may
 * retry after the given delay) and not 500, and a client never discards a valid token because a
 * dependency is down. Free of AWS libraries: errors are recognised by the shape the AWS SDK for
 * JavaScript v3 gives them (`name`, `$fault`, `$retryable`, `$metadata.httpStatusCode`) and by
 * Node's system error codes.
 */
import type { RequestContext } from "./context.js";
import { JsonRpcErrorCode, McpHttpError } from "./errors.js";

/** `Retry-After` sent with a 503 for an unavailable dependency, seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** Error names of timeouts, aborted calls and throttling (AWS SDK v3 and smithy `TimeoutError`, DOM `AbortError`). */
const TRANSIENT_NAMES = new Set([
  "TimeoutError",
  "AbortError",
  "DependencyTimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ThrottlingException",
  "Throttling",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServerError",
  "InternalFailure",
  "TransactionInProgressException",
]);

/** Node.js system error codes of a connection that failed or broke (Node.js docs, "Common system errors"). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether `error` says a dependency is temporarily unavailable (timed out, refused or dropped the
 * connection, throttled, or answered 5xx), as opposed to a request the dependency refused for good
 * (access denied, missing table, validation). Looks through `cause` chains (fetch's `TypeError`
 * carries the socket error there).
 */
export function isDependencyOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    const e = current as {
      name?: unknown;
      code?: unknown;
      $fault?: unknown;
      $retryable?: unknown;
      $metadata?: { httpStatusCode?: unknown };
      cause?: unknown;
    };
    if (typeof e.name === "string" && TRANSIENT_NAMES.has(e.name)) return true;
    if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
    if (e.$fault === "server" || (e.$retryable !== undefined && e.$retryable !== null)) return true;
    const status = e.$metadata?.httpStatusCode;
    if (typeof status === "number" && (status >= 500 || status === 429)) return true;
    current = e.cause;
  }
  return false;
}

/** An error to throw when a call exceeded its time budget (recognised by {@link isDependencyOutage}). */
export class DependencyTimeoutError extends Error {
  override readonly name = "DependencyTimeoutError";
  /** The budget that ran out, milliseconds. */
  readonly budgetMs: number;
  constructor(what: string, budgetMs: number) {
    super(`${what} did not answer within ${budgetMs} ms`);
    this.budgetMs = budgetMs;
  }
}

/** 503 `Service Unavailable` with `Retry-After` naming what is unavailable (never its error text); `cause` is logged. */
export function serviceUnavailable(dependency: string, cause?: unknown): McpHttpError {
  return new McpHttpError(
    503,
    JsonRpcErrorCode.InternalError,
    `Service Unavailable: ${dependency} is temporarily unavailable; retry later`,
    {
      headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/**
 * The error a stage throws when a required dependency failed: 503 + `Retry-After` for an outage
 * ({@link isDependencyOutage}), else 500 (`Internal error`, cause logged).
 */
export function dependencyFailure(dependency: string, error: unknown): McpHttpError {
  if (error instanceof McpHttpError) return error;
  return isDependencyOutage(error) ? serviceUnavailable(dependency, error) : McpHttpError.internal(error);
}

/**
 * Marks the request as failed for want of `dependency`, from code that cannot throw to the client
 * (a tool handler: the MCP SDK turns exceptions into tool results). The MCP stage then answers 503
 * + `Retry-After` instead of the SDK's answer. The first mark wins.
 */
export function markUnavailable(ctx: RequestContext, dependency: string, cause: unknown): void {
  ctx.unavailable ??= { dependency, cause };
}
