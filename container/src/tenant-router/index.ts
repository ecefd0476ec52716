/** The tenant router (`index.routerHandler`): see handler.ts. */
export { createRouterHandler, tenantOf, isPublicRoute, PUBLIC_TENANT_ID, PUBLIC_PATHS } from "./handler.js";
export type { RouterOptions, LambdaInvoker } from "./handler.js";
export { loadRouterConfig, FUNCTION_ARN, ROUTER_ENV_NAMES } from "./config.js";
export type { RouterConfig } from "./config.js";
