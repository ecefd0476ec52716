/**
 * AWS Lambda adapter: API Gateway HTTP API (payload format version 2.0) <-> web Request/Response.
 *
 * Source: API Gateway developer guide, "Create AWS Lambda proxy integrations for HTTP APIs in API
 * Gateway" (payload format 2.0): header names arrive lower-cased; duplicate headers are joined with
 * commas in `headers`; request cookies arrive in `cookies` (not in `headers`); a binary body arrives
 * base64-encoded with `isBase64Encoded: true`. In the structured response, each `cookies` entry
 * becomes one `Set-Cookie` header. HTTP APIs do not stream, so the whole response body is returned.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import type { AuthorizerInfo, InvocationInfo } from "../core/context.js";
import { JsonRpcErrorCode, McpHttpError, toErrorResponse } from "../core/errors.js";
import type { McpFetchHandler } from "../core/handler.js";
import { bufferedBody } from "../core/buffered.js";
import { createJsonLogger, type Logger } from "../core/logger.js";

/** The events this adapter accepts: HTTP API payload 2.0, with or without a JWT authorizer. */
export type HttpApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpApiResult = APIGatewayProxyStructuredResultV2;
/** The Lambda handler signature produced by {@link createLambdaHandler}. */
export type HttpApiHandler = (event: HttpApiEvent, context?: LambdaContextInfo) => Promise<HttpApiResult>;
/** The parts of the Lambda context the handlers read: the request id, and `tenantId` on a tenant-isolated function. */
export type LambdaContextInfo = Pick<Context, "awsRequestId"> & Partial<Pick<Context, "tenantId">>;

/**
 * The request path as the application sees it. For a named stage (not `$default`) API Gateway
 * keeps `/<stage>` at the front of `rawPath` on the execute-api URL; it is removed here so routes
 * match on every stage.
 */
export function routePath(event: HttpApiEvent): string {
  const raw = event.rawPath || "/";
  const stage = event.requestContext.stage;
  if (stage && stage !== "$default") {
    const prefix = `/${stage}`;
    if (raw === prefix) return "/";
    if (raw.startsWith(`${prefix}/`)) return raw.slice(prefix.length);
  }
  return raw;
}

/**
 * Converts a payload 2.0 event to a web `Request`:
 * method from `requestContext.http.method`; URL `https://{domainName}{path}?{rawQueryString}`;
 * headers as given plus `cookie: <cookies joined with "; ">`; body decoded from base64 when
 * `isBase64Encoded` (no body for GET/HEAD). With `detachTextBody`, a text body (not base64) is left
 * out of the Request and returned as `body`, for the core to read directly ({@link InvocationInfo.body}).
 * @throws TypeError when a header name or value is not valid HTTP (the caller answers 400)
 */
export function eventToRequest(event: HttpApiEvent): Request;
export function eventToRequest(event: HttpApiEvent, options: { detachTextBody: true }): { request: Request; body?: string };
export function eventToRequest(event: HttpApiEvent, options?: { detachTextBody: true }): Request | { request: Request; body?: string } {
  const method = event.requestContext.http.method.toUpperCase();
  const host = event.requestContext.domainName || event.headers.host || "localhost";
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  // A string and a list of pairs: Request parses and copies them once (a URL or Headers object
  // given to it would be parsed or copied a second time; a record would drop a header named __proto__).
  const url = `https://${host}${routePath(event)}${query}`;
  const headers: Array<[string, string]> = [];
  let cookie: string | undefined;
  for (const [name, value] of Object.entries(event.headers)) {
    if (value === undefined) continue;
    if (name === "cookie") cookie = value;
    else headers.push([name, value]);
  }
  if (event.cookies !== undefined && event.cookies.length > 0)
    cookie = [...(cookie === undefined ? [] : [cookie]), ...event.cookies].join("; ");
  if (cookie !== undefined) headers.push(["cookie", cookie]);

  let body: BodyInit | undefined;
  if (method !== "GET" && method !== "HEAD" && event.body !== undefined) {
    body = event.isBase64Encoded ? new Uint8Array(Buffer.from(event.body, "base64")) : event.body;
  }
  if (options?.detachTextBody === true && typeof body === "string") return { request: new Request(url, { method, headers }), body };
  const request = new Request(url, body === undefined ? { method, headers } : { method, headers, body });
  return options?.detachTextBody === true ? { request } : request;
}

