/**
 * The tenant directory: one DynamoDB table that maps an OAuth client, an e-mail domain or an invited
 * e-mail address to a tenant id. The `mcp_server` module creates the table (KMS-encrypted, point-in-time
 * recovery, no TTL) and writes the entries declared in its `tenants` input; operators add invitations
 * with `PutItem`. Only the Cognito triggers read it.
 *
 * Item layout: `{ directory_key: "<kind>#<value>", tenant_id: "<tenant id>" }` with kinds
 * - `client#<app client id>`: tokens of this machine client (client_credentials) carry this tenant
 * - `domain#<e-mail domain, lower case>`: users who sign up with an address at this domain join this tenant
 * - `invitation#<e-mail address, lower case>`: this one user joins this tenant (wins over the domain rule)
 *
 * The key names come from the wire contract (container/src/contract); the module
 * (src/mcp-server/tenants.ts) reads the entry kinds from here.
 */
import { GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { TABLES, TENANT_ID } from "../../container/src/contract/index.js";

/** Partition key of the directory table (type S). */
export const DIRECTORY_KEY = TABLES.tenantDirectory.hashKey;
/** Attribute holding the tenant id. */
export const DIRECTORY_TENANT_ATTRIBUTE = TENANT_ID;
/** Prefixes of the three kinds of entries. */
export const DIRECTORY_KINDS = { client: "client#", domain: "domain#", invitation: "invitation#" } as const;

/** Tenant ids the project accepts: 1-128 of letters, digits, `_ . : @ -` (the MCP function's rule, core/stages/tenant.ts). */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/;

/** The directory key of each kind; e-mail domains and addresses are case-insensitive (RFC 5321 section 2.4 for the domain; Cognito compares e-mail addresses case-insensitively). */
export const directoryKey = {
  client: (clientId: string) => `${DIRECTORY_KINDS.client}${clientId}`,
  domain: (domain: string) => `${DIRECTORY_KINDS.domain}${domain.toLowerCase()}`,
  invitation: (email: string) => `${DIRECTORY_KINDS.invitation}${email.trim().toLowerCase()}`,
};

/** Read access to the directory (tests and the triggers build it with {@link createTenantDirectory}). */
export interface TenantDirectory {
  /** The tenant of a machine client, or undefined. */
  tenantOfClient(clientId: string): Promise<string | undefined>;
  /**
   * The tenant of a new user with this e-mail address: its invitation, else its domain's entry,
   * else undefined. Only a verified address should be passed (the caller checks `email_verified`).
   */
  tenantOfEmail(email: string): Promise<string | undefined>;
}

export interface TenantDirectoryOptions {
  readonly client: Pick<DynamoDBClient, "send">;
  readonly tableName: string;
}

/** The domain part of an e-mail address (after the last `@`), lower case; undefined when there is none. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return undefined;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

/**
 * A {@link TenantDirectory} over the table `tableName`: one `GetItem` per lookup (strongly consistent,
 * so an entry written just before a sign-up is seen). A stored tenant id that breaks
 * {@link TENANT_ID_PATTERN} counts as no entry.
 * @throws the DynamoDB client's error when a read fails (the trigger fails, and Cognito refuses the operation)
 */
export function createTenantDirectory(options: TenantDirectoryOptions): TenantDirectory {
  const lookup = async (key: string): Promise<string | undefined> => {
    const { Item } = await options.client.send(
      new GetItemCommand({
        TableName: options.tableName,
        Key: { [DIRECTORY_KEY]: { S: key } },
        ProjectionExpression: DIRECTORY_TENANT_ATTRIBUTE,
        ConsistentRead: true,
      }),
    );
    const tenant = Item?.[DIRECTORY_TENANT_ATTRIBUTE]?.S;
    return tenant !== undefined && TENANT_ID_PATTERN.test(tenant) ? tenant : undefined;
  };
  return {
    tenantOfClient: (clientId) => lookup(directoryKey.client(clientId)),
    async tenantOfEmail(email) {
      const invited = await lookup(directoryKey.invitation(email));
      if (invited !== undefined) return invited;
      const domain = emailDomain(email);
      return domain === undefined ? undefined : lookup(directoryKey.domain(domain));
    },
  };
}
