import { toErrorResponse } from "../errors.js";
import type { Stage } from "../pipeline.js";

/**
 * Catches whatever the downstream stages throw and maps it with `toErrorResponse` (the single
 * error-to-Response mapping): `McpHttpError` keeps its status/code/message; anything else becomes
 * a generic 500 and is logged with its stack on the request logger.
 */
export function errorBoundaryStage(): Stage {
  return async (ctx, next) => {
    try {
      return await next();
    } catch (error) {
      return toErrorResponse(error, ctx.logger);
    }
  };
}
