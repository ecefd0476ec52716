import type { Stage } from "../pipeline.js";

/**
 * Outermost stage: one `request completed` log line per request with `method`, `path`,
 * `status` and `duration_ms` (milliseconds, from `ctx.receivedAt`). Never alters the response.
 */
export function accessLogStage(): Stage {
  return async (ctx, next) => {
    const response = await next();
    ctx.logger.info("request completed", {
      method: ctx.request.method,
      path: ctx.url.pathname,
      status: response.status,
      duration_ms: Date.now() - ctx.receivedAt,
    });
    return response;
  };
}
