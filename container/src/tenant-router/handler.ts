/**
 * The tenant router (issue 3, container side): the HTTP API's integration when the MCP function runs
 * with Lambda tenant isolation (`tenancy_config { tenant_isolation_mode = "PER_TENANT" }`).
 *
 * HTTP APIs cannot invoke a tenant-isolated function themselves: every invoke needs a tenant id
 * (`X-Amz-Tenant-Id` / Invoke `TenantId`) and an HTTP API cannot set it (Lambda developer guide,
 * "Invoking Lambda functions with tenant isolation"; shared/docs/aws-facts.md). This small,
 * non-isolated function takes the tenant from the claims of API Gateway's JWT authorizer and invokes
 * the isolated function with `TenantId` = that tenant and the unchanged payload 2.0 event, then
 * returns the function's payload 2.0 result as its own. Lambda then runs each tenant's requests only
 * in execution environments dedicated to that tenant.
 *
 * Trust: the tenant comes only from `requestContext.authorizer.jwt.claims` (API Gateway verified
 * the token's signature, issuer, audience and expiry before invoking the router); never from headers,
 * the path or the body. The router has no token verification of its own; the isolated function
 * verifies the token again and refuses a token whose tenant differs from its environment's.
 */
import { InvokeCommand, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { ENV, PUBLIC_PATHS as CONTRACT_PUBLIC_PATHS } from "../contract/index.js";
import { JsonRpcErrorCode, McpHttpError, toErrorResponse } from "../core/errors.js";
import { createJsonLogger, type Logger } from "../core/logger.js";
import { TENANT_ID } from "../core/stages/tenant.js";
import { isPayloadV2, responseToResult, routePath, type HttpApiEvent, type HttpApiHandler, type HttpApiResult } from "../lambda/adapter.js";

/**
 * The tenant id under which unauthenticated public routes (health check, RFC 9728 metadata) run in
 * the isolated function: they have no token, hence no tenant, yet the function needs one per
 * invoke. They touch no tenant data. Reserved: a token whose tenant claim is this value is refused.
 */
export const PUBLIC_TENANT_ID = "_public";

/**
 * Routes the `mcp_server` module serves without an authorizer (`GET /health`, RFC 9728 section 3.1
 * metadata at the root and path-inserted for `/mcp`), by path under the stage.
 */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(CONTRACT_PUBLIC_PATHS);

/** The part of a `LambdaClient` the router uses (tests pass a fake that records the commands). */
export interface LambdaInvoker {
  send(command: InvokeCommand): Promise<InvokeCommandOutput>;
}

export interface RouterOptions {
  /** Built once per cold start (on Lambda: captured by the tracer). */
  readonly lambda: LambdaInvoker;
  /** `MCP_TARGET_FUNCTION_ARN`. */
  readonly functionArn: string;
  /** `MCP_TENANT_CLAIM`. @default "tenant_id" */
  readonly tenantClaim?: string;
  /** @default JSON lines on stdout */
  readonly logger?: Logger;
}

/** Whether `event` is a `GET` of a public path (the module routes those without an authorizer). */
export function isPublicRoute(event: HttpApiEvent): boolean {
  return event.requestContext.http.method.toUpperCase() === "GET" && PUBLIC_PATHS.has(routePath(event));
}

/**
 * The tenant to invoke for `event`:
 * - claims present: the string claim `claim`, matching `TENANT_ID` (`[A-Za-z0-9_.:@-]{1,128}`, the
 *   function's own rule) and not {@link PUBLIC_TENANT_ID}; otherwise undefined
 * - no claims (no authorizer ran): {@link PUBLIC_TENANT_ID} for a public route, otherwise undefined
 */
export function tenantOf(event: HttpApiEvent, claim: string): string | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  if (claims === undefined || claims === null) return isPublicRoute(event) ? PUBLIC_TENANT_ID : undefined;
  const value = claims[claim];
  return typeof value === "string" && TENANT_ID.test(value) && value !== PUBLIC_TENANT_ID ? value : undefined;
}

