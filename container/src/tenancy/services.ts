/**
 * `ctx.tenant.dynamodb()`: how tools reach tenant data. Type-only imports of the AWS SDK here, so the
 * composition root can import this file without loading the SDK (it imports the rest of
 * container/src/tenancy only with the token vending machine configured).
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TenantServices } from "../core/context.js";
import type { TenantDynamoDbClients } from "./dynamodb.js";

declare module "../core/context.js" {
  interface TenantServices {
    /**
     * A DynamoDB client signed with credentials vended for this request's tenant (STS AssumeRole on
     * `TVM_TENANT_ROLE_ARN` with the session tag `tenant_id`). Present only when the token vending
     * machine is configured. Resolving it makes no AWS call; STS is called when the client first
     * sends a request, then the credentials are cached per tenant and refreshed 5 minutes before
     * they expire.
     */
    readonly dynamodb?: () => Promise<DynamoDBClient>;
  }
}

/** The tenant stage's `services` option: `ctx.tenant.dynamodb()` resolves the tenant's client from `clients`. */
export function tenantServices(clients: TenantDynamoDbClients): (tenantId: string) => TenantServices {
  return (tenantId) => ({ dynamodb: async () => clients.forTenant(tenantId) });
}
