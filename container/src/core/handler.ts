/**
 * `createMcpHandler`: the web-standard core, `(Request) => Promise<Response>`.
 * Lambda, the local Node server and tests are thin adapters around it.
 *
 * Pipeline order (outermost first). Slots marked "slot" are empty until a stage is supplied:
 *
 *   access-log -> error-boundary -> [origin] -> route -> [authentication] -> [tenant]
 *     -> [session] -> [metering] -> mcp
 *
 * - origin (slot): `Origin` allow-list, 403 when present and not allowed (MCP spec 2025-06-18
 *   Streamable HTTP, "Security Warning"); before route so every path is covered, and so it can
 *   answer CORS preflights before route turns OPTIONS into 405.
 * - route: only `path`; methods other than POST get 405.
 * - authentication (slot): verify the bearer token in the function, set `ctx.auth`; answer 401
 *   with `WWW-Authenticate: Bearer resource_metadata=...`.
 * - tenant (slot): set `ctx.tenant` from verified claims.
 * - session (slot): `Mcp-Session-Id` lookup/creation, keyed by tenant and user.
 * - metering (slot): wraps the MCP call (`await next()`), then records usage.
 * - mcp: the SDK transport (terminal).
 */
import { createRequestContext, type InvocationInfo } from "./context.js";
import { toErrorResponse } from "./errors.js";
import { createJsonLogger, type Logger } from "./logger.js";
import { runPipeline, type NamedStage, type Stage } from "./pipeline.js";
import { createMcpServerFactory, type ToolRegistration } from "./server.js";
import { accessLogStage } from "./stages/access-log.js";
import { errorBoundaryStage } from "./stages/error-boundary.js";
import { mcpStage, type ResponseMode } from "./stages/mcp.js";
import { routeStage } from "./stages/route.js";

/** Names of the optional stages, in the order they run. */
export const STAGE_SLOTS = ["origin", "authentication", "tenant", "session", "metering"] as const;
export type StageSlot = (typeof STAGE_SLOTS)[number];

/**
 * Methods the MCP endpoint accepts. Stateless mode: POST only. GET is 405 (no server-initiated
 * SSE stream on Lambda) and DELETE is 405 too (no session to end; the spec lets a server answer
 * DELETE with 405). A session stage will add DELETE.
 */
export const STATELESS_ALLOWED_METHODS: readonly string[] = ["POST"];

export interface McpHandlerOptions {
  /** `serverInfo.name` returned from `initialize`. */
  readonly serverName: string;
  /** `serverInfo.version` returned from `initialize`. */
  readonly serverVersion: string;
  /** Tools registered on every request's server. */
  readonly tools: readonly ToolRegistration[];
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
    { name: "error-boundary", run: errorBoundaryStage() },
    ...slot("origin"),
    { name: "route", run: routeStage({ path, allowedMethods: STATELESS_ALLOWED_METHODS }) },
    ...slot("authentication"),
    ...slot("tenant"),
    ...slot("session"),
    ...slot("metering"),
    {
      name: "mcp",
      run: mcpStage({
        responseMode: options.responseMode ?? "sse",
        createServer: createMcpServerFactory({
          name: options.serverName,
          version: options.serverVersion,
          tools: options.tools,
          ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
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
  return async (request, invocation = {}) => {
    let ctxLogger = logger;
    try {
      const ctx = createRequestContext(request, invocation, logger);
      ctxLogger = ctx.logger;
      return await runPipeline(pipeline, ctx);
    } catch (error) {
      // Only reached if the context cannot be built or the error boundary itself failed.
      return toErrorResponse(error, ctxLogger);
    }
  };
}
