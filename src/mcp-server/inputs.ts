/**
 * The input contract of the `mcp_server` module: every variable's name, type, default,
 * description and rules. The module README's "Departures from the design" lists where it
 * differs from the original design (the `timeout` default and range).
 */
import {
  ALARM_ACTIONS_ENABLED_INPUT,
  ALARM_SNS_TOPIC_ARN_INPUT,
  CREATE_ALARM_SNS_TOPIC_INPUT,
  ENVIRONMENT_INPUT,
  iamNamePrefixInput,
  kmsKeyArnInput,
  logRetentionDaysRule,
  NAME_INPUT,
  TAGS_INPUT,
} from "../lib/common-inputs.js";
import {
  anyOf,
  greaterThan,
  integer,
  isIntegerIn,
  listOf,
  moduleInputs,
  nullable,
  oneOf,
  pattern,
  hclRegex,
  type CrossInputCheck,
  type WithDefaults,
} from "../lib/module-spec.js";
import { AUTHORIZATION_SERVER_PATHS as AS, ENV, PATHS, PUBLIC_PATHS } from "../../container/src/contract/index.js";
import { DEFAULT_ALLOWED_REDIRECT_URIS } from "../../handlers/oauth/src/core/config.js";
import { EDGE_REGION } from "../lib/edge-logs.js";
import type { McpServerProps, TenantProps } from "./props.js";

/** One `tenants` entry as the variable holds it (after `optional()` defaults). */
interface TenantVariable {
  readonly domains: string[];
  readonly invitations: string[];
  readonly machine_clients: string[];
}

/** The MCP endpoint's routes (MCP Streamable HTTP): authorized with the JWT when auth is on. */
export const MCP_ROUTE_KEYS = [`POST ${PATHS.mcp}`, `GET ${PATHS.mcp}`, `DELETE ${PATHS.mcp}`] as const;
/**
 * Routes that must answer without a token: the health check, and OAuth 2.0 Protected Resource
 * Metadata (RFC 9728 section 3.1, at the root and path-inserted for /mcp), which MCP clients read
 * to find the authorization server (MCP 2025-06-18, Authorization).
 */
export const PUBLIC_ROUTE_KEYS = PUBLIC_PATHS.map((path) => `GET ${path}` as const);
/**
 * Routes of the authorization server for interactive sign-in (handlers/oauth), by the function that
 * serves them; none has an authorizer (they are how a client gets a token). The token function alone
 * holds the upstream client secret and may sign.
 */
export const OAUTH_ROUTE_KEYS = {
  front: [
    `GET ${AS.metadata}`,
    `GET ${AS.openidConfiguration}`,
    `GET ${AS.jwks}`,
    `GET ${AS.authorize}`,
    `POST ${AS.register}`,
    `POST ${AS.consent}`,
  ],
  token: [`GET ${AS.callback}`, `POST ${AS.token}`, `POST ${AS.revoke}`],
} as const;
/** Every OAuth route key. */
export const OAUTH_ROUTE_KEY_LIST = [...OAUTH_ROUTE_KEYS.front, ...OAUTH_ROUTE_KEYS.token] as const;
/**
 * Throttles the OAuth routes get unless `route_throttle_overrides` names them: registration is rare
 * and the cheapest to abuse (1 request/s, burst 5); token requests come once per sign-in and
 * refresh (20/s, burst 40).
 */
export const OAUTH_ROUTE_THROTTLES: Readonly<Record<string, { throttling_rate_limit: number; throttling_burst_limit: number }>> = {
  [`POST ${AS.register}`]: { throttling_rate_limit: 1, throttling_burst_limit: 5 },
  [`POST ${AS.token}`]: { throttling_rate_limit: 20, throttling_burst_limit: 40 },
};
/** Every route key; `route_throttle_overrides` may only name these (the OAuth ones with `enable_interactive_auth`). */
export const ROUTE_KEYS = [...MCP_ROUTE_KEYS, ...PUBLIC_ROUTE_KEYS, ...OAUTH_ROUTE_KEY_LIST] as const;

/**
 * The HTTP API integration timeout is at most 30 s and cannot be raised
 * (API Gateway developer guide, http-api-quotas).
 */
export const MAX_INTEGRATION_TIMEOUT_SECONDS = 30;

/** Ranges and defaults of the variables the function reads them from (`MCP_*_TTL_SECONDS`). */
const SESSION_TTL = ENV.MCP_SESSION_TTL_SECONDS;
const TOOL_CACHE_TTL = ENV.MCP_TOOL_CACHE_TTL_SECONDS;

const ECR_IMAGE_URI =
  /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-[0-9]_[0-9a-zA-Z]+$/;
const USER_POOL_ENDPOINT = /^(https:\/\/)?cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[a-z]{2}(-[a-z]+)+-[0-9]_[0-9a-zA-Z]+$/;
/** The Region in a user pool endpoint (`cognito-idp.<region>.amazonaws.com/<pool id>`). */
const POOL_ENDPOINT_REGION = /cognito-idp\.([a-z0-9-]+)\.amazonaws/;
const CLIENT_ID = /^[a-zA-Z0-9+]{1,128}$/;
const WAF_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[a-f0-9-]{36}$/;
const ENV_VAR_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** A fully qualified DNS name (RFC 1123 labels, at least two, lowercase; no wildcard). */
const DOMAIN_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[0-9a-f-]{36}$/;
const HOSTED_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
/** A CloudWatch Logs delivery destination in the edge Region (delivery destination names: 1-60 of \w and -). */
const LOG_DELIVERY_DESTINATION_ARN = new RegExp(`^arn:aws[a-z-]*:logs:${EDGE_REGION}:[0-9]{12}:delivery-destination:[A-Za-z0-9_-]{1,60}$`);
/** `waf_enabled` over variables only (preconditions cannot read locals of the edge). */
const WAF_ON = "(var.enable_waf == null ? var.waf_acl_arn != null : var.enable_waf)";

/**
 * Keys Lambda sets itself and refuses in a function's configuration (Lambda developer guide,
 * "Defined runtime environment variables", reserved list). Other `AWS_*` keys, such as
 * `AWS_USE_FIPS_ENDPOINT` or `AWS_XRAY_CONTEXT_MISSING`, are the user's to set.
 */
export const LAMBDA_RESERVED_ENV_KEYS = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
] as const;

/** Lambda's limit on a function's environment: 4 KB for all keys and values (Lambda quotas). */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
/**
 * What `environment_variables` may take: the rest, 1 KB, is kept for the module's own MCP_*
 * variables (URLs, issuer, table names, the origin-verify secret, allowed origins). The whole
 * environment is checked again on the function, against {@link LAMBDA_ENVIRONMENT_BYTES}.
 */
export const USER_ENVIRONMENT_BYTES = 3072;

