/** Public API of the web-standard MCP core. */
export { createMcpHandler, buildPipeline, STAGE_SLOTS, STATELESS_ALLOWED_METHODS } from "./handler.js";
export type { McpFetchHandler, McpHandlerOptions, StageSlot } from "./handler.js";
export { createRequestContext } from "./context.js";
export type { RequestContext, InvocationInfo, AuthorizerInfo, JwtClaims, TenantContext, SessionContext } from "./context.js";
export { McpHttpError, JsonRpcErrorCode, toErrorResponse } from "./errors.js";
export type { McpHttpErrorOptions, JsonRpcErrorBody } from "./errors.js";
export { createJsonLogger, silentLogger, LOG_LEVELS } from "./logger.js";
export type { Logger, LogLevel, LogAttributes, JsonLoggerOptions } from "./logger.js";
export { runPipeline } from "./pipeline.js";
export type { Stage, NamedStage, Next } from "./pipeline.js";
export { createMcpServerFactory } from "./server.js";
export type { ToolRegistration, McpServerOptions, McpServerFactory } from "./server.js";
export { accessLogStage } from "./stages/access-log.js";
export { errorBoundaryStage } from "./stages/error-boundary.js";
export { routeStage } from "./stages/route.js";
export type { RouteOptions } from "./stages/route.js";
export { mcpStage, bufferResponse } from "./stages/mcp.js";
export type { McpStageOptions, ResponseMode } from "./stages/mcp.js";
