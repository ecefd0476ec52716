/** The tenant router (`index.routerHandler`): see handler.ts. */
export { createRouterHandler, tenantOf } from "./handler.js";
export type { RouterOptions, LambdaInvoker } from "./handler.js";
export { loadRouterConfig, FUNCTION_ARN, ROUTER_ENV_NAMES } from "./config.js";
export type { RouterConfig, RouterAuthConfig } from "./config.js";
