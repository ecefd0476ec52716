/**
 * `createMcpHandler`: the web-standard core, `(Request) => Promise<Response>`.
 * Lambda, the local Node server and tests are thin adapters around it.
 *
 * Pipeline order (outermost first). Slots in brackets are empty until a stage is supplied
 * (container/src/app.ts fills them from configuration):
 *
 *   access-log -> [tracing] -> error-boundary -> [origin] -> route -> [authentication] -> [tenant]
 *     -> [session] -> [metrics] -> [usage] -> mcp
 *
 * - tracing (slot): one span per request (X-Ray subsegment on Lambda); outside error-boundary so it
 *   sees every answer as a status.
 * - origin (slot): CloudFront secret header, `Host` allow-list (loopback servers), `Origin`
 *   allow-list with 403 when present and not allowed (MCP spec 2025-06-18 Streamable HTTP, "Security
 *   Warning"); before route so every path is covered and CORS preflights are answered.
 * - route: `GET /health` and RFC 9728 metadata (both unauthenticated), then the MCP path, methods
 *   (405), `Accept` (406), `Content-Type` (415), `Content-Length` (413), `MCP-Protocol-Version` (400).
 * - authentication (slot): verify the bearer token in the function, set `ctx.auth`; answer 401
 *   with `WWW-Authenticate: Bearer resource_metadata=...`, 403 `insufficient_scope`.
 * - tenant (slot): set `ctx.tenant` from verified claims.
 * - session (slot): `Mcp-Session-Id` lookup/creation, keyed by tenant and owner; DELETE ends one.
 * - metrics (slot): wraps the rest (`await next()`), then records one metric set per request (EMF on
 *   Lambda), with the status of the answer or of the error thrown.
 * - usage (slot): counts the request's JSON-RPC requests and tool calls per tenant (metering table);
 *   the write runs alongside the MCP call and is waited for, bounded, before answering.
 * - mcp: reads the body once (limit, JSON-RPC validation), then the SDK transport (terminal).
 */
import { createRequestContext, DEFAULT_MAX_BODY_BYTES, type InvocationInfo } from "./context.js";
import { toErrorResponse } from "./errors.js";
import { createJsonLogger, type Logger } from "./logger.js";
import { runPipeline, type NamedStage, type Stage } from "./pipeline.js";
import { createMcpServerFactory, type McpServerOptions } from "./server.js";
import { accessLogStage } from "./stages/access-log.js";
import { errorBoundaryStage } from "./stages/error-boundary.js";
import { mcpStage, type ResponseMode } from "./stages/mcp.js";
import { routeStage, type RouteOptions } from "./stages/route.js";
import type { AnyToolDefinition, ServerExtension } from "./tools.js";

/**
 * `response` with `extra` headers set: in place (the pipeline's responses are its own, with mutable
 * headers, and a BufferedResponse (buffered.ts) stays one), or on a copy when the headers are immutable
 * (`Response.error()`, a fetched Response).
 */
