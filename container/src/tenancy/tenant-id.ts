/**
 * Tenant id rules of the token vending machine: what an STS session tag value may hold, and the
 * role session name derived from it.
 */
import { createHash } from "node:crypto";

/**
 * An STS session tag value as AssumeRole accepts it, at least one character: letters, digits, spaces
 * and `_ . : / = + - @`, up to 256 characters. Source: AWS STS API Reference, data type `Tag`
 * (`Value`: length 0-256, pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`); IAM User Guide, "Passing session
 * tags in AWS STS". The tenant stage admits a stricter set (`TENANT_ID`); this is the last check
 * before the value reaches STS.
 */
export const SESSION_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** STS `RoleSessionName`: 2-64 of `[\w+=,.@-]` (AWS STS API Reference, AssumeRole). */
export const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** Thrown for a tenant id that cannot be an STS session tag value. */
export class InvalidTenantIdError extends Error {
  override readonly name = "InvalidTenantIdError";
}

/**
 * Checks `tenantId` against {@link SESSION_TAG_VALUE}.
 * @throws InvalidTenantIdError naming the rule (the value itself is not echoed: it came from a token)
 */
export function assertTenantId(tenantId: string): void {
  if (!SESSION_TAG_VALUE.test(tenantId)) {
    throw new InvalidTenantIdError("tenant id must be 1-256 letters, digits, spaces or _.:/=+-@ (an STS session tag value)");
  }
}

/**
 * The `RoleSessionName` for a tenant: `mcp-<tenant>-<hash>`, where `<tenant>` is the tenant id with
 * every character outside `[\w+=,.@-]` replaced by `-` and cut to 51 characters, and `<hash>` the
 * first 8 hex digits of SHA-256(tenant id), so distinct tenants that sanitize alike stay distinct.
 * Always matches {@link ROLE_SESSION_NAME} (14-64 characters). The name is part of the assumed-role
 * ARN (`arn:aws:sts::<account>:assumed-role/<role>/<name>`), so CloudTrail shows the tenant.
 */
export function roleSessionName(tenantId: string): string {
  const readable = tenantId.replace(/[^\w+=,.@-]/g, "-").slice(0, 51);
  const hash = createHash("sha256").update(tenantId).digest("hex").slice(0, 8);
  return `mcp-${readable}-${hash}`;
}
