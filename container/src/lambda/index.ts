/**
 * Lambda entry point (`CMD ["index.handler"]` in container/Dockerfile).
 * Configuration is validated and the core handler is built once per cold start, at module scope;
 * an invalid environment fails the init phase with a message naming the variable.
 */
import { createAppHandler } from "../app.js";
import { loadConfig } from "../config.js";
import { createJsonLogger } from "../core/logger.js";
import { createLambdaHandler } from "./adapter.js";

const config = loadConfig();
const logger = createJsonLogger({ level: config.logLevel, service: config.serverName });

/** The Lambda handler: API Gateway HTTP API payload 2.0 event in, structured result out. */
export const handler = createLambdaHandler(createAppHandler(config, { logger }), logger);
