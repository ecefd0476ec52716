import type { IResolvable } from "cdktf";

/** Throttling for one route; unset fields fall back to the stage default. */
export interface RouteThrottle {
  /** Steady-state requests per second. @default the stage's `throttleRateLimit` */
  readonly throttlingRateLimit?: number;
  /** Burst bucket size, in requests. @default the stage's `throttleBurstLimit` */
  readonly throttlingBurstLimit?: number;
}

/**
 * Props of {@link McpServer}. Each prop is the camelCase twin of one variable of the
 * published `mcp_server` module (see `inputs.ts` for names, defaults and validation).
 * Values may be literals (per-environment stacks) or Terraform tokens (the published module).
 */
export interface McpServerProps {
  /** Prefix of every resource name: lowercase letters, digits and hyphens. */
  readonly name: string;
  /** `dev`, `staging` or `prod`. */
  readonly environment: string;
  /** Tags added to every resource that takes tags. @default {} */
  readonly tags?: Record<string, string>;

  /** ECR image URI with a tag or digest, in the function's Region. */
  readonly imageUri: string;
  /** Function memory, MB (128-10240). @default 512 */
  readonly memorySize?: number;
  /** Function timeout, seconds (1-30: the HTTP API integration timeout caps it). @default 29 */
  readonly timeout?: number;
  /** Reserved concurrency; -1 for unreserved. @default -1 */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Reserved concurrency of the tenant router (only with `enableTenantIsolation`); -1 for
   * unreserved. @default -1
   */
  readonly routerReservedConcurrentExecutions?: number;
  /**
   * Extra environment variables. Lambda's reserved keys (`LAMBDA_RESERVED_ENV_KEYS`) and `MCP_*`
   * are refused; at most `USER_ENVIRONMENT_BYTES` as JSON. @default {}
   */
  readonly environmentVariables?: Record<string, string>;

  /** VPC of the subnets; checked against them after the function is created. */
  readonly vpcId: string;
  /** Private subnets for the function's network interfaces (1-16). */
  readonly vpcSubnetIds: string[];
  /** Security groups for the function's network interfaces (1-5). */
  readonly vpcSecurityGroupIds: string[];

  /** Customer managed KMS key for the environment, logs and SNS topic. */
  readonly kmsKeyArn: string;
  /** Prefix of the IAM role names. @default `<name>-<environment>-<region>` */
  readonly iamNamePrefix?: string;

  /** Require a Cognito JWT with scope `mcp/invoke` on every `/mcp` route. @default true */
  readonly enableAuth?: boolean | IResolvable;
  /**
   * Put API Gateway's JWT authorizer on the /mcp routes as well as verifying in the function.
   * `false` lets the function answer 401 with `WWW-Authenticate: Bearer resource_metadata=...`
   * (an authorizer's 401 cannot), which interactive MCP clients need for OAuth discovery.
   * @default true
   */
  readonly enableGatewayAuthorizer?: boolean | IResolvable;
  /** External user pool id; with the two below, replaces the module's own pool. @default none */
  readonly cognitoUserPoolId?: string;
  /** External user pool endpoint, `cognito-idp.<region>.amazonaws.com/<pool id>`. @default none */
  readonly cognitoUserPoolEndpoint?: string;
  /** App client id of the external pool: the JWT authorizer's audience. @default none */
  readonly cognitoClientId?: string;