function withHeaders(response: Response, extra: Headers): Response {
  let empty = true;
  extra.forEach(() => (empty = false));
  if (empty) return response;
  try {
    extra.forEach((value, name) => response.headers.set(name, value));
    return response;
  } catch {
    const headers = new Headers(response.headers);
    extra.forEach((value, name) => headers.set(name, value));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/** Names of the optional stages, in the order they run. */
export const STAGE_SLOTS = ["tracing", "origin", "authentication", "tenant", "session", "metrics", "usage"] as const;
export type StageSlot = (typeof STAGE_SLOTS)[number];

/**
 * Methods the MCP endpoint accepts. Stateless mode: POST only. GET is 405 (no server-initiated
 * SSE stream on Lambda) and DELETE is 405 too (no session to end; the spec lets a server answer
 * DELETE with 405). A session stage will add DELETE.
 */
export const STATELESS_ALLOWED_METHODS: readonly string[] = ["POST"];

/** Methods of the MCP endpoint when a session stage runs: DELETE ends a session. */
export const SESSION_ALLOWED_METHODS: readonly string[] = ["POST", "DELETE"];

export interface McpHandlerOptions {
  /** `serverInfo.name` returned from `initialize`. */
  readonly serverName: string;
  /** `serverInfo.version` returned from `initialize`. */
  readonly serverVersion: string;
  /** Tools offered by every request's server, in `tools/list` order (core/tools.ts). */
  readonly tools: readonly AnyToolDefinition[];
  /** Applied to every request's server after the tools: resources, prompts. */
  readonly extensions?: readonly ServerExtension[];
  /** Optional `instructions` returned from `initialize`. */
  readonly instructions?: string;
  /** MCP endpoint path; must start with `/`. @default "/mcp" */
  readonly path?: string;
  /** See {@link ResponseMode}. @default "sse" */
  readonly responseMode?: ResponseMode;
  /** Root logger. @default JSON lines on stdout at level info */
  readonly logger?: Logger;
  /** Stages for the optional slots; each runs at its fixed position (see file header). */
  readonly stages?: Readonly<Partial<Record<StageSlot, Stage>>>;
  /** Largest request body read, bytes; larger gets 413. @default 1048576 (1 MiB) */
  readonly maxBodyBytes?: number;
  /** Serve `GET /health` (unauthenticated). @default true */
  readonly health?: boolean;
  /** When set, RFC 9728 Protected Resource Metadata is served (see `routeStage`). */
  readonly protectedResourceMetadata?: RouteOptions["protectedResourceMetadata"];
  /** Extra server capabilities declared at initialize (e.g. `logging`, `completions`). */
  readonly capabilities?: McpServerOptions["capabilities"];
}

/**
 * The core handler: a web `Request` in, a fully buffered `Response` out; never rejects.
 * `invocation` carries what the adapter knows beyond the request (API Gateway request id,
 * JWT authorizer claims, source IP).
 */
export type McpFetchHandler = (request: Request, invocation?: InvocationInfo) => Promise<Response>;

/**
 * Returns the ordered stage list for `options` (see the file header for the order and why).
 * Exported so the order can be inspected and tested.
 * @throws Error when `options.path` does not start with `/`
 */
export function buildPipeline(options: McpHandlerOptions): readonly NamedStage[] {
  const path = options.path ?? "/mcp";
  if (!path.startsWith("/")) throw new Error(`McpHandlerOptions.path must start with "/", got "${path}"`);
  const slot = (name: StageSlot): NamedStage[] => {
    const run = options.stages?.[name];
    return run === undefined ? [] : [{ name, run }];
  };
  return [
    { name: "access-log", run: accessLogStage() },
    ...slot("tracing"),
    { name: "error-boundary", run: errorBoundaryStage() },
    ...slot("origin"),
    {
      name: "route",
      run: routeStage({
        path,
        allowedMethods: options.stages?.session === undefined ? STATELESS_ALLOWED_METHODS : SESSION_ALLOWED_METHODS,
        ...(options.health === false ? {} : { health: { name: options.serverName, version: options.serverVersion } }),
        ...(options.protectedResourceMetadata === undefined ? {} : { protectedResourceMetadata: options.protectedResourceMetadata }),
      }),
    },
    ...slot("authentication"),
    ...slot("tenant"),
    ...slot("session"),
    ...slot("metrics"),
    ...slot("usage"),
    {
      name: "mcp",
      run: mcpStage({
        responseMode: options.responseMode ?? "sse",
        toolNames: () => new Set(options.tools.map((tool) => tool.name)),
        createServer: createMcpServerFactory({
          name: options.serverName,
          version: options.serverVersion,
          tools: options.tools,
          ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
          ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
          ...(options.capabilities === undefined ? {} : { capabilities: options.capabilities }),
        }),
      }),
    },
  ];
}

/**
 * Creates the MCP request handler. Build it once (per Lambda cold start / per process) and call it
 * for every request; it holds no per-request state.
 * @throws Error for invalid options (see {@link buildPipeline})
 */
export function createMcpHandler(options: McpHandlerOptions): McpFetchHandler {
  const logger = options.logger ?? createJsonLogger({ service: options.serverName });
  const pipeline = buildPipeline(options);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (request, invocation = {}) => {
    let ctxLogger = logger;
    try {
      const ctx = createRequestContext(request, invocation, logger, maxBodyBytes);
      ctxLogger = ctx.logger;
      const response = await runPipeline(pipeline, ctx);
      return withHeaders(response, ctx.responseHeaders);
    } catch (error) {
      // Only reached if the context cannot be built or the error boundary itself failed.
      return toErrorResponse(error, ctxLogger);
    }
  };
}
