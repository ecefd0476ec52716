/**
 * The per-request context every pipeline stage receives. Adapters (Lambda, local Node server,
 * tests) pass what only they know through {@link InvocationInfo}; stages fill the later slots.
 */
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { Logger, LogAttributes } from "./logger.js";

/**
 * JWT claims as API Gateway HTTP API's JWT authorizer passes them in payload format 2.0
 * (`requestContext.authorizer.jwt.claims`). API Gateway has already verified signature, issuer,
 * audience (`aud`, else `client_id`) and expiry; values arrive as strings, numbers, booleans,
 * or string arrays. Source: API Gateway developer guide, "Control access to HTTP APIs with JWT
 * authorizers" and "Create AWS Lambda proxy integrations for HTTP APIs".
 */
export type JwtClaims = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** What an authorizer in front of the function established about the caller. */
export interface AuthorizerInfo {
  /** Claims of the verified token. */
  readonly claims: JwtClaims;
  /** OAuth scopes the authorizer matched for the route (empty when the route requires none). */
  readonly scopes: readonly string[];
}

/** Facts an adapter knows about one invocation that the web `Request` cannot carry. */
export interface InvocationInfo {
  /** Correlation id; on Lambda the API Gateway `requestContext.requestId` (also the `apigw-requestid` response header). */
  readonly requestId?: string;
  /** Set when an API Gateway JWT authorizer admitted the request. Never derived from request headers. */
  readonly authorizer?: AuthorizerInfo;
  /** Client IP as seen by the edge (API Gateway `requestContext.http.sourceIp`). */
  readonly sourceIp?: string;
  /** Extra fields for every log line of this request (e.g. the Lambda `awsRequestId`). */
  readonly logAttributes?: LogAttributes;
}

/** Tenant resolved by the (future) tenant stage. */
export interface TenantContext {
  readonly tenantId: string;
}

/** MCP session resolved by the (future) session stage; sessions are keyed by tenant and user too. */
export interface SessionContext {
  readonly sessionId: string;
}

/**
 * Per-request state handed from stage to stage. Fields marked "filled by" start undefined and are
 * set by the named stage; a stage must not rely on a field set by a stage that runs after it.
 */
export interface RequestContext {
  /** The web-standard request (its body is read once, by the MCP stage). */
  readonly request: Request;
  /** Parsed `request.url`. */
  readonly url: URL;
  /** Correlation id: the adapter's, else a random UUID. */
  readonly requestId: string;
  /** When the core received the request, epoch milliseconds. */
  readonly receivedAt: number;
  /** Request-scoped logger (already carries `request_id`). */
  readonly logger: Logger;
  /** From the API Gateway JWT authorizer, if one ran. */
  readonly authorizer?: AuthorizerInfo;
  readonly sourceIp?: string;
  /** Filled by the authentication stage: the token verified in the function (passed to MCP handlers as `extra.authInfo`). */
  auth?: AuthInfo;
  /** Filled by the tenant stage. */
  tenant?: TenantContext;
  /** Filled by the session stage. */
  session?: SessionContext;
}

/**
 * Builds the {@link RequestContext} for one request.
 * @param request the incoming web `Request`
 * @param invocation adapter-provided facts (request id, authorizer claims, source IP)
 * @param logger the handler's root logger; the context gets a child bound to `request_id`
 */
export function createRequestContext(request: Request, invocation: InvocationInfo, logger: Logger): RequestContext {
  const requestId = invocation.requestId ?? globalThis.crypto.randomUUID();
  return {
    request,
    url: new URL(request.url),
    requestId,
    receivedAt: Date.now(),
    logger: logger.child({ request_id: requestId, ...invocation.logAttributes }),
    authorizer: invocation.authorizer,
    sourceIp: invocation.sourceIp,
  };
}
