/**
 * The token vending machine's runtime: temporary credentials per tenant from STS `AssumeRole` on the
 * tenant role, with the session tag `tenant_id` that the tenant data policy's
 * `dynamodb:LeadingKeys = ${aws:PrincipalTag/tenant_id}` condition reads (IAM User Guide, "Passing
 * session tags in AWS STS"; DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained
 * access control"). The function's own role never touches tenant data: only these sessions do.
 */
import { AssumeRoleCommand, type AssumeRoleCommandInput, type AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import type { Logger } from "../core/logger.js";
import { ENV, TENANT_ID } from "../contract/index.js";
import { silentLogger } from "../core/logger.js";
import { assertTenantId, roleSessionName } from "./tenant-id.js";

/** The one session tag key, everywhere (container/README.md). */
export const TENANT_TAG_KEY = TENANT_ID;

/** STS `DurationSeconds` bounds for AssumeRole, seconds (AWS STS API Reference, AssumeRole); the role's MaxSessionDuration must allow the value. */
export const MIN_DURATION_SECONDS = ENV.TVM_CREDENTIAL_DURATION_SECONDS.min;
export const MAX_DURATION_SECONDS = ENV.TVM_CREDENTIAL_DURATION_SECONDS.max;
/** Default credential lifetime, seconds (`TVM_CREDENTIAL_DURATION_SECONDS`). */
export const DEFAULT_DURATION_SECONDS = ENV.TVM_CREDENTIAL_DURATION_SECONDS.default;
/** Credentials are replaced this long before they expire, seconds (the AWS SDK's own refresh window). */
export const REFRESH_BEFORE_SECONDS = 300;

/** Temporary credentials of one tenant session; the shape the AWS SDK takes as an identity (`AwsCredentialIdentity`). */
export interface TenantCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** When STS said they expire. */
  readonly expiration: Date;
}

/** The part of an `STSClient` the provider uses (tests pass a fake that records the commands). */
export interface StsSender {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

export interface TenantCredentialsOptions {
  /** STS client (on Lambda: the function role's credentials, captured by the tracer). */
  readonly sts: StsSender;
  /** ARN of the tenant role (`TVM_TENANT_ROLE_ARN`); its trust policy admits the function's role with a `tenant_id` tag. */
  readonly roleArn: string;
  /** `DurationSeconds` of each session, 900-43200. @default 3600 */
  readonly durationSeconds?: number;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Tenants whose credentials are kept; the least recently used is dropped beyond this. @default 1000 */
  readonly maxTenants?: number;
  /** @default silent */
  readonly logger?: Logger;
}

/** Vends credentials per tenant; see {@link createTenantCredentialsProvider}. */
export interface TenantCredentialsProvider {
  /**
   * Credentials for `tenantId`, from the cache or from one STS call.
   * @throws InvalidTenantIdError when `tenantId` cannot be a session tag value (no STS call)
   * @throws the STS error (e.g. `AccessDenied`, throttling), not cached: the next call tries again
   */
  credentialsFor(tenantId: string): Promise<TenantCredentials>;
  /** The exact AssumeRole input used for `tenantId` (for logs and tests). */
  assumeRoleInput(tenantId: string): AssumeRoleCommandInput;
}

interface CacheEntry {
  readonly credentials: TenantCredentials;
  /** Epoch milliseconds from which the entry is replaced (expiry minus {@link REFRESH_BEFORE_SECONDS}). */
  readonly refreshAt: number;
}

/**
 * Creates the per-tenant credential cache:
 *
 * - `AssumeRole` with `RoleArn` = `roleArn`, `RoleSessionName` = `mcp-<tenant>-<hash>`
 *   ({@link roleSessionName}), `DurationSeconds` = `durationSeconds`,
 *   `Tags: [{ Key: "tenant_id", Value: <tenant> }]`.
 * - Cached per tenant and reused until 5 minutes before `Expiration`; then the next call assumes the
 *   role again.
 * - Concurrent calls for one tenant while a call is in flight share it: one STS call.
 * - A failed call is not cached; every waiter gets its error and the next call tries again.
 * - At most `maxTenants` tenants are kept (least recently used dropped). On a tenant-isolated Lambda
 *   function an execution environment serves one tenant, so this bound matters only without isolation.
 *
 * @throws RangeError when `durationSeconds` is outside 900-43200
 */
export function createTenantCredentialsProvider(options: TenantCredentialsOptions): TenantCredentialsProvider {
  const duration = options.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_DURATION_SECONDS || duration > MAX_DURATION_SECONDS) {
    throw new RangeError(`durationSeconds must be an integer ${MIN_DURATION_SECONDS}-${MAX_DURATION_SECONDS}, got ${duration}`);
  }
  const now = options.now ?? Date.now;
  const maxTenants = options.maxTenants ?? 1000;
  const logger = options.logger ?? silentLogger;
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<TenantCredentials>>();

  const input = (tenantId: string): AssumeRoleCommandInput => ({
    RoleArn: options.roleArn,
    RoleSessionName: roleSessionName(tenantId),
    DurationSeconds: duration,
    Tags: [{ Key: TENANT_TAG_KEY, Value: tenantId }],
  });

  const assume = async (tenantId: string): Promise<TenantCredentials> => {
    const request = input(tenantId);
    const { Credentials: c } = await options.sts.send(new AssumeRoleCommand(request));
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined || c.Expiration === undefined) {
      throw new Error("STS AssumeRole returned no credentials");
    }
    const credentials: TenantCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(c.Expiration),
    };
    cache.delete(tenantId);
    cache.set(tenantId, { credentials, refreshAt: credentials.expiration.getTime() - REFRESH_BEFORE_SECONDS * 1000 });
    if (cache.size > maxTenants) cache.delete(cache.keys().next().value!);
    logger.info("assumed the tenant role", {
      tenant_id: tenantId,
      role_session_name: request.RoleSessionName,
      expires_at: credentials.expiration.toISOString(),
    });
    return credentials;
  };

  return {
    assumeRoleInput: input,
    credentialsFor(tenantId) {
      try {
        assertTenantId(tenantId);
      } catch (error) {
        return Promise.reject(error);
      }
      const entry = cache.get(tenantId);
      if (entry !== undefined && now() < entry.refreshAt) {
        // Most recently used last (Map keeps insertion order).
        cache.delete(tenantId);
        cache.set(tenantId, entry);
        return Promise.resolve(entry.credentials);
      }
      let pending = inFlight.get(tenantId);
      if (pending === undefined) {
        pending = assume(tenantId).finally(() => inFlight.delete(tenantId));
        inFlight.set(tenantId, pending);
      }
      return pending;
    },
  };
}
