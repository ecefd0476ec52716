/**
 * Composition root: configuration + tool list + core. Both adapters (Lambda, local server) build
 * their handler here, so they serve exactly the same MCP server.
 */
import type { Config } from "./config.js";
import { createMcpHandler, type McpFetchHandler, type McpHandlerOptions } from "./core/handler.js";
import { createJsonLogger } from "./core/logger.js";
import { tools } from "./tools/index.js";

/**
 * Creates the project's MCP handler from validated configuration.
 * @param config from `loadConfig()`
 * @param overrides replace or add options (tests use this to add a stage or a silent logger)
 */
export function createAppHandler(config: Config, overrides: Partial<McpHandlerOptions> = {}): McpFetchHandler {
  return createMcpHandler({
    serverName: config.serverName,
    serverVersion: config.serverVersion,
    path: config.path,
    responseMode: config.responseMode,
    tools,
    logger: createJsonLogger({ level: config.logLevel, service: config.serverName }),
    ...overrides,
  });
}
