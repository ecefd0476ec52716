/**
 * The tenant router: the HTTP API's integration when the MCP function runs with Lambda tenant
 * isolation (`tenancy_config { tenant_isolation_mode = "PER_TENANT" }`).
 *
 * HTTP APIs cannot invoke a tenant-isolated function themselves: every invoke needs a tenant id
 * (`X-Amz-Tenant-Id` / Invoke `TenantId`) and an HTTP API cannot set it (Lambda developer guide,
 * "Invoking Lambda functions with tenant isolation"). This small, non-isolated function verifies the
 * bearer token itself, with the verifier the MCP function uses (core/auth/jwt.ts: JWKS-cached
 * signature, issuer, expiry, client and scope checks), takes the tenant from the verified token's
 * claim, and invokes the isolated function with `TenantId` = that tenant and the unchanged payload
 * 2.0 event; the function's payload 2.0 result is returned as the router's own. Lambda then runs
 * each tenant's requests only in execution environments dedicated to that tenant.
 *
 * Trust: the tenant comes only from a token this router verified; never from headers, the path,
 * the body, or an API Gateway authorizer (none is needed: without one, the 401 carries
 * `WWW-Authenticate: Bearer resource_metadata=...`, which MCP clients need for OAuth discovery).
 * The isolated function verifies the token again and refuses a token whose tenant differs from its
 * execution environment's.
 *
 * Tokenless routes (`GET /health`, RFC 9728 metadata) are answered by the router itself: they touch
 * no tenant data, so no tenant's execution environment is started for them and no reserved tenant
 * id is needed.
 */
