/**
 * `@mcp-server-aws/runtime`: an MCP server (Streamable HTTP, spec revisions 2025-06-18 / 2025-11-25)
 * for your own tools, served on AWS Lambda behind an API Gateway HTTP API, on ECS Fargate, or on
 * Amazon Bedrock AgentCore Runtime, from one image. See README.md in this package for a complete example.
 *
 * - {@link defineTool}: a tool is data, `{ name, config, handler, cacheable }`.
 * - {@link createLambdaHandler}: the Lambda handler (HTTP API payload 2.0) serving your tools.
 * - {@link createRouterHandler}: the tenant router in front of a tenant-isolated function.
 * - {@link createHttpServer} / {@link runHttpServer}: the same server on a port (`0.0.0.0:8000/mcp`, `GET /health`).
 *
 * Configuration comes from environment variables (README.md, "Configuration"), validated at startup.
 */
import type {} from "./tenancy/services.js"; // ctx.tenant.dynamodb() (module augmentation of TenantServices)

export { defineTool } from "./core/tools.js";
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
} from "./core/tools.js";
export type { RequestContext, TenantContext, TenantServices, AuthorizerInfo, InvocationInfo } from "./core/context.js";
export type { Logger, LogLevel, LogAttributes } from "./core/logger.js";
export { toolResult, toolError } from "./tools/result.js";
export { tools as builtInTools } from "./tools/index.js";

export { createLambdaHandler, createRouterHandler } from "./lambda/runtime.js";
export type { LambdaHandlerOptions, RouterHandlerOptions } from "./lambda/runtime.js";
export type { HttpApiEvent, HttpApiResult, HttpApiHandler, LambdaContextInfo } from "./lambda/adapter.js";

export {
  createHttpServer,
  runHttpServer,
  containerEnvironment,
  CONTAINER_LISTEN_DEFAULTS,
  DEFAULT_SHUTDOWN_GRACE_MS,
} from "./http/server.js";
export type { HttpServerOptions, HttpServer } from "./http/server.js";

export { loadConfig, ConfigError } from "./config.js";
export type { Config } from "./config.js";
export type { AppDependencies, AppOverrides } from "./app.js";
