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
  readonly authorizer?: AuthorizerInfo | undefined;
  /** Client IP as seen by the edge (API Gateway `requestContext.http.sourceIp`). */
  readonly sourceIp?: string | undefined;
  /** Extra fields for every log line of this request (e.g. the Lambda `awsRequestId`). */
  readonly logAttributes?: LogAttributes;
  /**
   * The tenant whose execution environment runs this invocation: Lambda's `context.tenantId` on a
   * function with tenant isolation (`PER_TENANT`), set by Lambda from the Invoke `TenantId` (Lambda
   * developer guide, "Accessing tenant identifier in Lambda function code"). Never from the request.
   */
  readonly executionTenantId?: string;
  /**
   * The request body as text, when the adapter already holds it (API Gateway delivers it in the
   * event). The adapter then builds the `Request` without a body stream, and the core reads this
   * instead (`readParsedBody`, same byte limit): one copy less per request.
   */
  readonly body?: string;
}

/**
 * Tenant-scoped services the composition root attaches to {@link TenantContext} (e.g. a DynamoDB
 * client on credentials vended for the tenant, container/src/tenancy). Empty here, so the core stays
 * free of AWS libraries; a module adds optional members by declaration merging
 * (`declare module "../core/context.js" { interface TenantServices { ... } }`), as Hono's
 * `ContextVariableMap` does.
 */
// biome-ignore lint/suspicious/noEmptyInterface: members are added by declaration merging (see above)
export interface TenantServices {}

/** Tenant resolved by the tenant stage from a verified claim (`MCP_TENANT_CLAIM`), plus its services. */
export interface TenantContext extends TenantServices {
  readonly tenantId: string;
}

/** MCP session resolved by the session stage; sessions are keyed by tenant and owner too. */
export interface SessionContext {
  readonly sessionId: string;
  /** The protocol version negotiated at initialize. */
  readonly protocolVersion?: string;
}

/** One JSON-RPC 2.0 message of a POST body, classified (JSON-RPC 2.0 sections 4 and 5). */
export type JsonRpcMessageKind = "request" | "notification" | "response";

/** The POST body, read once (with the body limit) and validated as JSON-RPC; see core/body.ts. */
export interface ParsedBody {
  /** The parsed JSON exactly as sent (handed to the SDK transport as `parsedBody`). */
  readonly json: unknown;
  /** Whether the body was a JSON array (a JSON-RPC batch; allowed only before MCP 2025-06-18). */
  readonly isBatch: boolean;
  /** The messages in order, each with its kind and, for requests and notifications, its method. */
  readonly messages: ReadonlyArray<{ readonly kind: JsonRpcMessageKind; readonly method?: string; readonly params?: unknown }>;
  /** Whether the body is a single `initialize` request. */
  readonly isInitialize: boolean;
  /** Size of the body, bytes. */
  readonly bytes: number;
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
  /** Request-scoped logger (already carries `request_id`; the tenant stage adds `tenant_id`). */
  logger: Logger;
  /** From the API Gateway JWT authorizer, if one ran. */
  readonly authorizer?: AuthorizerInfo | undefined;
  readonly sourceIp?: string | undefined;
  /** See {@link InvocationInfo.executionTenantId}. */
  readonly executionTenantId?: string;
  /** See {@link InvocationInfo.body}; read the body only through `readParsedBody` (core/body.ts). */
  readonly rawBody?: string;
  /** Filled by the authentication stage: the token verified in the function (passed to MCP handlers as `extra.authInfo`). */
  auth?: AuthInfo;
  /** Filled by the tenant stage. */
  tenant?: TenantContext;
  /** Filled by the session stage. */
  session?: SessionContext;
  /** Set by the tool-result cache when a `tools/call` was answered from (true) or stored into (false) the cache. */
  cacheHit?: boolean;
  /**
   * Set (core/dependency.ts, `markUnavailable`) when a required dependency failed temporarily in code
   * that cannot answer itself (a tool handler); the MCP stage then answers 503 + `Retry-After`.
   */
  unavailable?: { readonly dependency: string; readonly cause: unknown };
  /** Largest body the core reads, bytes (`MCP_MAX_BODY_BYTES`). */
  readonly maxBodyBytes: number;
  /** Filled by `readParsedBody` (core/body.ts) the first time a stage needs the body. */
  parsedBody?: Promise<ParsedBody>;
  /** Headers a stage wants on the final response whatever its status (e.g. CORS); applied by the handler. */
  readonly responseHeaders: Headers;
}

/** Default for {@link RequestContext.maxBodyBytes}: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the {@link RequestContext} for one request.
 * @param request the incoming web `Request`
 * @param invocation adapter-provided facts (request id, authorizer claims, source IP)
 * @param logger the handler's root logger; the context gets a child bound to `request_id`
 * @param maxBodyBytes largest request body the core reads, bytes (default 1 MiB)
 */
export function createRequestContext(
  request: Request,
  invocation: InvocationInfo,
  logger: Logger,
  maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES,
): RequestContext {
  const requestId = invocation.requestId ?? globalThis.crypto.randomUUID();
  return {
    request,
    url: new URL(request.url),
    requestId,
    receivedAt: Date.now(),
    logger: logger.child({ request_id: requestId, ...invocation.logAttributes }),
    authorizer: invocation.authorizer,
    sourceIp: invocation.sourceIp,
    ...(invocation.executionTenantId === undefined ? {} : { executionTenantId: invocation.executionTenantId }),
    ...(invocation.body === undefined ? {} : { rawBody: invocation.body }),
    maxBodyBytes,
    responseHeaders: new Headers(),
  };
}