import { InvokeCommand, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import type { TokenVerifier } from "../core/auth/types.js";
import { createRequestContext } from "../core/context.js";
import { JsonRpcErrorCode, McpHttpError, toErrorResponse } from "../core/errors.js";
import { createJsonLogger, type Logger } from "../core/logger.js";
import { authenticationStage, resourceUrlFor } from "../core/stages/authentication.js";
import { routeStage } from "../core/stages/route.js";
import { TENANT_ID } from "../core/stages/tenant.js";
import {
  eventToRequest,
  invocationFromEvent,
  isPayloadV2,
  responseToResult,
  type HttpApiHandler,
  type HttpApiResult,
} from "../lambda/adapter.js";

/** The part of a `LambdaClient` the router uses (tests pass a fake that records the commands). */
export interface LambdaInvoker {
  send(command: InvokeCommand): Promise<InvokeCommandOutput>;
}

export interface RouterOptions {
  /** Built once per cold start (on Lambda: captured by the tracer). */
  readonly lambda: LambdaInvoker;
  /** `MCP_TARGET_FUNCTION_ARN`. */
  readonly functionArn: string;
  /**
   * Verifies bearer tokens: `createJwtVerifier` with the MCP function's settings (one issuer). A
   * verifier that accepts several issuers (e.g. Cognito and an authorization server at the MCP
   * origin) plugs in here unchanged, as long as it rejects with `TokenRejectedError`.
   */
  readonly verify: TokenVerifier;
  /** RFC 9728 `authorization_servers`: the issuers `verify` accepts. */
  readonly authorizationServers: readonly string[];
  /** Scope every request needs (403 `insufficient_scope` without it). @default none */
  readonly requiredScope?: string | undefined;
  /** The MCP endpoint path. @default "/mcp" */
  readonly path?: string;
  /** Public URL of the MCP endpoint (RFC 9728 `resource`). @default the request's origin + `path` */
  readonly resourceUrl?: string;
  /** `GET /health` body and RFC 9728 `resource_name`. */
  readonly serverName?: string;
  readonly serverVersion?: string;
  /** `MCP_TENANT_CLAIM`. @default "tenant_id" */
  readonly tenantClaim?: string;
  /** @default JSON lines on stdout */
  readonly logger?: Logger;
}

/** The tenant named by `claims[claim]` when it is a string matching `TENANT_ID` (the function's own rule); else undefined. */
export function tenantOf(claims: Readonly<Record<string, unknown>> | undefined, claim: string): string | undefined {
  const value = claims?.[claim];
  return typeof value === "string" && TENANT_ID.test(value) ? value : undefined;
}

const errorResult = (error: McpHttpError, logger: Logger): Promise<HttpApiResult> => responseToResult(toErrorResponse(error, logger));
const badGateway = (cause: unknown) =>
  new McpHttpError(502, JsonRpcErrorCode.InternalError, "Bad Gateway: the MCP function failed", { cause });

/** The first `max` characters of a text, for logs. */
const clip = (text: string, max = 1000) => (text.length > max ? `${text.slice(0, max)}...` : text);

/** Lambda's synchronous invoke payload limit, bytes (Lambda quotas): the largest body the router passes on. */
const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Marks "verified: forward to the isolated function" inside the stages below. */
const FORWARD = new Response(null, { status: 204 });

/**
 * Creates the router handler.
 *
 * - not an HTTP API payload 2.0 event -> 500 (integration misconfigured; logged)
 * - `GET /health` -> 200 `{"status":"ok","name","version"}`; `GET /.well-known/oauth-protected-resource`
 *   and its path-inserted form for `path` -> RFC 9728 metadata; both answered here, without a token
 * - any other path -> 404; `path` with a method the function does not serve -> 405 (core/stages/route.ts)
 * - the MCP path: the authentication stage of the MCP function (core/stages/authentication.ts):
 *   no token -> 401 `WWW-Authenticate: Bearer resource_metadata="...", scope="..."`; invalid token
 *   -> 401 `error="invalid_token"`; token in the query or malformed header -> 400; JWKS unreachable
 *   -> 503; scope missing -> 403 `insufficient_scope`
 * - a verified token without a valid tenant claim -> 403 `{"jsonrpc":"2.0","error":{"code":-32000,"message":"Forbidden: ..."},"id":null}`, no invoke
 * - `InvokeCommand({ FunctionName, TenantId, Payload: JSON of the event })` (synchronous, `RequestResponse`)
 *   - the function's result (a payload 2.0 structured result) -> returned as is
 *   - `FunctionError` (unhandled error, timeout, out of memory), an unreadable payload, or an SDK
 *     failure -> 502 with a generic JSON-RPC error (-32603); the cause is logged, never returned
 *   - Lambda throttling (`TooManyRequestsException`) -> 429 with `Retry-After: 1`
 *   - an event above Lambda's 6 MB synchronous payload (`RequestTooLargeException`) -> 413
 * Sources: MCP spec 2025-06-18 Authorization; RFC 6750 section 3; RFC 9728 sections 3 and 5.1;
 * Lambda API Reference, Invoke (request `TenantId`, response `FunctionError`, errors).
 */
export function createRouterHandler(options: RouterOptions): HttpApiHandler {
  const claim = options.tenantClaim ?? "tenant_id";
  const path = options.path ?? "/mcp";
  const logger = options.logger ?? createJsonLogger();
  const route = routeStage({
    path,
    // The function decides which of these it serves (405 for GET without a session store, for example).
    allowedMethods: ["POST", "GET", "DELETE"],
    health: { name: options.serverName ?? "mcp-server-aws", version: options.serverVersion ?? "0.1.0" },
    protectedResourceMetadata: (ctx) => ({
      resource: resourceUrlFor(ctx, path, options.resourceUrl),
      authorization_servers: [...options.authorizationServers],
      ...(options.requiredScope === undefined ? {} : { scopes_supported: [options.requiredScope] }),
      bearer_methods_supported: ["header"],
      ...(options.serverName === undefined ? {} : { resource_name: options.serverName }),
    }),
  });
  const authenticate = authenticationStage({
    verify: options.verify,
    path,
    ...(options.requiredScope === undefined ? {} : { requiredScope: options.requiredScope }),
    ...(options.resourceUrl === undefined ? {} : { resourceUrl: options.resourceUrl }),
  });
  return async (event, context) => {
    if (!isPayloadV2(event)) {
      logger.error("unsupported event: expected an API Gateway HTTP API event, payload format version 2.0", {
        version: (event as { version?: unknown } | null)?.version,
      });
      return errorResult(McpHttpError.internal(), logger);
    }
    const log = logger.child({ request_id: event.requestContext.requestId });
    let request: Request;
    try {
      // Headers only: the body stays in the event, which is forwarded as is.
      request = eventToRequest(event, { detachTextBody: true }).request;
    } catch (error) {
      return errorResult(McpHttpError.badRequest("Bad Request: invalid request headers"), log.child({ cause: String(error) }));
    }
    let tenantId: string | undefined;
    try {
      // The function applies its own body limit; the router refuses only what Lambda cannot carry.
      const ctx = createRequestContext(request, invocationFromEvent(event, context), logger, LAMBDA_PAYLOAD_BYTES);
      const response = await route(ctx, () =>
        authenticate(ctx, async () => {
          tenantId = tenantOf(ctx.auth?.extra?.claims as Record<string, unknown> | undefined, claim);
          if (tenantId === undefined) {
            log.info("refused: no valid tenant claim", { claim, client_id: ctx.auth?.clientId });
            throw McpHttpError.forbidden(`Forbidden: the token carries no valid ${claim} claim`);
          }
          return FORWARD;
        }),
      );
      if (response !== FORWARD) return await responseToResult(response);
    } catch (error) {
      return errorResult(error instanceof McpHttpError ? error : McpHttpError.internal(error), log);
    }
    let output: InvokeCommandOutput;
    try {
      output = await options.lambda.send(
        new InvokeCommand({ FunctionName: options.functionArn, TenantId: tenantId, Payload: JSON.stringify(event) }),
      );
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === "TooManyRequestsException") {
        log.warn("the MCP function is throttled", { tenant_id: tenantId, error });
        return errorResult(
          new McpHttpError(429, JsonRpcErrorCode.ServerError, "Too Many Requests", { headers: { "Retry-After": "1" } }),
          log,
        );
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
        badGateway(
          new Error(
            `function error ${output.FunctionError}: ${String(detail.errorType ?? "")} ${clip(String(detail.errorMessage ?? text))}`,
          ),
        ),
        log.child({ tenant_id: tenantId }),
      );
    }
    try {
      const result = JSON.parse(text) as HttpApiResult | null;
      if (result === null || typeof result !== "object" || typeof result.statusCode !== "number")
        throw new Error(`not a payload 2.0 structured result: ${clip(text, 200)}`);
      return result;
    } catch (error) {
      return errorResult(badGateway(error), log.child({ tenant_id: tenantId }));
    }
  };
}