  // --- Interactive sign-in (an OAuth 2.1 authorization server at the MCP origin) ----------------------
  /**
   * Create the authorization server for interactive MCP clients (two functions, their routes, the
   * OAuth table, the KMS signing keys, the Cognito app client). Needs `enableAuth` and
   * `enableGatewayAuthorizer = false`. @default false
   */
  readonly enableInteractiveAuth?: boolean | IResolvable;
  /**
   * Public origin (`https://host`, no path) when something outside this module fronts the API: the
   * issuer, and the base of `mcp_endpoint_url`. @default the custom domain, CloudFront or execute-api origin
   */
  readonly publicBaseUrl?: string;
  /** Access-token lifetime, seconds (300-3600). @default 900 */
  readonly oauthAccessTokenTtlSeconds?: number;
  /** Absolute grant (refresh-token) lifetime, days (1-90). @default 30 */
  readonly oauthRefreshTokenTtlDays?: number;
  /** Dynamic client registration (RFC 7591): `off`, `allowlist` or `open`. @default "allowlist" */
  readonly oauthDcrMode?: string;
  /** Client ID Metadata Documents: `off`, `allowlist` or `open`. @default "allowlist" */
  readonly oauthCimdMode?: string;
  /** New client registrations per hour, all sources (1-10000). @default 60 */
  readonly oauthDcrMaxRegistrationsPerHour?: number;
  /** Days after which an unused registered client expires (1-365). @default 30 */
  readonly oauthDcrClientTtlDays?: number;
  /** Redirect URIs registered clients may use. @default loopback and the known clients' callbacks */
  readonly oauthAllowedRedirectUris?: string[];
  /** Hosts whose Client ID Metadata Documents are fetched in `allowlist` mode. @default the known clients' hosts */
  readonly oauthCimdAllowedHosts?: string[];
  /** Pre-registered clients by client id. @default {} */
  readonly oauthClients?: Record<string, OAuthClientProps> | IResolvable;
  /** ID-token claim copied into the access token's `tenant_id`. @default "custom:tenant_id" */
  readonly oauthTenantAttribute?: string;
  /** Cognito group -> extra scopes its members may be granted. @default {} */
  readonly oauthGroupScopes?: Record<string, string[]> | IResolvable;
  /** Cognito `identity_provider` for every sign-in (a federated IdP). @default none */
  readonly oauthUpstreamIdentityProvider?: string;
  /** Generations of the token-signing key (1-3); the last signs, all are published. @default ["k1"] */
  readonly oauthSigningKeys?: string[];
  /** MFA of the module's user pool: `OFF`, `OPTIONAL` or `ON` (TOTP). @default "OFF" */
  readonly cognitoMfaConfiguration?: string;
  /** Domain of the external user pool (prefix or custom domain); needed with interactive sign-in. @default none */
  readonly cognitoUserPoolDomain?: string;

  /** Lambda tenant isolation (`PER_TENANT`) behind a router function; immutable after creation. @default false */
  readonly enableTenantIsolation?: boolean | IResolvable;

  // --- Tenants -------------------------------------------------------------------------------------
  /**
   * Tenants of the module's own user pool, by tenant id: their e-mail domains, invitations and
   * machine clients (written to the tenant directory the Cognito triggers read). Needs
   * `enableTenantIsolation` and no external pool. @default {}
   */
  readonly tenants?: Record<string, TenantProps> | IResolvable;
  /**
   * Who puts `tenant_id` into access tokens with tenant isolation: `"module"` (the module's pool and
   * triggers) or `"issuer"` (an external pool that does it itself; required with `cognitoUserPoolId`).
   * @default derived: "module" with the module's pool
   */
  readonly tenantClaimSource?: string;

  /** Per-route throttling, keyed by route key (`POST /mcp`). @default {} */
  readonly routeThrottleOverrides?: Record<string, RouteThrottle> | IResolvable;
  /** Stage default steady-state rate, requests per second. @default 100 */
  readonly throttleRateLimit?: number;
  /** Stage default burst, requests. @default 50 */
  readonly throttleBurstLimit?: number;
  /** Browser origins allowed by both the API's CORS and the function's Origin check. @default [] */
  readonly corsAllowedOrigins?: string[];

  /** WAFv2 web ACL (scope CLOUDFRONT, us-east-1) for a CloudFront distribution in front of the API. @default none */
  readonly wafAclArn?: string;

  /**
   * Put CloudFront + `wafAclArn` in front of the API. Unset: decided by whether `wafAclArn` is
   * set, which Terraform must know at plan; set `true` when the ACL is created in the same apply.
   * @default derived from wafAclArn
   */
  readonly enableWaf?: boolean | IResolvable;

