/** Public API of the web-standard MCP core. */
export { createMcpHandler, buildPipeline, STAGE_SLOTS, STATELESS_ALLOWED_METHODS, SESSION_ALLOWED_METHODS } from "./handler.js";
export type { McpFetchHandler, McpHandlerOptions, StageSlot } from "./handler.js";
export { createRequestContext, DEFAULT_MAX_BODY_BYTES } from "./context.js";
export type {
  TenantServices,
  RequestContext,
  InvocationInfo,
  AuthorizerInfo,
  JwtClaims,
  TenantContext,
  SessionContext,
  ParsedBody,
  JsonRpcMessageKind,
} from "./context.js";
export { McpHttpError, JsonRpcErrorCode, toErrorResponse } from "./errors.js";
export type { McpHttpErrorOptions, JsonRpcErrorBody } from "./errors.js";
export { createJsonLogger, silentLogger, LOG_LEVELS } from "./logger.js";
export type { Logger, LogLevel, LogAttributes, JsonLoggerOptions } from "./logger.js";
export { runPipeline } from "./pipeline.js";
export type { Stage, NamedStage, Next } from "./pipeline.js";
export { createMcpServerFactory } from "./server.js";
export type { McpServerOptions, McpServerFactory } from "./server.js";
export { defineTool, registerTool } from "./tools.js";
export type {
  ToolDefinition,
  AnyToolDefinition,
  ToolConfig,
  ToolHandler,
  ToolArguments,
  ToolExtra,
  ToolInputSchema,
  ToolCaching,
  ServerExtension,
} from "./tools.js";
export { readParsedBody, readBodyWithLimit, parseJsonRpcBody, classifyMessage } from "./body.js";
export { createJwtVerifier } from "./auth/jwt.js";
export { TokenRejectedError } from "./auth/types.js";
export type { JwtVerifierOptions, VerifiedToken, TokenVerifier } from "./auth/jwt.js";
export type { MetricsSink, RequestUsage, Span, Tracing, UsageMeter, MeteredRequest, MeterOutcome } from "./observability.js";
export { createMemorySessionStore } from "./sessions/store.js";
export type { SessionStore, SessionRecord, SessionKey, MemorySessionStoreOptions } from "./sessions/store.js";
export { accessLogStage } from "./stages/access-log.js";
export { errorBoundaryStage } from "./stages/error-boundary.js";
export { routeStage, accepts, isJsonContentType, PRM_WELL_KNOWN } from "./stages/route.js";
export type { RouteOptions, HealthBody } from "./stages/route.js";
export { originStage, originAllowed, ORIGIN_VERIFY_HEADER } from "./stages/origin.js";
export type { OriginOptions } from "./stages/origin.js";
export {
  authenticationStage,
  protectedResourceMetadata,
  resourceMetadataUrl,
  resourceUrlFor,
  bearerChallenge,
} from "./stages/authentication.js";
export type { AuthenticationOptions } from "./stages/authentication.js";
export { tenantStage, TENANT_ID } from "./stages/tenant.js";
export type { TenantOptions } from "./stages/tenant.js";
export { sessionStage, newSessionId, sessionOwner, NO_TENANT } from "./stages/session.js";
export type { SessionOptions } from "./stages/session.js";
export { metricsStage, methodDimension, knownToolFilter, MCP_CLIENT_METHODS, TOOL_NAME } from "./stages/metrics.js";
export type { MetricsOptions } from "./stages/metrics.js";
export { usageStage } from "./stages/usage.js";
export type { UsageOptions } from "./stages/usage.js";
export { tracingStage } from "./stages/tracing.js";
export { mcpStage, bufferResponse } from "./stages/mcp.js";
export { bufferedBody } from "./buffered.js";
export type { McpStageOptions, ResponseMode } from "./stages/mcp.js";
