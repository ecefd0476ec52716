import type { TenantServices } from "../context.js";
import { McpHttpError } from "../errors.js";
import type { Stage } from "../pipeline.js";

/** Tenant ids the server accepts: 1-128 of letters, digits, `_ . : @ -` (safe as a DynamoDB key and IAM tag value). */
export const TENANT_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

export interface TenantOptions {
  /** Claim of the verified token that names the tenant. @default "tenant_id" */
  readonly claim?: string;
  /**
   * Tenant-scoped services for `ctx.tenant` (e.g. `{ dynamodb }` on vended credentials); called once
   * per request with the verified tenant id. Must be cheap and must not call AWS: services do their
   * work lazily, when a tool uses them. @default none
   */
  readonly services?: (tenantId: string) => TenantServices;
}

/**
 * The tenant slot: sets `ctx.tenant` from a claim of the token the authentication stage verified,
 * never from a header, a query parameter or the session (MCP spec 2025-06-18, Security Best Practices,
 * "Session Hijacking": bind session data to the user, and never use sessions for authentication).
 * On Cognito the claim comes from the pre token generation trigger (V3_0 for client_credentials).
 *
 * - no verified token (authentication not configured) -> 500 (a wiring error, logged)
 * - claim missing, not a string, or not {@link TENANT_ID} -> 403
 * - on a tenant-isolated Lambda function, an execution environment of another tenant
 *   (`ctx.executionTenantId`, Lambda's `context.tenantId`, differs from the claim) -> 403, logged:
 *   the router invoked this environment for another tenant than the token's, so nothing of this
 *   environment (cached tenant credentials included) may serve it
 */
export function tenantStage(options: TenantOptions = {}): Stage {
  const claim = options.claim ?? "tenant_id";
  return async (ctx, next) => {
    const claims = ctx.auth?.extra?.claims as Record<string, unknown> | undefined;
    if (claims === undefined) throw McpHttpError.internal(new Error("tenant stage needs the authentication stage before it"));
    const value = claims[claim];
    if (typeof value !== "string" || !TENANT_ID.test(value)) {
      throw McpHttpError.forbidden(`Forbidden: the token carries no valid ${claim} claim`);
    }
    if (ctx.executionTenantId !== undefined && ctx.executionTenantId !== value) {
      ctx.logger.warn("token tenant differs from the execution environment's tenant", {
        tenant_id: value,
        execution_tenant_id: ctx.executionTenantId,
      });
      throw McpHttpError.forbidden(`Forbidden: the token's ${claim} does not match this function's tenant`);
    }
    ctx.tenant = { ...options.services?.(value), tenantId: value };
    ctx.logger = ctx.logger.child({ tenant_id: value });
    return next();
  };
}