const errorResult = (error: McpHttpError, logger: Logger): Promise<HttpApiResult> => responseToResult(toErrorResponse(error, logger));
const badGateway = (cause: unknown) => new McpHttpError(502, JsonRpcErrorCode.InternalError, "Bad Gateway: the MCP function failed", { cause });

/** The first `max` characters of a text, for logs. */
const clip = (text: string, max = 1000) => (text.length > max ? `${text.slice(0, max)}...` : text);

/**
 * Creates the router handler.
 *
 * - not an HTTP API payload 2.0 event -> 500 (integration misconfigured; logged)
 * - no valid tenant (above) -> 403 `{"jsonrpc":"2.0","error":{"code":-32000,"message":"Forbidden: ..."},"id":null}`, no invoke
 * - `InvokeCommand({ FunctionName, TenantId, Payload: JSON of the event })` (synchronous, `RequestResponse`)
 *   - the function's result (a payload 2.0 structured result) -> returned as is
 *   - `FunctionError` (unhandled error, timeout, out of memory), an unreadable payload, or an SDK
 *     failure -> 502 with a generic JSON-RPC error (-32603); the cause is logged, never returned
 *   - Lambda throttling (`TooManyRequestsException`) -> 429 with `Retry-After: 1`
 *   - an event above Lambda's 6 MB synchronous payload (`RequestTooLargeException`) -> 413
 * Source: Lambda API Reference, Invoke (request `TenantId`, response `FunctionError`, errors).
 */
export function createRouterHandler(options: RouterOptions): HttpApiHandler {
  const claim = options.tenantClaim ?? ENV.MCP_TENANT_CLAIM.default;
  const logger = options.logger ?? createJsonLogger();
  return async (event) => {
    if (!isPayloadV2(event)) {
      logger.error("unsupported event: expected an API Gateway HTTP API event, payload format version 2.0", {
        version: (event as { version?: unknown } | null)?.version,
      });
      return errorResult(McpHttpError.internal(), logger);
    }
    const log = logger.child({ request_id: event.requestContext.requestId });
    const tenantId = tenantOf(event, claim);
    if (tenantId === undefined) {
      log.info("refused: no valid tenant claim", { claim, path: event.rawPath });
      return errorResult(McpHttpError.forbidden(`Forbidden: the token carries no valid ${claim} claim`), log);
    }
    let output: InvokeCommandOutput;
    try {
      output = await options.lambda.send(new InvokeCommand({ FunctionName: options.functionArn, TenantId: tenantId, Payload: JSON.stringify(event) }));
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === "TooManyRequestsException") {
        log.warn("the MCP function is throttled", { tenant_id: tenantId, error });
        return errorResult(new McpHttpError(429, JsonRpcErrorCode.ServerError, "Too Many Requests", { headers: { "Retry-After": "1" } }), log);
      }
      if (name === "RequestTooLargeException") {
        log.info("request too large for a synchronous invoke", { tenant_id: tenantId });
        return errorResult(new McpHttpError(413, JsonRpcErrorCode.ServerError, "Payload too large"), log);
      }
      return errorResult(badGateway(error), log.child({ tenant_id: tenantId }));
    }
    const text = output.Payload === undefined ? "" : Buffer.from(output.Payload).toString("utf8");
    if (output.FunctionError !== undefined) {
      let detail: { errorType?: unknown; errorMessage?: unknown } = {};
      try {
        detail = JSON.parse(text) as typeof detail;
      } catch {
        // not JSON: logged as text below
      }
      return errorResult(
        badGateway(new Error(`function error ${output.FunctionError}: ${String(detail.errorType ?? "")} ${clip(String(detail.errorMessage ?? text))}`)),
        log.child({ tenant_id: tenantId }),
      );
    }
    try {
      const result = JSON.parse(text) as HttpApiResult | null;
      if (result === null || typeof result !== "object" || typeof result.statusCode !== "number") throw new Error(`not a payload 2.0 structured result: ${clip(text, 200)}`);
      return result;
    } catch (error) {
      return errorResult(badGateway(error), log.child({ tenant_id: tenantId }));
    }
  };
}
