/**
 * Token vending machine runtime: per-tenant credentials from STS and DynamoDB clients on
 * them, offered to tools as `ctx.tenant.dynamodb()` (services.ts).
 */
export { tenantServices } from "./services.js";
export {
  createTenantCredentialsProvider,
  TENANT_TAG_KEY,
  MIN_DURATION_SECONDS,
  MAX_DURATION_SECONDS,
  DEFAULT_DURATION_SECONDS,
  REFRESH_BEFORE_SECONDS,
} from "./credentials.js";
export type { TenantCredentials, TenantCredentialsOptions, TenantCredentialsProvider, StsSender } from "./credentials.js";
export { createTenantDynamoDbClients } from "./dynamodb.js";
export type { TenantDynamoDbClients, TenantDynamoDbOptions } from "./dynamodb.js";
export { assertTenantId, roleSessionName, InvalidTenantIdError, SESSION_TAG_VALUE, ROLE_SESSION_NAME } from "./tenant-id.js";