  /**
   * With WAF (CloudFront in front of the API), deliver the distribution's standard logs (v2) to
   * `cloudfrontAccessLogDestinationArn` (FedRAMP AU-2). `false` runs CloudFront without them.
   * @default true
   */
  readonly enableCloudfrontAccessLogs?: boolean | IResolvable;

  /**
   * ARN of a CloudWatch Logs delivery destination in us-east-1 for the access logs, such as
   * `mcp_waf`'s `cloudfront_access_log_destination_arn`. Needed with WAF and access logs on.
   * @default none
   */
  readonly cloudfrontAccessLogDestinationArn?: string;

  /**
   * Custom domain clients use, e.g. `mcp.example.com`: CloudFront's alternate domain with WAF,
   * else an API Gateway custom domain. `mcp_endpoint_url` and the RFC 9728 resource use it.
   * @default none
   */
  readonly domainName?: string;
  /**
   * ACM certificate for `domainName`: in us-east-1 with WAF (CloudFront), else in the function's
   * Region (API Gateway). @default none
   */
  readonly certificateArn?: string;
  /** Route 53 hosted zone for alias records (A, and AAAA with CloudFront) of `domainName`. @default none */
  readonly route53ZoneId?: string;
  /** Turn off the execute-api URL (only with `domainName` and without WAF). @default false */
  readonly disableExecuteApiEndpoint?: boolean | IResolvable;

  /** DynamoDB table for MCP sessions. @default false */
  readonly enableSessionTable?: boolean | IResolvable;
  /** Lifetime of a session record, seconds (60-2592000). @default 3600 */
  readonly sessionTtlSeconds?: number;

  /** DynamoDB table caching results of cacheable tools. @default false */
  readonly enableToolCache?: boolean | IResolvable;
  /** Lifetime of a cached result, seconds (1-2592000). @default 300 */
  readonly toolCacheTtlSeconds?: number;

  /** ECR repository for the server image. @default false */
  readonly enableEcrRepository?: boolean | IResolvable;
  /** `IMMUTABLE` or `MUTABLE`. @default "IMMUTABLE" */
  readonly ecrImageTagMutability?: string;
  /** Scan images for vulnerabilities on push. @default true */
  readonly ecrScanOnPush?: boolean | IResolvable;

  /** CloudWatch Logs retention, days (one of the values CloudWatch accepts). @default 30 */
  readonly logRetentionDays?: number;
  /** X-Ray active tracing on the function. @default true */
  readonly enableXrayTracing?: boolean | IResolvable;
  /** Existing SNS topic for alarms; when unset the module creates an encrypted one. @default none */
  readonly alarmSnsTopicArn?: string;
  /**
   * Create the alarm topic. Unset: created when `alarmSnsTopicArn` is unset, which Terraform must
   * know at plan; set `false` when the topic ARN comes from a resource created in the same apply.
   * @default derived from alarmSnsTopicArn
   */
  readonly createAlarmSnsTopic?: boolean | IResolvable;
  /** Whether alarms notify the topic. @default true */
  readonly alarmActionsEnabled?: boolean | IResolvable;
}

/** One tenant of {@link McpServerProps.tenants}. */
export interface TenantProps {
  /** E-mail domains (lower case) whose users join this tenant when they confirm sign-up. @default [] */
  readonly domains?: string[];
  /** E-mail addresses (lower case) that join this tenant, over their domain's rule. @default [] */
  readonly invitations?: string[];
  /** Names of client_credentials app clients to create for this tenant. @default [] */
  readonly machineClients?: string[];
}

/** One pre-registered client of {@link McpServerProps.oauthClients}. */
export interface OAuthClientProps {
  /** Name shown on the consent page. */
  readonly clientName: string;
  /** Exact redirect URIs (loopback ones match any port). */
  readonly redirectUris: string[];
  /** A confidential client with a secret (`client_secret_basic`). @default false */
  readonly confidential?: boolean;
  /** No consent page for this client (operator-approved). @default false */
  readonly skipConsent?: boolean;
}