/**
 * Claims and scopes of the HTTP API JWT authorizer (`requestContext.authorizer.jwt`), if one ran.
 * Taken only from the request context API Gateway built, never from client headers.
 */
export function authorizerFromEvent(event: HttpApiEvent): AuthorizerInfo | undefined {
  const jwt = (event.requestContext as Partial<APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"]>).authorizer?.jwt;
  if (jwt === undefined || jwt === null) return undefined;
  return { claims: jwt.claims ?? {}, scopes: jwt.scopes ?? [] };
}

/**
 * The {@link InvocationInfo} for the core: API Gateway request id, authorizer, source IP, Lambda
 * request id, and the execution environment's tenant (`context.tenantId`, set by Lambda on a
 * tenant-isolated function from the Invoke `TenantId`).
 */
export function invocationFromEvent(event: HttpApiEvent, context?: LambdaContextInfo): InvocationInfo {
  return {
    requestId: event.requestContext.requestId,
    authorizer: authorizerFromEvent(event),
    sourceIp: event.requestContext.http.sourceIp,
    logAttributes: context?.awsRequestId === undefined ? {} : { function_request_id: context.awsRequestId },
    ...(typeof context?.tenantId === "string" && context.tenantId !== "" ? { executionTenantId: context.tenantId } : {}),
  };
}

/**
 * Whether a body of this `Content-Type` is returned as text (UTF-8) rather than base64:
 * `text/*` (including `text/event-stream`), JSON, XML, JavaScript and form bodies.
 */
export function isTextContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    type.endsWith("+json") ||
    type === "application/xml" ||
    type.endsWith("+xml") ||
    type === "application/javascript" ||
    type === "application/x-www-form-urlencoded"
  );
}

/**
 * Converts a web `Response` to the structured payload 2.0 result: `statusCode`; `headers` (one
 * value per name, duplicates joined with ", "); `Set-Cookie` values moved to `cookies`; the whole
 * body read, as UTF-8 text when {@link isTextContentType}, else base64 with `isBase64Encoded: true`.
 */
export async function responseToResult(response: Response): Promise<HttpApiResult> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  const buffered = bufferedBody(response);
  const bytes =
    buffered === undefined
      ? Buffer.from(await response.arrayBuffer())
      : Buffer.from(buffered.buffer, buffered.byteOffset, buffered.byteLength);
  const text = bytes.length === 0 || isTextContentType(response.headers.get("content-type"));
  return {
    statusCode: response.status,
    headers,
    body: text ? bytes.toString("utf8") : bytes.toString("base64"),
    isBase64Encoded: !text,
    ...(cookies.length > 0 ? { cookies } : {}),
  };
}

/** Whether `event` is an HTTP API payload format 2.0 event. */
export function isPayloadV2(event: unknown): event is HttpApiEvent {
  const candidate = event as Partial<HttpApiEvent> | null;
  return candidate?.version === "2.0" && typeof candidate.requestContext?.http?.method === "string";
}

/**
 * Wraps the core handler as a Lambda handler for HTTP API payload format 2.0.
 * An event of another shape (payload 1.0, a direct invoke) is logged and answered 500, since it
 * means the integration is misconfigured; a request that cannot be converted gets 400.
 * @param core the handler from `createMcpHandler` (built once, at module scope)
 * @param logger for adapter-level failures
 */
export function createLambdaHandler(core: McpFetchHandler, logger: Logger = createJsonLogger()): HttpApiHandler {
  return async (event, context) => {
    if (!isPayloadV2(event)) {
      logger.error("unsupported event: expected an API Gateway HTTP API event, payload format version 2.0", {
        version: (event as { version?: unknown } | null)?.version,
      });
      return responseToResult(toErrorResponse(McpHttpError.internal(), logger));
    }
    let request: Request;
    let body: string | undefined;
    try {
      ({ request, body } = eventToRequest(event, { detachTextBody: true }));
    } catch (error) {
      logger.warn("malformed HTTP request", { error, request_id: event.requestContext.requestId });
      return responseToResult(
        toErrorResponse(new McpHttpError(400, JsonRpcErrorCode.InvalidRequest, "Bad Request: malformed HTTP request"), logger),
      );
    }
    return responseToResult(await core(request, { ...invocationFromEvent(event, context), ...(body === undefined ? {} : { body }) }));
  };
}
