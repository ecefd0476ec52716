/**
 * DynamoDB clients on vended tenant credentials: one client per tenant, whose credentials provider
 * is the token vending machine, so every request it signs is made as that tenant's role session
 * (and IAM's `dynamodb:LeadingKeys` condition confines it to the tenant's partition).
 */
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import type { TenantCredentialsProvider } from "./credentials.js";

export interface TenantDynamoDbOptions {
  readonly credentials: TenantCredentialsProvider;
  /**
   * Client settings besides credentials (Region, endpoint, retries). Region and endpoint default to
   * the environment (`AWS_REGION`; `AWS_ENDPOINT_URL_DYNAMODB` for DynamoDB Local). @default {}
   */
  readonly clientConfig?: Omit<DynamoDBClientConfig, "credentials">;
  /** Applied to each new client, e.g. Powertools `tracer.captureAWSv3Client`. @default identity */
  readonly decorate?: (client: DynamoDBClient) => DynamoDBClient;
  /** Clients kept; the least recently used is dropped beyond this (not destroyed: a request may still be using it). @default 100 */
  readonly maxClients?: number;
}

/** Per-tenant DynamoDB clients; see {@link createTenantDynamoDbClients}. */
export interface TenantDynamoDbClients {
  /**
   * The client for `tenantId` (created on first use, then reused). Creating it makes no AWS call:
   * STS is called when the client first signs a request (and again when the credentials near expiry).
   */
  forTenant(tenantId: string): DynamoDBClient;
}

/**
 * Creates the per-tenant client cache. Each client's `credentials` is a provider function calling
 * `credentials.credentialsFor(tenantId)` (AWS SDK for JavaScript v3, "Setting credentials": a
 * function returning `{ accessKeyId, secretAccessKey, sessionToken, expiration }`); the SDK asks it
 * again when `expiration` is near, and the vending machine's cache answers.
 */
export function createTenantDynamoDbClients(options: TenantDynamoDbOptions): TenantDynamoDbClients {
  const clients = new Map<string, DynamoDBClient>();
  const maxClients = options.maxClients ?? 100;
  return {
    forTenant(tenantId) {
      let client = clients.get(tenantId);
      if (client !== undefined) {
        clients.delete(tenantId);
        clients.set(tenantId, client);
        return client;
      }
      client = new DynamoDBClient({ ...options.clientConfig, credentials: () => options.credentials.credentialsFor(tenantId) });
      client = options.decorate?.(client) ?? client;
      clients.set(tenantId, client);
      if (clients.size > maxClients) clients.delete(clients.keys().next().value!);
      return client;
    },
  };
}