/** Length of `jsonencode(map)` as Terraform writes it (`<`, `>`, `&` escaped as \u003c...). */
export function jsonLength(map: Record<string, string>): number {
  return JSON.stringify(map).replace(/[<>&]/g, "xxxxxx").length;
}
const ORIGIN = /^https?:\/\/[a-zA-Z0-9.-]+(:[0-9]{1,5})?$/;
/** Tenant ids declared in `tenants`: the function's tenant id alphabet, at most 64 characters (Cognito group names and app client names built from them stay short). */
const TENANT_ID = /^[A-Za-z0-9_.:@-]{1,64}$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const MACHINE_CLIENT = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** An https origin: scheme and lowercase host, optional port, no path, no trailing slash. */
const HTTPS_ORIGIN = /^https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;
/** A redirect URI: https or a custom scheme with `://`, no fragment, no whitespace (RFC 8252 section 7.1, RFC 9700 section 4.1.3). */
const REDIRECT_URI = /^[a-z][a-z0-9+.-]*:\/\/[^\s#]+$/;
/** A loopback redirect (RFC 8252 section 7.3): http on localhost, 127.0.0.1 or [::1], any port. */
const LOOPBACK_REDIRECT = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?(\/[^\s#]*)?$/;
/** Key generation names of `oauth_signing_keys`. */
const KEY_GENERATION = /^[a-z0-9][a-z0-9-]{0,15}$/;
/** A static client id: not `mcp_...` (dynamically registered ids) and not a URL (metadata documents). */
const STATIC_CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CLAIM_NAME = /^[A-Za-z0-9_:.-]{1,64}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
const IDENTITY_PROVIDER = /^[A-Za-z0-9][A-Za-z0-9 ._@+=,-]{0,31}$/;
/** A Cognito domain prefix (`<prefix>.auth.<region>.amazoncognito.com`). */
const POOL_DOMAIN_PREFIX = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** One `oauth_clients` entry as the variable holds it (after `optional()` defaults). */
interface OAuthClientVariable {
  readonly client_name: string;
  readonly redirect_uris: string[];
  readonly confidential: boolean;
  readonly skip_consent: boolean;
}

/** `redirect_uris` rule shared by `oauth_allowed_redirect_uris` and `oauth_clients`: https or custom scheme; http only on loopback. */
const redirectUriOk = (u: unknown) =>
  typeof u === "string" && REDIRECT_URI.test(u) && (!u.startsWith("http:") || LOOPBACK_REDIRECT.test(u));
const redirectUriHcl = (u: string) =>
  `can(regex(${hclRegex(REDIRECT_URI)}, ${u})) && (!startswith(${u}, "http:") || can(regex(${hclRegex(LOOPBACK_REDIRECT)}, ${u})))`;

export const MCP_SERVER_INPUTS = moduleInputs<McpServerProps>()(
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  {
    name: "image_uri",
    prop: "imageUri",
    type: "string",
    description: "ECR image URI for the Lambda function container image",
    nullable: false,
    rules: [
      pattern(
        ECR_IMAGE_URI,
        "an Amazon ECR image URI with a tag or digest, <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>",
        {
          reason: "Lambda runs container images only from ECR in the function's Region",
          rejects: ["nginx:latest", "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-server"],
        },
      ),
    ],
  },
  {
    name: "memory_size",
    prop: "memorySize",
    type: "number",
    description: "Amount of memory in MB allocated to the Lambda function",
    default: 512,
    nullable: false,
    rules: [integer({ min: 128, max: 10240, unit: "MB", reason: "(Lambda's limits)", rejects: [64] })],
  },
  {
    name: "timeout",
    prop: "timeout",
    type: "number",
    description: "Maximum execution time in seconds for the Lambda function (1-30: the HTTP API integration timeout is at most 30 s)",
    default: 29,
    nullable: false,
    rules: [
      integer({
        min: 1,
        max: MAX_INTEGRATION_TIMEOUT_SECONDS,
        unit: "seconds",
        reason: `API Gateway HTTP APIs end every integration after at most ${MAX_INTEGRATION_TIMEOUT_SECONDS} s (http-api-quotas), so a longer function timeout only bills for work no client receives`,
        rejects: [180],
      }),
    ],
  },
  {
    name: "reserved_concurrent_executions",
    prop: "reservedConcurrentExecutions",
    type: "number",
    description: "Reserved concurrent executions for the Lambda function (-1 for unreserved)",
    default: -1,
    nullable: false,
    rules: [
      anyOf([oneOf([-1]), integer({ min: 1 })], {
        allows: "-1 (unreserved) or a whole number >= 1",
        reason: "0 would stop every invocation. The account must keep 100 executions unreserved",
        rejects: [-2, 2.5],
      }),
    ],
  },
  {
    name: "router_reserved_concurrent_executions",
    prop: "routerReservedConcurrentExecutions",
    type: "number",
    description:
      "Reserved concurrent executions for the tenant router function, which every request passes through when enable_tenant_isolation is true (-1 for unreserved). Caps the router's share of the account's concurrency, like reserved_concurrent_executions for the MCP function",
    default: -1,
    nullable: false,
    rules: [
      anyOf([oneOf([-1]), integer({ min: 1 })], {
        allows: "-1 (unreserved) or a whole number >= 1",
        reason: "0 would stop every request. The account must keep 100 executions unreserved",
        rejects: [-2, 2.5],
      }),
    ],
  },
  {
    name: "environment_variables",
    prop: "environmentVariables",
    type: "map(string)",
    description: `Environment variables to pass to the Lambda function. Keys Lambda reserves (${LAMBDA_RESERVED_ENV_KEYS.join(", ")}) and MCP_* (set by this module) are refused; at most ${USER_ENVIRONMENT_BYTES} bytes as JSON, leaving room for the module's own within Lambda's 4 KB`,
    default: {},
    nullable: false,
    rules: [
      {
        hcl: (v: string) =>
          `alltrue([for k, val in ${v} : can(regex(${hclRegex(ENV_VAR_KEY)}, k)) && !contains(${JSON.stringify(LAMBDA_RESERVED_ENV_KEYS)}, k) && !startswith(k, "MCP_")])`,
        test: (v: Record<string, string>) =>
          Object.keys(v).every(
            (k) => ENV_VAR_KEY.test(k) && !(LAMBDA_RESERVED_ENV_KEYS as readonly string[]).includes(k) && !k.startsWith("MCP_"),
          ),
        allows: "a map whose keys are letters, digits and underscores starting with a letter, and not reserved",
        message: (name) =>
          `${name} keys must be letters, digits and underscores starting with a letter, and not reserved: Lambda reserves ${LAMBDA_RESERVED_ENV_KEYS.join(", ")} (Lambda developer guide, "Defined runtime environment variables"); MCP_* are set by this module. Other AWS_* keys such as AWS_USE_FIPS_ENDPOINT are allowed.`,
        rejects: [
          { AWS_REGION: "us-east-1" },
          { AWS_LAMBDA_FUNCTION_NAME: "x" },
          { AWS_SESSION_TOKEN: "x" },
          { MCP_SERVER_NAME: "x" },
          { "1BAD": "x" },
          { _HANDLER: "x" },
        ],
      },
      {
        hcl: (v) => `length(jsonencode(${v})) <= ${USER_ENVIRONMENT_BYTES}`,
        test: (v: Record<string, string>) => jsonLength(v) <= USER_ENVIRONMENT_BYTES,
        allows: `at most ${USER_ENVIRONMENT_BYTES} bytes as JSON`,
        reason: "Lambda refuses environments over 4 KB in total (keys and values), and the module sets its own MCP_* variables in the rest",
        rejects: [{ BIG: "x".repeat(USER_ENVIRONMENT_BYTES) }],
      },
    ],
  },
  {
    name: "vpc_id",
    prop: "vpcId",
    type: "string",
    description: "ID of the VPC where the Lambda function will run",
    nullable: false,
    rules: [pattern(VPC_ID, "a VPC ID such as vpc-0123456789abcdef0", { rejects: ["vpc_123", "subnet-0123456789abcdef0"] })],
  },
  {
    name: "vpc_subnet_ids",
    prop: "vpcSubnetIds",
    type: "list(string)",
    description: "List of private subnet IDs for the Lambda function VPC configuration",
    nullable: false,
    rules: [
      listOf(pattern(SUBNET_ID, "a subnet ID", { rejects: ["sn-1"] }), {
        min: 1,
        max: 16,
        allows: "a list of 1 to 16 subnet IDs such as subnet-0123456789abcdef0",
        reason: "(use private subnets in at least two Availability Zones)",
      }),
    ],
  },
  {
    name: "vpc_security_group_ids",
    prop: "vpcSecurityGroupIds",
    type: "list(string)",
    description: "List of security group IDs for the Lambda function VPC configuration",
    nullable: false,
    rules: [
      listOf(pattern(SECURITY_GROUP_ID, "a security group ID", { rejects: ["sg_1"] }), {
        min: 1,
        max: 5,
        allows: "a list of 1 to 5 security group IDs such as sg-0123456789abcdef0",
      }),
    ],
  },
  kmsKeyArnInput<McpServerProps>("ARN of the KMS key used to encrypt environment variables, logs, and data at rest"),
  iamNamePrefixInput<McpServerProps>("roles (<prefix>-lambda, and <prefix>-router with tenant isolation)"),
  {
    name: "enable_auth",
    prop: "enableAuth",
    type: "bool",
    description: "Enable Cognito JWT authentication for the API Gateway (FedRAMP IA-2)",
    default: true,
    nullable: false,
  },
  {
    name: "enable_gateway_authorizer",
    prop: "enableGatewayAuthorizer",
    type: "bool",
    description:
      "With enable_auth, also put API Gateway's JWT authorizer on the /mcp routes (the function always verifies the token itself). false lets the function answer 401 with WWW-Authenticate resource_metadata, which MCP clients need for OAuth discovery and an authorizer's 401 cannot carry",
    default: true,
    nullable: false,
  },
  // ---- Interactive sign-in: the OAuth 2.1 authorization server at the MCP origin ----
  {
    name: "enable_interactive_auth",
    prop: "enableInteractiveAuth",
    type: "bool",
    description:
      "Create an OAuth 2.1 authorization server at the MCP origin for interactive MCP clients (Claude Code, Claude.ai, VS Code, Cursor, MCP Inspector): two functions (front: discovery, /authorize, /register, consent; token: /oauth/callback, /token, /revoke), their routes without an authorizer, a DynamoDB table, KMS signing keys and a Cognito app client with one callback. Needs enable_auth = true and enable_gateway_authorizer = false",
    default: false,
    nullable: false,
  },
  {
    name: "public_base_url",
    prop: "publicBaseUrl",
    type: "string",
    description:
      "Public origin clients use when something outside this module fronts the API (https://host, no path, no trailing slash): the OAuth issuer and the base of mcp_endpoint_url and the RFC 9728 resource. null: the custom domain, CloudFront or execute-api origin",
    default: null,
    rules: [
      nullable(
        pattern(HTTPS_ORIGIN, "an https origin such as https://mcp.example.com (lowercase host, no path, no trailing slash)", {
          reason: "it is the OAuth issuer, which RFC 8414 compares as an exact string, and MCP clients expect at the origin root",
          rejects: [
            "http://mcp.example.com",
            "https://mcp.example.com/",
            "https://mcp.example.com/mcp",
            "mcp.example.com",
            "https://MCP.example.com",
          ],
        }),
      ),
    ],
  },
  {
    name: "oauth_access_token_ttl_seconds",
    prop: "oauthAccessTokenTtlSeconds",
    type: "number",
    description:
      "Lifetime of the authorization server's access tokens, seconds; with the 60 s verified-token cache it bounds how long a revoked grant's token keeps working",
    default: ENV.OAUTH_ACCESS_TOKEN_TTL_SECONDS.default,
    nullable: false,
    rules: [integer({ min: ENV.OAUTH_ACCESS_TOKEN_TTL_SECONDS.min, max: ENV.OAUTH_ACCESS_TOKEN_TTL_SECONDS.max, unit: "seconds" })],
  },
  {
    name: "oauth_refresh_token_ttl_days",
    prop: "oauthRefreshTokenTtlDays",
    type: "number",
    description:
      "Absolute lifetime of a grant (its rotating refresh tokens), days; the Cognito app client's refresh token validity is set to the same",
    default: ENV.OAUTH_REFRESH_TOKEN_TTL_SECONDS.default / 86400,
    nullable: false,
    rules: [integer({ min: 1, max: ENV.OAUTH_REFRESH_TOKEN_TTL_SECONDS.max / 86400, unit: "days" })],
  },
  {
    name: "oauth_dcr_mode",
    prop: "oauthDcrMode",
    type: "string",
    description:
      'Dynamic client registration (RFC 7591, POST /register): "allowlist" registers only redirect URIs in oauth_allowed_redirect_uris, "open" any https or loopback redirect, "off" none (registration_endpoint is then not advertised)',
    default: ENV.OAUTH_DCR_MODE.default,
    nullable: false,
    rules: [oneOf(ENV.OAUTH_DCR_MODE.values)],
  },
  {
    name: "oauth_cimd_mode",
    prop: "oauthCimdMode",
    type: "string",
    description:
      'Client ID Metadata Documents (a client_id that is an https URL): "allowlist" fetches only from oauth_cimd_allowed_hosts, "open" from any public host, "off" none',
    default: ENV.OAUTH_CIMD_MODE.default,
    nullable: false,
    rules: [oneOf(ENV.OAUTH_CIMD_MODE.values)],
  },
  {
    name: "oauth_dcr_max_registrations_per_hour",
    prop: "oauthDcrMaxRegistrationsPerHour",
    type: "number",
    description:
      "New client registrations per hour, all sources (429 with Retry-After beyond); repeated identical public registrations do not count. Registrations from one source address are capped at 10 per hour",
    default: ENV.OAUTH_DCR_MAX_PER_HOUR.default,
    nullable: false,
    rules: [integer({ min: ENV.OAUTH_DCR_MAX_PER_HOUR.min, max: ENV.OAUTH_DCR_MAX_PER_HOUR.max, unit: "registrations" })],
  },
  {
    name: "oauth_dcr_client_ttl_days",
    prop: "oauthDcrClientTtlDays",
    type: "number",
    description: "Days after which a dynamically registered client that has not been used expires (each use renews it)",
    default: ENV.OAUTH_DCR_CLIENT_TTL_SECONDS.default / 86400,
    nullable: false,
    rules: [
      integer({ min: ENV.OAUTH_DCR_CLIENT_TTL_SECONDS.min / 86400, max: ENV.OAUTH_DCR_CLIENT_TTL_SECONDS.max / 86400, unit: "days" }),
    ],
  },
  {
    name: "oauth_allowed_redirect_uris",
    prop: "oauthAllowedRedirectUris",
    type: "list(string)",
    description:
      "Redirect URIs dynamically registered clients may use (and metadata documents in open mode); a registration keeps the allowed subset. http://localhost (or http://127.0.0.1, http://[::1]) without a path allows every loopback redirect, on any port (RFC 8252). The default: loopback and the fixed callbacks of Claude.ai, VS Code, Cursor and ChatGPT",
    default: [...DEFAULT_ALLOWED_REDIRECT_URIS],
    nullable: false,
    rules: [
      listOf(
        {
          hcl: redirectUriHcl,
          test: redirectUriOk,
          allows: "a redirect URI",
          rejects: [
            "http://app.example.com/callback",
            "https://app.example.com/cb#frag",
            "javascript:alert(1)",
            "claude.ai/api/mcp/auth_callback",
          ],
        },
        {
          max: 100,
          message: (name) =>
            `${name} entries must be https URIs, loopback http URIs (localhost, 127.0.0.1, [::1]) or custom-scheme URIs such as cursor://anysphere.cursor-mcp/oauth/callback, without a fragment (RFC 8252 section 7, RFC 9700 section 4.1.3); at most 100.`,
        },
      ),
    ],
  },
  {
    name: "oauth_cimd_allowed_hosts",
    prop: "oauthCimdAllowedHosts",
    type: "list(string)",
    description:
      "Hosts whose Client ID Metadata Documents the authorization server fetches in allowlist mode (exact host names, https on port 443 only)",
    default: [...ENV.OAUTH_CIMD_ALLOWED_HOSTS.default],
    nullable: false,
    rules: [
      listOf(pattern(DOMAIN, "a lowercase host name such as claude.ai", { rejects: ["https://claude.ai", "*.example.com", "Claude.ai"] }), {
        max: 50,
        allows: "a list of at most 50 lowercase host names such as claude.ai (no scheme, no wildcard)",
      }),
    ],
  },
  {
    name: "oauth_clients",
    prop: "oauthClients",
    type: "map(object({ client_name = string, redirect_uris = list(string), confidential = optional(bool, false), skip_consent = optional(bool, false) }))",
    description:
      "Pre-registered clients, keyed by client id: { client_name, redirect_uris, confidential (a client secret, from random_password, output in oauth_client_secrets; its SHA-256 goes into the environment), skip_consent (no consent page: operator-approved first-party clients) }",
    default: {},
    nullable: false,
    toVariable: (v: Record<string, { clientName: string; redirectUris: string[]; confidential?: boolean; skipConsent?: boolean }>) =>
      Object.fromEntries(
        Object.entries(v).map(([id, c]) => [
          id,
          {
            client_name: c.clientName,
            redirect_uris: c.redirectUris,
            confidential: c.confidential ?? false,
            skip_consent: c.skipConsent ?? false,
          },
        ]),
      ),
    rules: [
      {
        hcl: (v: string) =>
          `alltrue([for id, c in ${v} : can(regex(${hclRegex(STATIC_CLIENT_ID)}, id)) && !startswith(id, "mcp_") && length(trimspace(c.client_name)) > 0 && length(c.client_name) <= 100 && length(c.redirect_uris) >= 1 && alltrue([for u in c.redirect_uris : ${redirectUriHcl("u")}])])`,
        test: (v: Record<string, OAuthClientVariable>) =>
          Object.entries(v).every(
            ([id, c]) =>
              STATIC_CLIENT_ID.test(id) &&
              !id.startsWith("mcp_") &&
              c.client_name.trim().length > 0 &&
              c.client_name.length <= 100 &&
              c.redirect_uris.length >= 1 &&
              c.redirect_uris.every(redirectUriOk),
          ),
        allows: "valid clients",
        message: (name) =>
          `${name} keys are client ids of 1-64 letters, digits, '.', '_' and '-', not starting with mcp_ (the prefix of dynamically registered ids); each client needs a client_name of 1-100 characters and at least one redirect URI: https, loopback http or a custom scheme, without a fragment.`,
        rejects: [
          { mcp_internal: { client_name: "x", redirect_uris: ["https://app.example.com/cb"], confidential: false, skip_consent: false } },
          {
            "https://app.example.com/client": {
              client_name: "x",
              redirect_uris: ["https://app.example.com/cb"],
              confidential: false,
              skip_consent: false,
            },
          },
          { portal: { client_name: "Portal", redirect_uris: [], confidential: false, skip_consent: false } },
          { portal: { client_name: "Portal", redirect_uris: ["http://portal.example.com/cb"], confidential: false, skip_consent: false } },
        ],
      },
    ],
  },
  {
    name: "oauth_tenant_attribute",
    prop: "oauthTenantAttribute",
    type: "string",
    description:
      "ID-token claim the authorization server copies into its access tokens' tenant_id (no pre token generation trigger needed)",
    default: ENV.OAUTH_TENANT_ATTRIBUTE.default,
    nullable: false,
    rules: [pattern(CLAIM_NAME, "a claim name of 1-64 letters, digits and _ : . -", { rejects: ["custom tenant", ""] })],
  },
  {
    name: "oauth_group_scopes",
    prop: "oauthGroupScopes",
    type: "map(list(string))",
    description:
      "Extra scopes by Cognito group: a member of the group may be granted them when the client asks (step-up for tools that need more than mcp/invoke)",
    default: {},
    nullable: false,
    rules: [
      {
        hcl: (v: string) => `alltrue(flatten([for g, scopes in ${v} : [for sc in scopes : can(regex(${hclRegex(SCOPE)}, sc))]]))`,
        test: (v: Record<string, string[]>) => Object.values(v).every((scopes) => scopes.every((sc) => SCOPE.test(sc))),
        allows: "a map from Cognito group names to lists of scopes",
        message: (name) =>
          `${name} values must be lists of scope tokens: 1-128 printable characters without spaces, quotes or backslashes (RFC 6749 section 3.3).`,
        rejects: [{ admins: ["tools admin"] }, { admins: [""] }],
      },
    ],
  },
  {
    name: "oauth_upstream_identity_provider",
    prop: "oauthUpstreamIdentityProvider",
    type: "string",
    description:
      "Cognito identity provider (a SAML or OIDC federation of the pool) every sign-in goes to directly, skipping the Cognito page; the interactive app client supports it. null: the Cognito sign-in page",
    default: null,
    rules: [nullable(pattern(IDENTITY_PROVIDER, "a Cognito identity provider name (1-32 characters)", { rejects: ["", "x".repeat(33)] }))],
  },
  {
    name: "oauth_signing_keys",
    prop: "oauthSigningKeys",
    type: "list(string)",
    description:
      "Generations of the token-signing key: one KMS key (RSA_2048, SIGN_VERIFY) each; the last signs, all are published. To rotate, append a generation and apply, wait one access-token lifetime, then remove the oldest and apply",
    default: ["k1"],
    nullable: false,
    rules: [
      listOf(pattern(KEY_GENERATION, "a generation name of 1-16 lowercase letters, digits and hyphens", { rejects: ["K1", ""] }), {
        min: 1,
        max: 3,
        allows: "a list of 1 to 3 generation names such as k1 (1-16 lowercase letters, digits and hyphens)",
        reason: "(the last signs; every published key is a KMS key and about 500 bytes of each function's environment)",
        rejects: [["k1", "k2", "k3", "k4"]],
      }),
      {
        hcl: (v: string) => `length(distinct(${v})) == length(${v})`,
        test: (v: string[]) => new Set(v).size === v.length,
        allows: "unique generation names",
        reason: "each generation is one key",
        rejects: [["k1", "k1"]],
      },
    ],
  },
  {
    name: "cognito_mfa_configuration",
    prop: "cognitoMfaConfiguration",
    type: "string",
    description:
      'MFA of the module\'s user pool: "OFF", "OPTIONAL" or "ON" (TOTP authenticator apps). With interactive sign-in, "ON" is recommended (FedRAMP IA-2(1))',
    default: "OFF",
    nullable: false,
    rules: [oneOf(["OFF", "OPTIONAL", "ON"])],
  },
  {
    name: "cognito_user_pool_domain",
    prop: "cognitoUserPoolDomain",
    type: "string",
    description:
      "Domain of the external user pool's sign-in pages, for interactive sign-in: a Cognito domain prefix (<prefix>.auth.<region>.amazoncognito.com) or the pool's custom domain (auth.example.com). Required with cognito_user_pool_id and enable_interactive_auth",
    default: null,
    rules: [
      nullable(
        anyOf(
          [
            pattern(POOL_DOMAIN_PREFIX, "a Cognito domain prefix such as my-tools", { rejects: ["https://auth.example.com"] }),
            pattern(DOMAIN_NAME, "a custom domain such as auth.example.com", { rejects: ["https://auth.example.com"] }),
          ],
          { rejects: ["https://auth.example.com", "My_Pool", "auth.example.com/"] },
        ),
      ),
    ],
  },
  {
    name: "enable_tenant_isolation",
    prop: "enableTenantIsolation",
    type: "bool",
    description:
      "Enable Lambda tenant isolation mode (PER_TENANT) behind a router function that takes the tenant from the verified token (FedRAMP SC-7); needs hashicorp/aws >= 6.23 and cannot be changed after creation",
    default: false,
    nullable: false,
  },
  {
    name: "cognito_user_pool_id",
    prop: "cognitoUserPoolId",
    type: "string",
    description: "ID of an external Cognito user pool (skips creating internal pool)",
    default: null,
    rules: [nullable(pattern(USER_POOL_ID, "a user pool ID such as us-east-1_AbCdEfGhI", { rejects: ["not-a-pool"] }))],
  },
  {
    name: "cognito_user_pool_endpoint",
    prop: "cognitoUserPoolEndpoint",
    type: "string",
    description: "Endpoint of the external Cognito user pool",
    default: null,
    rules: [
      nullable(
        pattern(USER_POOL_ENDPOINT, "cognito-idp.<region>.amazonaws.com/<user pool id> (an https:// prefix is accepted)", {
          rejects: ["cognito-idp.us-east-1.amazonaws.com", "https://example.com/us-east-1_AbCdEfGhI"],
        }),
      ),
    ],
  },
  {
    name: "cognito_client_id",
    prop: "cognitoClientId",
    type: "string",
    description: "Client ID from the external Cognito user pool",
    default: null,
    rules: [nullable(pattern(CLIENT_ID, "1-128 letters, digits or '+' (a Cognito app client ID)", { rejects: ["", "has space"] }))],
  },
  {
    name: "route_throttle_overrides",
    prop: "routeThrottleOverrides",
    type: "map(object({ throttling_rate_limit = optional(number), throttling_burst_limit = optional(number) }))",
    description: "Per-route throttling overrides (keys are route keys like 'POST /mcp')",
    default: {},
    nullable: false,
    toVariable: (v: Record<string, { throttlingRateLimit?: number; throttlingBurstLimit?: number }>) =>
      Object.fromEntries(
        Object.entries(v).map(([k, o]) => [
          k,
          { throttling_rate_limit: o.throttlingRateLimit, throttling_burst_limit: o.throttlingBurstLimit },
        ]),
      ),
    rules: [
      {
        hcl: (v: string) =>
          `alltrue([for k, v in ${v} : contains(${JSON.stringify(ROUTE_KEYS)}, k) && (v.throttling_rate_limit == null ? true : v.throttling_rate_limit > 0) && (v.throttling_burst_limit == null ? true : v.throttling_burst_limit >= 1 && floor(v.throttling_burst_limit) == v.throttling_burst_limit)])`,
        test: (v: Record<string, { throttling_rate_limit?: number; throttling_burst_limit?: number }>) =>
          Object.entries(v).every(
            ([k, o]) =>
              (ROUTE_KEYS as readonly string[]).includes(k) &&
              (o.throttling_rate_limit === undefined || o.throttling_rate_limit > 0) &&
              (o.throttling_burst_limit === undefined || isIntegerIn(o.throttling_burst_limit, 1, Number.MAX_SAFE_INTEGER)),
          ),
        allows: "a map from route keys this module creates to throttling settings",
        message: (name) =>
          `${name} keys must be route keys this module creates (${ROUTE_KEYS.join(", ")}); throttling_rate_limit must be > 0 and throttling_burst_limit a whole number >= 1 when set.`,
        rejects: [{ "PUT /mcp": { throttling_rate_limit: 10 } }, { "POST /mcp": { throttling_rate_limit: -1 } }],
      },
    ],
  },
  {
    name: "throttle_rate_limit",
    prop: "throttleRateLimit",
    type: "number",
    description: "API Gateway throttle rate limit (requests per second)",
    default: 100,
    nullable: false,
    rules: [greaterThan(0, { unit: "requests per second", reason: "(0 would reject every request)" })],
  },
  {
    name: "throttle_burst_limit",
    prop: "throttleBurstLimit",
    type: "number",
    description: "API Gateway throttle burst limit (maximum concurrent requests)",
    default: 50,
    nullable: false,
    rules: [integer({ min: 1, unit: "requests" })],
  },
  {
    name: "cors_allowed_origins",
    prop: "corsAllowedOrigins",
    type: "list(string)",
    description:
      "Browser origins (https://app.example.com) allowed to call the server: the API's CORS allow-list and the function's Origin allow-list (MCP_ALLOWED_ORIGINS), one list for both. Requests without an Origin header (CLI, SDK and server-side clients) are not affected; [] allows no browser origin. \"*\" is refused: the function must validate Origin (DNS rebinding)",
    default: [],
    nullable: false,
    rules: [
      listOf(
        {
          hcl: (v: string) => `can(regex(${JSON.stringify(ORIGIN.source)}, ${v}))`,
          test: (o) => typeof o === "string" && ORIGIN.test(o),
          allows: "an origin",
          rejects: ["app.example.com", "https://app.example.com/", "*"],
        },
        {
          max: 100,
          message: (name) =>
            `${name} entries must be origins: scheme, host and optional port, such as https://app.example.com (no path, no trailing slash, at most 100). "*" is refused: the MCP function checks every Origin it receives against this list (MCP Streamable HTTP, DNS rebinding), so list the web apps that may call it.`,
        },
      ),
    ],
  },
  {
    name: "waf_acl_arn",
    prop: "wafAclArn",
    type: "string",
    description:
      "ARN of a WAFv2 web ACL with scope CLOUDFRONT (us-east-1); when set, a CloudFront distribution with this ACL fronts the API and mcp_endpoint_url points at it (an HTTP API stage cannot be associated with WAF)",
    default: null,
    rules: [
      nullable(
        pattern(
          WAF_ACL_ARN,
          "the ARN of a WAFv2 web ACL with scope CLOUDFRONT, arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id> (CloudFront only accepts global ACLs created in us-east-1)",
          {
            rejects: ["arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mcp/1234abcd-12ab-34cd-56ef-1234567890ab", "my-acl"],
          },
        ),
      ),
    ],
  },
  {
    name: "enable_waf",
    prop: "enableWaf",
    type: "bool",
    description:
      "Put CloudFront with waf_acl_arn in front of the API. null: decided by waf_acl_arn != null, which must be known at plan; set true when the ACL is created in the same apply",
    default: null,
  },
  {
    name: "enable_cloudfront_access_logs",
    prop: "enableCloudfrontAccessLogs",
    type: "bool",
    description:
      "With WAF, deliver the CloudFront distribution's standard logs (v2, JSON: viewer IP, request, status, timing, TLS) to cloudfront_access_log_destination_arn. false runs CloudFront without access logs",
    default: true,
    nullable: false,
  },
  {
    name: "cloudfront_access_log_destination_arn",
    prop: "cloudfrontAccessLogDestinationArn",
    type: "string",
    description:
      "ARN of a CloudWatch Logs delivery destination in us-east-1 (where CloudFront log delivery is configured) that receives the access logs, such as mcp_waf's cloudfront_access_log_destination_arn; needed with WAF unless enable_cloudfront_access_logs = false",
    default: null,
    rules: [
      nullable(
        pattern(
          LOG_DELIVERY_DESTINATION_ARN,
          `the ARN of a CloudWatch Logs delivery destination in ${EDGE_REGION}, arn:aws:logs:${EDGE_REGION}:<account>:delivery-destination:<name>`,
          {
            reason: `CloudFront log delivery is configured in ${EDGE_REGION} only`,
            rejects: [
              "arn:aws:logs:eu-west-1:123456789012:delivery-destination:mcp-tools-dev-cloudfront",
              "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudfront/mcp-tools-dev",
            ],
          },
        ),
      ),
    ],
  },
  // ---- Custom domain (TLS 1.2 at the edge) ----
  {
    name: "domain_name",
    prop: "domainName",
    type: "string",
    description:
      "Custom domain clients use, e.g. mcp.example.com: with WAF, CloudFront's alternate domain (minimum TLS 1.2, TLSv1.2_2021); without, an API Gateway custom domain (TLS_1_2) mapped to the API. mcp_endpoint_url and the OAuth protected resource use it. null: the CloudFront or execute-api URL",
    default: null,
    rules: [
      nullable(
        pattern(DOMAIN_NAME, "a fully qualified lowercase DNS name such as mcp.example.com (no scheme, no wildcard, no trailing dot)", {
          rejects: ["https://mcp.example.com", "*.example.com", "localhost", "MCP.example.com"],
        }),
      ),
    ],
  },
  {
    name: "certificate_arn",
    prop: "certificateArn",
    type: "string",
    description:
      "ACM certificate covering domain_name: in us-east-1 when WAF (CloudFront) fronts the API, else in the function's Region (API Gateway regional domain)",
    default: null,
    rules: [
      nullable(
        pattern(ACM_CERTIFICATE_ARN, "an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>", {
          rejects: ["arn:aws:iam::123456789012:server-certificate/mcp", "mcp.example.com"],
        }),
      ),
    ],
  },
  {
    name: "route53_zone_id",
    prop: "route53ZoneId",
    type: "string",
    description:
      "Route 53 hosted zone to create alias records for domain_name in (A, plus AAAA with CloudFront); null: manage DNS yourself",
    default: null,
    rules: [
      nullable(
        pattern(HOSTED_ZONE_ID, "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ", {
          rejects: ["example.com", "/hostedzone/Z0123456789"],
        }),
      ),
    ],
  },
  {
    name: "disable_execute_api_endpoint",
    prop: "disableExecuteApiEndpoint",
    type: "bool",
    description:
      "Turn off the default execute-api URL so the custom domain is the only way in; needs domain_name and no WAF (CloudFront reaches the API through that URL)",
    default: false,
    nullable: false,
  },
  {
    name: "enable_session_table",
    prop: "enableSessionTable",
    type: "bool",
    description: "Enable DynamoDB table for MCP session management",
    default: false,
    nullable: false,
  },
  {
    name: "session_ttl_seconds",
    prop: "sessionTtlSeconds",
    type: "number",
    description: "TTL in seconds for session records in DynamoDB",
    default: SESSION_TTL.default,
    nullable: false,
    rules: [
      integer({
        min: SESSION_TTL.min,
        max: SESSION_TTL.max,
        unit: "seconds",
        allows: `a whole number of seconds from ${SESSION_TTL.min} (one minute) to ${SESSION_TTL.max} (30 days)`,
        rejects: [0],
      }),
    ],
  },
  {
    name: "enable_tool_cache",
    prop: "enableToolCache",
    type: "bool",
    description:
      "Enable a DynamoDB table caching results of tools the server declares cacheable, keyed by tool_name + params_hash with TTL",
    default: false,
    nullable: false,
  },
  {
    name: "tool_cache_ttl_seconds",
    prop: "toolCacheTtlSeconds",
    type: "number",
    description: "Lifetime of a cached tool result, in seconds",
    default: TOOL_CACHE_TTL.default,
    nullable: false,
    rules: [integer({ min: TOOL_CACHE_TTL.min, max: TOOL_CACHE_TTL.max, unit: "seconds", reason: "(30 days)" })],
  },
  {
    name: "enable_ecr_repository",
    prop: "enableEcrRepository",
    type: "bool",
    description: "Enable creation of an ECR repository for the MCP server container image",
    default: false,
    nullable: false,
  },
  {
    name: "ecr_image_tag_mutability",
    prop: "ecrImageTagMutability",
    type: "string",
    description: "Tag mutability setting for the ECR repository (IMMUTABLE recommended for production)",
    default: "IMMUTABLE",
    nullable: false,
    rules: [oneOf(["IMMUTABLE", "MUTABLE"], { rejects: ["LOCKED"] })],
  },
  {
    name: "ecr_scan_on_push",
    prop: "ecrScanOnPush",
    type: "bool",
    description: "Enable image vulnerability scanning on push to ECR",
    default: true,
    nullable: false,
  },
  {
    name: "log_retention_days",
    prop: "logRetentionDays",
    type: "number",
    description: "Number of days to retain CloudWatch log events",
    default: 30,
    nullable: false,
    rules: [logRetentionDaysRule()],
  },
  {
    name: "enable_xray_tracing",
    prop: "enableXrayTracing",
    type: "bool",
    description: "Enable AWS X-Ray active tracing for the Lambda function (FedRAMP SI-4)",
    default: true,
    nullable: false,
  },
  // --- Tenants: the tenant directory, the Cognito triggers that put tenant_id into tokens ----------
  {
    name: "tenants",
    prop: "tenants",
    type: "map(object({ domains = optional(list(string), []), invitations = optional(list(string), []), machine_clients = optional(list(string), []) }))",
    description:
      "With enable_tenant_isolation and the module's own user pool: tenant id -> { domains: e-mail domains whose users join the tenant at sign-up, invitations: e-mail addresses that join it (over their domain's rule), machine_clients: names of client_credentials app clients to create for it }. Written to the tenant directory the Cognito triggers read; each tenant also gets a Cognito group named like its id",
    default: {},
    nullable: false,
    toVariable: (v: Record<string, TenantProps>) =>
      Object.fromEntries(
        Object.entries(v).map(([id, t]) => [
          id,
          { domains: t.domains ?? [], invitations: t.invitations ?? [], machine_clients: t.machineClients ?? [] },
        ]),
      ),
    rules: [
      {
        hcl: (v: string) => `alltrue([for id in keys(${v}) : can(regex(${hclRegex(TENANT_ID)}, id))])`,
        allows: "valid tenants",
        message: () =>
          "tenants keys are tenant ids: 1-64 characters of letters, digits, _ . : @ - (the tenant_id claim, a DynamoDB key, an IAM session tag value and a Cognito group name).",
        test: (v: Record<string, TenantVariable>) => Object.keys(v).every((id) => TENANT_ID.test(id)),
        rejects: [{ "acme corp": {} }, { ["a".repeat(65)]: {} }],
      },
      {
        hcl: (v: string) => `alltrue(flatten([for t in ${v} : [for d in t.domains : can(regex(${hclRegex(DOMAIN)}, d))]]))`,
        allows: "valid tenants",
        message: () => "tenants[*].domains must be lower-case e-mail domains such as example.com (no @, no wildcards).",
        test: (v: Record<string, TenantVariable>) => Object.values(v).every((t) => t.domains.every((d) => DOMAIN.test(d))),
        rejects: [{ acme: { domains: ["@acme.com"] } }, { acme: { domains: ["*.acme.com"] } }, { acme: { domains: ["Acme.com"] } }],
      },
      {
        hcl: (v: string) => `alltrue(flatten([for t in ${v} : [for e in t.invitations : can(regex(${hclRegex(EMAIL)}, e))]]))`,
        allows: "valid tenants",
        message: () => "tenants[*].invitations must be lower-case e-mail addresses such as ana@example.com.",
        test: (v: Record<string, TenantVariable>) => Object.values(v).every((t) => t.invitations.every((e) => EMAIL.test(e))),
        rejects: [{ acme: { invitations: ["ana"] } }, { acme: { invitations: ["Ana@acme.com"] } }],
      },
      {
        hcl: (v: string) =>
          `length(flatten([for t in ${v} : t.domains])) == length(distinct(flatten([for t in ${v} : t.domains]))) && length(flatten([for t in ${v} : t.invitations])) == length(distinct(flatten([for t in ${v} : t.invitations])))`,
        allows: "valid tenants",
        message: () => "tenants: an e-mail domain or an invitation may belong to one tenant only (and appear once).",
        test: (v: Record<string, TenantVariable>) => {
          const all = (f: (t: TenantVariable) => string[]) => Object.values(v).flatMap(f);
          return (
            new Set(all((t) => t.domains)).size === all((t) => t.domains).length &&
            new Set(all((t) => t.invitations)).size === all((t) => t.invitations).length
          );
        },
        rejects: [{ acme: { domains: ["acme.com"] }, globex: { domains: ["acme.com"] } }],
      },
      {
        hcl: (v: string) =>
          `alltrue([for t in ${v} : length(t.machine_clients) == length(distinct(t.machine_clients)) && alltrue([for c in t.machine_clients : can(regex(${hclRegex(MACHINE_CLIENT)}, c))])])`,
        allows: "valid tenants",
        message: () =>
          "tenants[*].machine_clients must be distinct names of 1-32 lower-case letters, digits and hyphens, starting with a letter or digit (the app client is named <name>-<environment>-<tenant>-<client>).",
        test: (v: Record<string, TenantVariable>) =>
          Object.values(v).every(
            (t) => new Set(t.machine_clients).size === t.machine_clients.length && t.machine_clients.every((c) => MACHINE_CLIENT.test(c)),
          ),
        rejects: [{ acme: { machine_clients: ["ci", "ci"] } }, { acme: { machine_clients: ["CI Bot"] } }],
      },
    ],
  },
  {
    name: "tenant_claim_source",
    prop: "tenantClaimSource",
    type: "string",
    description:
      'Who puts the tenant_id claim into access tokens when enable_tenant_isolation is true: "module" (the module\'s own user pool and its Cognito triggers; what null means with the module\'s pool) or "issuer" (an external user pool whose tokens already carry tenant_id, e.g. from its own pre token generation trigger at V3_0; required with cognito_user_pool_id)',
    default: null,
    rules: [nullable(oneOf(["module", "issuer"]))],
  },
  // --- end of tenants ---------------------------------------------------------------------------------
  ALARM_SNS_TOPIC_ARN_INPUT,
  CREATE_ALARM_SNS_TOPIC_INPUT,
  ALARM_ACTIONS_ENABLED_INPUT,
);

/** {@link McpServerProps} with every non-null default of the module's inputs filled in. */
export type ResolvedMcpServerProps = WithDefaults<McpServerProps, typeof MCP_SERVER_INPUTS>;

const unset = (v: unknown) => v === undefined || v === null;

/** Rules across variables, emitted as preconditions on `aws_lambda_function.this`. */
export const MCP_SERVER_CROSS_CHECKS: readonly CrossInputCheck<McpServerProps>[] = [
  {
    reads: ["cognitoUserPoolId", "cognitoUserPoolEndpoint", "cognitoClientId"],
    condition:
      "(var.cognito_user_pool_id == null) == (var.cognito_user_pool_endpoint == null) && (var.cognito_user_pool_id == null) == (var.cognito_client_id == null)",
    errorMessage:
      "cognito_user_pool_id, cognito_user_pool_endpoint and cognito_client_id go together: set all three to use an external Cognito user pool, or none to let the module create one.",
    test: (p) => unset(p.cognitoUserPoolId) === unset(p.cognitoUserPoolEndpoint) && unset(p.cognitoUserPoolId) === unset(p.cognitoClientId),
    rejects: [{ cognito_user_pool_id: "us-east-1_AbCdEfGhI" }, { cognito_client_id: "1a2b3c4d5e6f7g8h9i0j" }],
  },
  {
    reads: ["cognitoUserPoolId", "cognitoUserPoolEndpoint"],
    condition:
      'var.cognito_user_pool_id == null || var.cognito_user_pool_endpoint == null ? true : endswith(var.cognito_user_pool_endpoint, "/${var.cognito_user_pool_id}")',
    errorMessage: "cognito_user_pool_endpoint must end with /<cognito_user_pool_id>: both must name the same user pool.",
    test: (p) =>
      unset(p.cognitoUserPoolId) || unset(p.cognitoUserPoolEndpoint) || p.cognitoUserPoolEndpoint!.endsWith(`/${p.cognitoUserPoolId}`),
    rejects: [
      {
        cognito_user_pool_id: "us-east-1_AbCdEfGhI",
        cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other",
        cognito_client_id: "1a2b3c4d5e6f7g8h9i0j",
      },
    ],
  },
  {
    reads: ["cognitoUserPoolId", "cognitoUserPoolEndpoint"],
    condition: `var.cognito_user_pool_id == null || var.cognito_user_pool_endpoint == null ? true : try(regex(${hclRegex(POOL_ENDPOINT_REGION)}, var.cognito_user_pool_endpoint)[0], "") == split("_", var.cognito_user_pool_id)[0]`,
    errorMessage:
      "cognito_user_pool_endpoint must be in the Region of cognito_user_pool_id (the id's prefix, e.g. us-east-1 for us-east-1_AbCdEfGhI): tokens are issued by https://cognito-idp.<that Region>.amazonaws.com/<pool id>.",
    test: (p) =>
      unset(p.cognitoUserPoolId) ||
      unset(p.cognitoUserPoolEndpoint) ||
      POOL_ENDPOINT_REGION.exec(p.cognitoUserPoolEndpoint!)?.[1] === p.cognitoUserPoolId!.split("_")[0],
    rejects: [
      {
        cognito_user_pool_id: "us-east-1_AbCdEfGhI",
        cognito_user_pool_endpoint: "cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbCdEfGhI",
        cognito_client_id: "1a2b3c4d5e6f7g8h9i0j",
      },
    ],
  },
  // ---- Custom domain ----
  {
    reads: ["domainName", "certificateArn"],
    condition: "(var.domain_name == null) == (var.certificate_arn == null)",
    errorMessage: "domain_name and certificate_arn go together: a custom domain needs an ACM certificate that covers it.",
    test: (p) => unset(p.domainName) === unset(p.certificateArn),
    rejects: [
      { domain_name: "mcp.example.com" },
      { certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab" },
    ],
  },
  {
    reads: ["route53ZoneId", "domainName"],
    condition: "var.route53_zone_id == null || var.domain_name != null",
    errorMessage: "route53_zone_id needs domain_name: the records are aliases of the custom domain.",
    test: (p) => unset(p.route53ZoneId) || !unset(p.domainName),
    rejects: [{ route53_zone_id: "Z0123456789ABCDEFGHIJ" }],
  },
  {
    reads: ["certificateArn", "enableWaf", "wafAclArn"],
    condition: `var.certificate_arn == null || !${WAF_ON} ? true : split(":", var.certificate_arn)[3] == "us-east-1"`,
    errorMessage: "With WAF, certificate_arn must be an ACM certificate in us-east-1: CloudFront only uses certificates from that Region.",
    test: (p) => unset(p.certificateArn) || !(p.enableWaf ?? !unset(p.wafAclArn)) || p.certificateArn!.split(":")[3] === "us-east-1",
    rejects: [
      {
        domain_name: "mcp.example.com",
        certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        waf_acl_arn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp/1234abcd-12ab-34cd-56ef-1234567890ab",
        // Without access logs, so the only failure is this rule (not the delivery's precondition).
        enable_cloudfront_access_logs: false,
      },
    ],
  },
  {
    reads: ["disableExecuteApiEndpoint", "domainName", "enableWaf", "wafAclArn"],
    condition: `!var.disable_execute_api_endpoint || (var.domain_name != null && !${WAF_ON})`,
    errorMessage:
      "disable_execute_api_endpoint = true needs domain_name and no WAF: without a custom domain the API would have no URL, and CloudFront reaches the API through the execute-api URL.",
    test: (p) => p.disableExecuteApiEndpoint !== true || (!unset(p.domainName) && !(p.enableWaf ?? !unset(p.wafAclArn))),
    rejects: [{ disable_execute_api_endpoint: true }],
  },
  {
    reads: ["enableAuth", "environment"],
    condition: 'var.enable_auth || var.environment != "prod"',
    errorMessage:
      'enable_auth = false is refused when environment = "prod": a production MCP endpoint must require a Cognito JWT (FedRAMP IA-2).',
    test: (p) => p.enableAuth !== false || p.environment !== "prod",
    rejects: [{ enable_auth: false, environment: "prod" }],
  },
  {
    reads: ["enableAuth", "enableTenantIsolation"],
    condition: "var.enable_auth || !var.enable_tenant_isolation",
    errorMessage:
      "enable_tenant_isolation = true needs enable_auth = true: the router takes the tenant from the verified token's tenant_id claim, never from the request.",
    test: (p) => p.enableAuth !== false || p.enableTenantIsolation !== true,
    rejects: [{ enable_auth: false, enable_tenant_isolation: true }],
  },
  {
    reads: ["enableTenantIsolation", "cognitoUserPoolId", "tenantClaimSource"],
    condition: '!var.enable_tenant_isolation || var.cognito_user_pool_id == null || var.tenant_claim_source == "issuer"',
    errorMessage:
      'enable_tenant_isolation = true with an external user pool (cognito_user_pool_id) needs tenant_claim_source = "issuer": the module cannot add triggers to a pool it does not manage, so declare that the pool\'s access tokens already carry the tenant_id claim (e.g. from your own pre token generation trigger at V3_0), or let the module create the pool.',
    test: (p) => p.enableTenantIsolation !== true || unset(p.cognitoUserPoolId) || p.tenantClaimSource === "issuer",
    rejects: [
      {
        enable_tenant_isolation: true,
        cognito_user_pool_id: "us-east-1_AbCdEfGhI",
        cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
        cognito_client_id: "1a2b3c4d5e6f7g8h9i0j",
      },
    ],
  },
  {
    reads: ["tenantClaimSource", "cognitoUserPoolId"],
    condition: 'var.tenant_claim_source == null ? true : (var.tenant_claim_source == "issuer") == (var.cognito_user_pool_id != null)',
    errorMessage:
      'tenant_claim_source = "issuer" goes with an external user pool (cognito_user_pool_id), and "module" with the module\'s own pool (cognito_user_pool_id = null): only the module\'s own pool gets its tenant triggers.',
    test: (p) => unset(p.tenantClaimSource) || (p.tenantClaimSource === "issuer") === !unset(p.cognitoUserPoolId),
    rejects: [{ tenant_claim_source: "issuer" }],
  },
  {
    reads: ["tenants", "enableTenantIsolation", "cognitoUserPoolId"],
    condition: "length(var.tenants) == 0 || (var.enable_tenant_isolation && var.cognito_user_pool_id == null)",
    errorMessage:
      "tenants needs enable_tenant_isolation = true and the module's own user pool (cognito_user_pool_id = null): the tenant directory and its triggers belong to that pool.",
    test: (p) =>
      Object.keys((p.tenants as Record<string, unknown> | undefined) ?? {}).length === 0 ||
      (p.enableTenantIsolation === true && unset(p.cognitoUserPoolId)),
    rejects: [{ tenants: { acme: { domains: ["acme.com"] } } }],
  },
  // ---- Interactive sign-in ----
  {
    reads: ["enableInteractiveAuth", "enableAuth"],
    condition: "!var.enable_interactive_auth || var.enable_auth",
    errorMessage:
      "enable_interactive_auth = true needs enable_auth = true: the authorization server issues tokens that only an MCP function verifying tokens accepts.",
    test: (p) => p.enableInteractiveAuth !== true || p.enableAuth !== false,
    rejects: [
      {
        enable_interactive_auth: true,
        enable_auth: false,
        enable_gateway_authorizer: false,
        cors_allowed_origins: ["http://localhost:6274"],
      },
    ],
  },
  {
    reads: ["enableInteractiveAuth", "enableGatewayAuthorizer"],
    condition: "!var.enable_interactive_auth || !var.enable_gateway_authorizer",
    errorMessage:
      "enable_interactive_auth = true needs enable_gateway_authorizer = false: API Gateway's JWT authorizer trusts one issuer (Cognito) and answers 401 without the resource_metadata interactive clients need to find the authorization server; the function verifies both kinds of token itself.",
    test: (p) => p.enableInteractiveAuth !== true || p.enableGatewayAuthorizer === false,
    rejects: [{ enable_interactive_auth: true, cors_allowed_origins: ["http://localhost:6274"] }],
  },
  {
    reads: ["enableInteractiveAuth", "enableTenantIsolation"],
    condition: "!var.enable_interactive_auth || !var.enable_tenant_isolation",
    errorMessage:
      "enable_interactive_auth = true cannot be combined with enable_tenant_isolation = true yet: the tenant router verifies Cognito tokens only, not the authorization server's, so every interactive request would get 401.",
    test: (p) => p.enableInteractiveAuth !== true || p.enableTenantIsolation !== true,
    rejects: [
      {
        enable_interactive_auth: true,
        enable_gateway_authorizer: false,
        enable_tenant_isolation: true,
        cors_allowed_origins: ["http://localhost:6274"],
      },
    ],
  },
  {
    reads: ["enableInteractiveAuth", "cognitoUserPoolId", "cognitoUserPoolDomain"],
    condition: "!var.enable_interactive_auth || var.cognito_user_pool_id == null || var.cognito_user_pool_domain != null",
    errorMessage:
      "enable_interactive_auth = true with an external user pool (cognito_user_pool_id) needs cognito_user_pool_domain: the sign-in pages and token endpoint of that pool live on its domain, which the module cannot look up.",
    test: (p) => p.enableInteractiveAuth !== true || unset(p.cognitoUserPoolId) || !unset(p.cognitoUserPoolDomain),
    rejects: [
      {
        enable_interactive_auth: true,
        enable_gateway_authorizer: false,
        cors_allowed_origins: ["http://localhost:6274"],
        cognito_user_pool_id: "us-east-1_AbCdEfGhI",
        cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
        cognito_client_id: "1a2b3c4d5e6f7g8h9i0j",
      },
    ],
  },
  {
    reads: ["cognitoUserPoolDomain", "cognitoUserPoolId"],
    condition: "var.cognito_user_pool_domain == null || var.cognito_user_pool_id != null",
    errorMessage:
      "cognito_user_pool_domain names the domain of an external user pool (cognito_user_pool_id): the module's own pool uses the domain the module creates.",
    test: (p) => unset(p.cognitoUserPoolDomain) || !unset(p.cognitoUserPoolId),
    rejects: [{ cognito_user_pool_domain: "my-tools" }],
  },
  {
    reads: ["cognitoMfaConfiguration", "cognitoUserPoolId"],
    condition: 'var.cognito_mfa_configuration == "OFF" || var.cognito_user_pool_id == null',
    errorMessage:
      "cognito_mfa_configuration configures the module's own user pool; with an external pool (cognito_user_pool_id), set MFA on that pool instead.",
    test: (p) => (p.cognitoMfaConfiguration ?? "OFF") === "OFF" || unset(p.cognitoUserPoolId),
    rejects: [
      {
        cognito_mfa_configuration: "ON",
        cognito_user_pool_id: "us-east-1_AbCdEfGhI",
        cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
        cognito_client_id: "1a2b3c4d5e6f7g8h9i0j",
      },
    ],
  },
  {
    reads: ["routeThrottleOverrides", "enableInteractiveAuth"],
    condition: `var.enable_interactive_auth || length(setintersection(keys(var.route_throttle_overrides), ${JSON.stringify(OAUTH_ROUTE_KEY_LIST)})) == 0`,
    errorMessage: `route_throttle_overrides names OAuth routes (${OAUTH_ROUTE_KEY_LIST.join(", ")}), which exist only with enable_interactive_auth = true.`,
    test: (p) =>
      p.enableInteractiveAuth === true ||
      Object.keys((p.routeThrottleOverrides as Record<string, unknown> | undefined) ?? {}).every(
        (k) => !(OAUTH_ROUTE_KEY_LIST as readonly string[]).includes(k),
      ),
    rejects: [{ route_throttle_overrides: { "POST /token": { throttling_rate_limit: 5 } } }],
  },
  {
    reads: ["enableWaf", "wafAclArn"],
    condition: "var.enable_waf == null ? true : var.enable_waf == (var.waf_acl_arn != null)",
    errorMessage: "enable_waf = true needs waf_acl_arn, and enable_waf = false contradicts a waf_acl_arn: set both or neither.",
    test: (p) => p.enableWaf === undefined || p.enableWaf === null || p.enableWaf === !unset(p.wafAclArn),
    // With a custom domain and no access logs, so the only failure is this rule (not the
    // viewer_tls check nor the access-log delivery's precondition).
    rejects: [
      {
        enable_waf: true,
        enable_cloudfront_access_logs: false,
        domain_name: "mcp.example.com",
        certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
    ],
  },
  {
    reads: ["createAlarmSnsTopic", "alarmSnsTopicArn"],
    condition: "var.create_alarm_sns_topic == null ? true : var.create_alarm_sns_topic == (var.alarm_sns_topic_arn == null)",
    errorMessage:
      "create_alarm_sns_topic = false needs alarm_sns_topic_arn, and create_alarm_sns_topic = true contradicts an alarm_sns_topic_arn: the alarms notify exactly one topic.",
    test: (p) =>
      p.createAlarmSnsTopic === undefined || p.createAlarmSnsTopic === null || p.createAlarmSnsTopic === unset(p.alarmSnsTopicArn),
    rejects: [{ create_alarm_sns_topic: false }],
  },
  {
    reads: ["enableAuth", "cognitoUserPoolId"],
    condition: "var.enable_auth || var.cognito_user_pool_id == null",
    errorMessage:
      "An external Cognito user pool (cognito_user_pool_id) is set but enable_auth = false: the pool would be ignored and /mcp left open. Set enable_auth = true or remove the cognito_* inputs.",
    test: (p) => p.enableAuth !== false || unset(p.cognitoUserPoolId),
    rejects: [
      {
        enable_auth: false,
        cognito_user_pool_id: "us-east-1_AbCdEfGhI",
        cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
        cognito_client_id: "1a2b3c4d5e6f7g8h9i0j",
      },
    ],
  },
];

/**
 * With WAF and access logs on, a delivery destination is needed. A precondition on the delivery
 * itself (the resource that would otherwise fail on its missing argument), not on the function
 * with the other cross-input checks; the construct also applies it to literal props.
 */
export const CLOUDFRONT_ACCESS_LOG_CHECK: CrossInputCheck<McpServerProps> = {
  reads: ["enableWaf", "wafAclArn", "enableCloudfrontAccessLogs", "cloudfrontAccessLogDestinationArn"],
  condition: `!${WAF_ON} || !var.enable_cloudfront_access_logs || var.cloudfront_access_log_destination_arn != null`,
  errorMessage:
    "With WAF, CloudFront's access logs are on: set cloudfront_access_log_destination_arn to mcp_waf's cloudfront_access_log_destination_arn output (or another CloudWatch Logs delivery destination in us-east-1), or set enable_cloudfront_access_logs = false to run CloudFront without access logs (FedRAMP AU-2).",
  test: (p) =>
    !(p.enableWaf ?? !unset(p.wafAclArn)) || p.enableCloudfrontAccessLogs === false || !unset(p.cloudfrontAccessLogDestinationArn),
  rejects: [
    {
      waf_acl_arn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp/1234abcd-12ab-34cd-56ef-1234567890ab",
      domain_name: "mcp.example.com",
      certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    },
  ],
};
