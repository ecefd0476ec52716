/**
 * The wire contract between the Terraform modules and the functions they run: every environment
 * variable a module sets or a function reads, the public HTTP paths, the header names, the tenant
 * claim, and the key and TTL attribute names of the DynamoDB tables.
 *
 * Plain data and types, no imports: the container image, the CDK for Terraform constructs (`src/`),
 * the README generators and the tests all read this one declaration. Adding an environment variable
 * is one entry in {@link ENV}; the function's config schema, the construct's environment map and both
 * README tables then fail to compile or drift until they carry it.
 */

/**
 * The functions the `mcp_server` module creates from the one container image: the MCP function, the
 * tenant router, the two Cognito triggers (pre token generation, post confirmation), which read
 * the same configuration, and the two functions of the authorization server for interactive sign-in
 * (front: discovery, `/authorize`, `/register`, consent; token: the upstream callback, `/token`,
 * `/revoke`), which share one loader.
 */
export type FunctionKind = "mcp" | "router" | "trigger" | "oauth-front" | "oauth-token";

/** The authorization server's two functions. */
const OAUTH_FUNCTIONS = ["oauth-front", "oauth-token"] as const;

/** Who puts a variable into a function's environment. */
export type EnvSource =
  /** `mcp_server`, always, on the functions listed in `on`. */
  | { readonly module: "mcp_server"; readonly on: readonly FunctionKind[]; readonly value: string }
  /**
   * Another module's `function_environment` output, which users merge into `mcp_server`'s
   * `environment_variables`.
   */
  | { readonly module: "mcp_token_vending_machine" | "mcp_tenant_metering"; readonly value: string };

interface EnvVarBase {
  /** What the variable means, for the README tables. */
  readonly description: string;
  /** Functions whose configuration loader reads it. */
  readonly readBy: readonly FunctionKind[];
  /** Absent: only users set it (through `environment_variables`, or the local server's shell). */
  readonly setBy?: EnvSource;
  /** Never echoed in error messages or logs. */
  readonly secret?: boolean;
  /** The default in words, where it is derived rather than a literal (e.g. "`MCP_SERVER_NAME`"). */
  readonly defaultText?: string;
}

/** A whole number in `min`..`max` (both inclusive), written in decimal. */
export interface IntegerVar extends EnvVarBase {
  readonly type: "integer";
  readonly min: number;
  readonly max: number;
  readonly default?: number;
  /** Unit of the number, e.g. `seconds`, `bytes`. */
  readonly unit?: string;
}

/** `true` or `false` (case-insensitive). */
export interface BooleanVar extends EnvVarBase {
  readonly type: "boolean";
  readonly default: boolean;
}

/** One of `values` (case-insensitive where `caseInsensitive`). */
export interface EnumVar extends EnvVarBase {
  readonly type: "enum";
  readonly values: readonly string[];
  readonly default?: string;
  readonly caseInsensitive?: boolean;
}

/** Free text checked by the loader; `allowed` says what it accepts. */
export interface StringVar extends EnvVarBase {
  readonly type: "string";
  readonly allowed: string;
  readonly default?: string;
}

/** Comma-separated list; blanks around items and empty items are dropped. */
export interface ListVar extends EnvVarBase {
  readonly type: "list";
  readonly allowed: string;
  readonly default?: readonly string[];
}

export type EnvVar = IntegerVar | BooleanVar | EnumVar | StringVar | ListVar;

/** Public HTTP paths of the MCP endpoint (MCP Streamable HTTP; RFC 9728 section 3.1). */
export const PATHS = {
  /** The MCP endpoint (`POST`, `GET`, `DELETE`). */
  mcp: "/mcp",
  /** Liveness probe, unauthenticated. */
  health: "/health",
  /** OAuth 2.0 Protected Resource Metadata at the host root (RFC 9728 section 3.1). */
  protectedResourceMetadata: "/.well-known/oauth-protected-resource",
  /** The same metadata, path-inserted for `/mcp` (RFC 9728 section 3.1). */
  protectedResourceMetadataMcp: "/.well-known/oauth-protected-resource/mcp",
} as const;

/**
 * Public HTTP paths of the authorization server for interactive sign-in (handlers/oauth), at the
 * root of the MCP origin (its issuer): RFC 8414 and OpenID discovery, JWKS, the authorization,
 * registration (RFC 7591), token and revocation (RFC 7009) endpoints, the consent form target and
 * the upstream (Cognito) callback.
 */
export const AUTHORIZATION_SERVER_PATHS = {
  metadata: "/.well-known/oauth-authorization-server",
  openidConfiguration: "/.well-known/openid-configuration",
  jwks: "/.well-known/jwks.json",
  authorize: "/authorize",
  register: "/register",
  consent: "/oauth/consent",
  callback: "/oauth/callback",
  token: "/token",
  revoke: "/revoke",
} as const;

/** Paths answered without a token (`GET` only): the health check and the RFC 9728 metadata. */
export const PUBLIC_PATHS = [PATHS.health, PATHS.protectedResourceMetadata, PATHS.protectedResourceMetadataMcp] as const;

/** HTTP header names, as written on the wire (HTTP header names are case-insensitive; RFC 9110 section 5.1). */
export const HEADERS = {
  /** Secret CloudFront adds to every origin request; the function refuses requests without it. */
  originVerify: "X-Origin-Verify",
  /** MCP session id (MCP 2025-06-18, Transports, Session Management). */
  mcpSessionId: "Mcp-Session-Id",
  /** Negotiated protocol revision (MCP 2025-06-18, Transports). */
  mcpProtocolVersion: "MCP-Protocol-Version",
} as const;

/** The one tenant key: the JWT claim, the STS session tag, and the partition key of tenant-keyed tables. */
export const TENANT_ID = "tenant_id";

/** OAuth scope the module's Cognito resource server defines and the function requires. */
export const MCP_INVOKE_SCOPE = "mcp/invoke";

/** TTL attribute of every table: expiry time, epoch seconds (DynamoDB Developer Guide, "Time to Live"). */
export const TTL_ATTRIBUTE = "expires_at";

/** Key schema of a table (all key attributes are strings, `S`). */
export interface TableKeys {
  readonly hashKey: string;
  readonly rangeKey?: string;
  /** TTL attribute, when DynamoDB deletes expired items. */
  readonly ttlAttribute?: string;
  /** Global secondary indexes by name. */
  readonly indexes?: Readonly<Record<string, { readonly hashKey: string; readonly rangeKey?: string }>>;
}

/** The tables the modules create and the function reads and writes. */
export const TABLES = {
  /** The tenant directory: `<kind>#<value>` (client, domain, invitation) to `tenant_id`; no TTL. */
  tenantDirectory: { hashKey: "directory_key" },
  /** MCP sessions without tenant isolation. */
  sessions: { hashKey: "session_id", ttlAttribute: TTL_ATTRIBUTE },
  /** MCP sessions with tenant isolation: every item of a tenant in its own partition. */
  tenantSessions: { hashKey: TENANT_ID, rangeKey: "session_id", ttlAttribute: TTL_ATTRIBUTE },
  /** Results of cacheable tools; `params_hash` = hex SHA-256 of the tenant and the canonical arguments. */
  toolCache: { hashKey: "tool_name", rangeKey: "params_hash", ttlAttribute: TTL_ATTRIBUTE },
  /** Usage counters and idempotency markers of `mcp_tenant_metering`. */
  usage: {
    hashKey: TENANT_ID,
    rangeKey: "period",
    ttlAttribute: TTL_ATTRIBUTE,
    indexes: { by_period: { hashKey: "period", rangeKey: TENANT_ID } },
  },
  /** Tenant data, reached only with credentials vended for the tenant. */
  tenantData: { hashKey: TENANT_ID, rangeKey: "item_id" },
  /**
   * The authorization server's state: registered clients, metadata documents, sign-in transactions,
   * codes, grants, consents and rate counters, each kind under its own `pk` prefix
   * ({@link OAUTH_KEY_PREFIXES}); `by_subject` finds a user's grants.
   */
  oauth: {
    hashKey: "pk",
    rangeKey: "sk",
    ttlAttribute: TTL_ATTRIBUTE,
    indexes: { by_subject: { hashKey: "gsi1pk", rangeKey: "gsi1sk" } },
  },
} as const satisfies Record<string, TableKeys>;

/**
 * Partition key prefixes of the authorization server's table, one per kind of item; IAM scopes each
 * function to the prefixes it uses (`dynamodb:LeadingKeys`). `subject` is the `by_subject` index's
 * partition key prefix (`sub#<sub>`).
 */
export const OAUTH_KEY_PREFIXES = {
  client: "client#",
  metadataDocument: "cimd#",
  transaction: "txn#",
  code: "code#",
  grant: "grant#",
  consent: "consent#",
  rateCounter: "rl#",
  subject: "sub#",
} as const;

/** Scopes the authorization server asks the upstream OpenID provider (Cognito) for: an ID token with the user's e-mail and attributes. */
export const OAUTH_UPSTREAM_SCOPES = ["openid", "email", "profile"] as const;

/** Log levels of Powertools for AWS Lambda (TypeScript) Logger, lowest first. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "critical", "silent"] as const;

/** JWS algorithms the function accepts for access tokens: asymmetric only (RFC 7518 section 3.1, RFC 8037). */
export const JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

const DAY = 24 * 3600;

/**
 * Every environment variable of the functions, by name. `readBy` says which loader reads it
 * (`loadConfig` for the MCP function, `loadRouterConfig` for the tenant router); `setBy` says which
 * module sets it and with what value.
 */
export const ENV = {
  MCP_SERVER_NAME: {
    type: "string",
    allowed: "non-empty",
    default: "mcp-server-aws",
    description: "`serverInfo.name`; also the Powertools service name (the router's is this plus `-router`)",
    readBy: ["mcp", "router", "trigger"],
    setBy: { module: "mcp_server", on: ["mcp", "router", "trigger"], value: "`name`" },
  },
  MCP_SERVER_VERSION: {
    type: "string",
    allowed: "non-empty",
    default: "0.1.0",
    description: "`serverInfo.version`",
    readBy: ["mcp", "router"],
  },
  MCP_ENVIRONMENT: {
    type: "string",
    allowed: "any",
    default: "dev",
    description: "added to every log line and as the `environment` metric dimension",
    readBy: ["mcp", "router", "trigger"],
    setBy: { module: "mcp_server", on: ["mcp", "router", "trigger"], value: "`environment`" },
  },
  MCP_PATH: {
    type: "string",
    allowed: "path starting with `/`, without `?`, `#` or spaces",
    default: PATHS.mcp,
    description: "path of the MCP endpoint (the module's routes use the default)",
    readBy: ["mcp", "router"],
  },
  MCP_RESPONSE_MODE: {
    type: "enum",
    values: ["sse", "json"],
    default: "sse",
    description: "how `POST` answers requests: an SSE stream, or one JSON body",
    readBy: ["mcp"],
  },
  MCP_MAX_BODY_BYTES: {
    type: "integer",
    min: 1024,
    max: 6 * 1024 * 1024,
    default: 1024 * 1024,
    unit: "bytes",
    description: "largest request body accepted (Lambda's synchronous payload limit is 6 MB)",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: "the default, the limit `mcp_waf` enforces at the edge" },
  },
  MCP_ALLOWED_ORIGINS: {
    type: "list",
    allowed: "`scheme://host[:port]`, port may be `*`",
    default: [],
    description: "browser origins allowed to call the server; empty: any request with `Origin` gets 403",
    readBy: ["mcp"],
    setBy: {
      module: "mcp_server",
      on: ["mcp"],
      value: "`cors_allowed_origins`, comma-separated (the same list as the API's CORS configuration)",
    },
  },
  MCP_ORIGIN_VERIFY_SECRET: {
    type: "string",
    allowed: "at least 16 characters",
    description: `when set, \`${HEADERS.originVerify}\` must equal it`,
    secret: true,
    readBy: ["mcp", ...OAUTH_FUNCTIONS],
    setBy: {
      module: "mcp_server",
      on: ["mcp", ...OAUTH_FUNCTIONS],
      value: `the secret CloudFront sends in \`${HEADERS.originVerify}\`, or \`""\` without WAF (sensitive)`,
    },
  },
  MCP_RESOURCE_URL: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    defaultText: "derived from the request",
    description: "public URL of the MCP endpoint (RFC 9728 `resource`)",
    readBy: ["mcp", "router"],
    setBy: {
      module: "mcp_server",
      on: ["mcp", "router"],
      value: "`mcp_endpoint_url` (the public URL, for OAuth protected resource metadata)",
    },
  },
  MCP_AUTH_ENABLED: {
    type: "boolean",
    default: false,
    description: "verify a bearer token on every MCP request",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: '`"true"` or `"false"` (`enable_auth`)' },
  },
  MCP_JWT_ISSUER: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description:
      "`iss` of accepted tokens, compared as an exact string (a trailing `/` counts) and advertised as is in `authorization_servers`; required with auth",
    readBy: ["mcp", "router"],
    setBy: { module: "mcp_server", on: ["mcp", "router"], value: '`https://cognito-idp.<region>.amazonaws.com/<pool id>`, or `""`' },
  },
  MCP_JWT_CLIENT_IDS: {
    type: "list",
    allowed: "OAuth client ids",
    default: [],
    description: "allowed `client_id` (else `aud`) values; at least one with auth",
    readBy: ["mcp", "router"],
    setBy: {
      module: "mcp_server",
      on: ["mcp", "router"],
      value: "the app client ids a token's `client_id` must match (the module's client and the tenants' machine clients), or `\"\"`",
    },
  },
  MCP_JWT_REQUIRED_SCOPE: {
    type: "string",
    allowed: "one scope, no spaces",
    description: "scope every request needs",
    readBy: ["mcp", "router"],
    setBy: { module: "mcp_server", on: ["mcp", "router"], value: `\`${MCP_INVOKE_SCOPE}\` with auth, else \`""\`` },
  },
  MCP_JWT_AUDIENCE: {
    type: "string",
    allowed: "any",
    description:
      "when set, `aud` must contain it (RFC 8707 resource indicators); unset, a token that carries `aud` must contain the resource URL (Cognito access tokens carry no `aud`)",
    readBy: ["mcp", "router"],
  },
  MCP_OAUTH_ISSUER: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description:
      "issuer of the authorization server at the MCP origin (interactive sign-in); its tokens are chosen by `iss`, and the protected resource metadata names it",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: '`oauth_issuer` with `enable_interactive_auth`, else `""`' },
  },
  MCP_OAUTH_PUBLIC_KEYS: {
    type: "string",
    allowed: 'JSON array of {"kid","alg":"RS256","pem"} (SubjectPublicKeyInfo PEM)',
    description: "the authorization server's token-signing public keys; required with `MCP_OAUTH_ISSUER` (verified inline, no JWKS fetch)",
    readBy: ["mcp"],
    setBy: {
      module: "mcp_server",
      on: ["mcp"],
      value: 'the public keys of every `oauth_signing_keys` generation (`data "aws_kms_public_key"`; `kid` = the KMS key id), or `""`',
    },
  },
  MCP_OAUTH_AUDIENCE: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    defaultText: "`MCP_RESOURCE_URL`",
    description: "`aud` the authorization server's tokens must contain: the MCP endpoint URL",
    readBy: ["mcp"],
  },
  MCP_JWKS_URL: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    defaultText: "`<issuer without a trailing />/.well-known/jwks.json`",
    description: "JWKS location; the default is Cognito's",
    readBy: ["mcp", "router"],
  },
  MCP_JWT_ALGORITHMS: {
    type: "list",
    allowed: JWT_ALGORITHMS.map((a) => `\`${a}\``).join(", "),
    default: ["RS256"],
    description: "accepted JWS algorithms (asymmetric only)",
    readBy: ["mcp"],
  },
  MCP_JWT_CLOCK_TOLERANCE_SECONDS: {
    type: "integer",
    min: 0,
    max: 300,
    default: 5,
    unit: "seconds",
    description: "clock skew tolerated on `exp`, `nbf` and `iat`",
    readBy: ["mcp"],
  },
  MCP_TENANT_ISOLATION: {
    type: "boolean",
    default: false,
    description: "one tenant per token; `true` needs `MCP_AUTH_ENABLED=true`",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: '`"true"` or `"false"` (`enable_tenant_isolation`)' },
  },
  MCP_TENANT_CLAIM: {
    type: "string",
    allowed: "claim name (`[A-Za-z0-9_:.-]+`)",
    default: TENANT_ID,
    description: "claim naming the tenant in verified access tokens (the pre token generation trigger writes it)",
    readBy: ["mcp", "router", "trigger"],
    setBy: { module: "mcp_server", on: ["mcp", "router", "trigger"], value: `\`${TENANT_ID}\`` },
  },
  MCP_SESSION_STORE: {
    type: "enum",
    values: ["none", "memory", "dynamodb"],
    defaultText: "`dynamodb` if `MCP_SESSION_TABLE_NAME` is set, else `none`",
    description: "where sessions live (`memory`: local server and tests only)",
    readBy: ["mcp"],
  },
  MCP_SESSION_TABLE_NAME: {
    type: "string",
    allowed: "DynamoDB table name",
    description: "the session table",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: 'the session table, or `""`' },
  },
  MCP_SESSION_TTL_SECONDS: {
    type: "integer",
    min: 60,
    max: 30 * DAY,
    default: 3600,
    unit: "seconds",
    description: "idle lifetime of a session, sliding (renewed when less than half is left)",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: "`session_ttl_seconds`" },
  },
  MCP_TOOL_CACHE_TABLE_NAME: {
    type: "string",
    allowed: "DynamoDB table name",
    description: "turns the tool-result cache on",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: 'the tool cache table, or `""`' },
  },
  MCP_TOOL_CACHE_TTL_SECONDS: {
    type: "integer",
    min: 1,
    max: 30 * DAY,
    default: 300,
    unit: "seconds",
    description: "lifetime of a cached tool result",
    readBy: ["mcp"],
    setBy: { module: "mcp_server", on: ["mcp"], value: "`tool_cache_ttl_seconds`" },
  },
  MCP_CONFORMANCE_FIXTURES: {
    type: "boolean",
    default: false,
    description: "registers the MCP conformance suite's tools, resources and prompts (tests only)",
    readBy: ["mcp"],
  },
  MCP_TARGET_FUNCTION_ARN: {
    type: "string",
    allowed: "Lambda function ARN, optionally `:<version or alias>`",
    description: "the tenant-isolated MCP function the router invokes; required",
    readBy: ["router"],
    setBy: { module: "mcp_server", on: ["router"], value: "the MCP function's ARN" },
  },
  // ---- The authorization server (handlers/oauth/src/core/config.ts reads these) ----
  OAUTH_ISSUER: {
    type: "string",
    allowed: "https origin (http only on loopback): scheme and host, no path, no trailing slash",
    description: "issuer (RFC 8414) and base of every endpoint URL; never taken from `Host`",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_issuer`: `public_base_url`, else the origin of `mcp_endpoint_url`" },
  },
  OAUTH_RESOURCE: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description: "the one protected resource (RFC 8707): `resource` is canonicalised and must name it; it becomes `aud`",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`mcp_endpoint_url`" },
  },
  OAUTH_SCOPES: {
    type: "list",
    allowed: "scopes",
    default: [MCP_INVOKE_SCOPE],
    description: "scopes every signed-in user may be granted",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: `\`${MCP_INVOKE_SCOPE}\`` },
  },
  OAUTH_GROUP_SCOPES: {
    type: "string",
    allowed: "JSON object: Cognito group -> array of scopes",
    default: "{}",
    description: "extra scopes a member of a Cognito group may be granted when the client asks (step-up)",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_group_scopes` as JSON" },
  },
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: {
    type: "integer",
    min: 300,
    max: 3600,
    default: 900,
    unit: "seconds",
    description: "lifetime of access tokens (RFC 9068 JWT)",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_access_token_ttl_seconds`" },
  },
  OAUTH_REFRESH_TOKEN_TTL_SECONDS: {
    type: "integer",
    min: 3600,
    max: 90 * DAY,
    default: 30 * DAY,
    unit: "seconds",
    description: "absolute lifetime of a grant and its rotating refresh tokens",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_refresh_token_ttl_days` x 86400" },
  },
  OAUTH_CODE_TTL_SECONDS: {
    type: "integer",
    min: 10,
    max: 600,
    default: 60,
    unit: "seconds",
    description: "lifetime of an authorization code (single use)",
    readBy: OAUTH_FUNCTIONS,
  },
  OAUTH_TXN_TTL_SECONDS: {
    type: "integer",
    min: 60,
    max: 3600,
    default: 600,
    unit: "seconds",
    description: "lifetime of a sign-in transaction (from `/authorize` to the code)",
    readBy: OAUTH_FUNCTIONS,
  },
  OAUTH_CONSENT_TTL_SECONDS: {
    type: "integer",
    min: 0,
    max: 365 * DAY,
    default: 90 * DAY,
    unit: "seconds",
    description: "how long a user's consent to a client is remembered",
    readBy: OAUTH_FUNCTIONS,
  },
  OAUTH_DCR_MODE: {
    type: "enum",
    values: ["off", "allowlist", "open"],
    default: "allowlist",
    description: "dynamic client registration (RFC 7591): `allowlist` registers only allowed redirect URIs",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_dcr_mode`" },
  },
  OAUTH_DCR_MAX_PER_HOUR: {
    type: "integer",
    min: 1,
    max: 10_000,
    default: 60,
    unit: "registrations",
    description: "new client registrations per hour, all sources (429 beyond)",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_dcr_max_registrations_per_hour`" },
  },
  OAUTH_DCR_MAX_PER_IP_PER_HOUR: {
    type: "integer",
    min: 1,
    max: 10_000,
    default: 10,
    unit: "registrations",
    description: "new client registrations per hour from one source address (behind CloudFront the source is the edge)",
    readBy: OAUTH_FUNCTIONS,
  },
  OAUTH_DCR_CLIENT_TTL_SECONDS: {
    type: "integer",
    min: DAY,
    max: 365 * DAY,
    default: 30 * DAY,
    unit: "seconds",
    description: "a registered client unused for this long expires",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_dcr_client_ttl_days` x 86400" },
  },
  OAUTH_CIMD_MODE: {
    type: "enum",
    values: ["off", "allowlist", "open"],
    default: "allowlist",
    description: "Client ID Metadata Documents: `allowlist` fetches only from `OAUTH_CIMD_ALLOWED_HOSTS`",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_cimd_mode`" },
  },
  OAUTH_CIMD_ALLOWED_HOSTS: {
    type: "list",
    allowed: "host names",
    default: ["claude.ai", "claude.com", "vscode.dev", "insiders.vscode.dev", "chatgpt.com"],
    description: "hosts whose Client ID Metadata Documents are fetched in `allowlist` mode",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_cimd_allowed_hosts`, comma-separated" },
  },
  OAUTH_ALLOWED_REDIRECT_URIS: {
    type: "string",
    allowed: "JSON array of URIs; `http://localhost` (or `127.0.0.1`, `[::1]`) without a path allows every loopback redirect",
    defaultText: "loopback and the known clients' callbacks",
    description: "redirect URIs dynamically registered clients (and metadata documents in `open` mode) may use",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_allowed_redirect_uris` as JSON" },
  },
  OAUTH_STATIC_CLIENTS: {
    type: "string",
    allowed: 'JSON array of {"client_id","client_name","redirect_uris","secret_sha256"?,"skip_consent"?}',
    default: "[]",
    description: "pre-registered clients; a confidential one carries the base64url SHA-256 of its secret, never the secret",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_clients` as JSON, secrets hashed" },
  },
  OAUTH_UPSTREAM_ISSUER: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description: "issuer of the upstream OpenID provider (Cognito): the ID token's `iss`",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`https://cognito-idp.<region>.amazonaws.com/<pool id>`" },
  },
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description: "the upstream authorization endpoint the browser is sent to (no discovery at cold start)",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`https://<user pool domain>/oauth2/authorize`" },
  },
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description: "the upstream token endpoint",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`https://<user pool domain>/oauth2/token`" },
  },
  OAUTH_UPSTREAM_JWKS_URI: {
    type: "string",
    allowed: "https URL (http only on loopback)",
    description: "the upstream provider's JWKS (ID-token signatures)",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`<upstream issuer>/.well-known/jwks.json`" },
  },
  OAUTH_UPSTREAM_CLIENT_ID: {
    type: "string",
    allowed: "non-empty",
    description: "the authorization server's app client at the upstream provider",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`cognito_interactive_client_id`" },
  },
  OAUTH_UPSTREAM_CLIENT_SECRET: {
    type: "string",
    allowed: "non-empty; token function only (the front function refuses it)",
    description: "the upstream app client's secret (`client_secret_basic`)",
    secret: true,
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: ["oauth-token"], value: "the interactive app client's secret (sensitive)" },
  },
  OAUTH_UPSTREAM_SCOPES: {
    type: "list",
    allowed: "scopes",
    default: OAUTH_UPSTREAM_SCOPES,
    description: "scopes asked of the upstream provider (the Cognito app client allows exactly these)",
    readBy: OAUTH_FUNCTIONS,
  },
  OAUTH_UPSTREAM_IDENTITY_PROVIDER: {
    type: "string",
    allowed: "a Cognito identity provider name",
    description: "Cognito `identity_provider` sent with every sign-in (a federated IdP; skips the Cognito page)",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: '`oauth_upstream_identity_provider`, or `""`' },
  },
  OAUTH_TENANT_ATTRIBUTE: {
    type: "string",
    allowed: "non-empty claim name",
    default: `custom:${TENANT_ID}`,
    description: `ID-token claim copied into the access token's \`${TENANT_ID}\``,
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_tenant_attribute`" },
  },
  OAUTH_TENANT_REQUIRED: {
    type: "boolean",
    default: false,
    description: "refuse users without the tenant attribute (`access_denied`)",
    readBy: OAUTH_FUNCTIONS,
  },
  OAUTH_PUBLIC_KEYS: {
    type: "string",
    allowed: 'JSON array of {"kid","alg":"RS256","pem"} (SubjectPublicKeyInfo PEM); the last one signs',
    description: "published token-signing keys (JWKS)",
    readBy: OAUTH_FUNCTIONS,
    setBy: {
      module: "mcp_server",
      on: OAUTH_FUNCTIONS,
      value: 'the public keys of every `oauth_signing_keys` generation (`data "aws_kms_public_key"`; `kid` = the KMS key id), in order',
    },
  },
  OAUTH_SIGNING_KEY_ID: {
    type: "string",
    allowed: "KMS key id or ARN; required by the token function",
    description: "the KMS key that signs access tokens (`Sign`, RSASSA_PKCS1_V1_5_SHA_256); the private key never leaves KMS",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: ["oauth-token"], value: "ARN of the last `oauth_signing_keys` generation" },
  },
  OAUTH_TABLE_NAME: {
    type: "string",
    allowed: "DynamoDB table name; required on Lambda",
    description: "the authorization server's table",
    readBy: OAUTH_FUNCTIONS,
    setBy: { module: "mcp_server", on: OAUTH_FUNCTIONS, value: "`oauth_table_name`" },
  },
  TVM_TENANT_ROLE_ARN: {
    type: "string",
    allowed: "IAM role ARN",
    description: "turns the token vending machine on; needs `MCP_TENANT_ISOLATION=true`",
    readBy: ["mcp"],
    setBy: { module: "mcp_token_vending_machine", value: 'ARN of the tenant role, or `""`' },
  },
  TVM_CREDENTIAL_DURATION_SECONDS: {
    type: "integer",
    min: 900,
    max: 12 * 3600,
    default: 3600,
    unit: "seconds",
    description: "`DurationSeconds` of each tenant role session (the role's maximum session duration must allow it)",
    readBy: ["mcp"],
    setBy: { module: "mcp_token_vending_machine", value: "`credential_duration_seconds`" },
  },
  TENANT_DATA_TABLE_NAME: {
    type: "string",
    allowed: "DynamoDB table name",
    description: "tenant data table; registers `tenant_notes`; needs `TVM_TENANT_ROLE_ARN`",
    readBy: ["mcp"],
  },
  METERING_TABLE_NAME: {
    type: "string",
    allowed: "DynamoDB table name",
    description: "usage table; turns durable metering on",
    readBy: ["mcp"],
    setBy: { module: "mcp_tenant_metering", value: "the usage table's name" },
  },
  TENANT_DIRECTORY_TABLE_NAME: {
    type: "string",
    allowed: "DynamoDB table name",
    description: "the tenant directory the Cognito triggers read (client ids, e-mail domains and invitations to tenant ids)",
    readBy: ["trigger"],
    setBy: { module: "mcp_server", on: ["trigger"], value: "the tenant directory table's name" },
  },
  TENANT_REQUIRED: {
    type: "boolean",
    default: true,
    description: "the pre token generation trigger refuses tokens without a tenant",
    readBy: ["trigger"],
    setBy: { module: "mcp_server", on: ["trigger"], value: '`"true"` (tenant isolation needs a tenant in every token)' },
  },
  LOG_LEVEL: {
    type: "enum",
    values: LOG_LEVELS,
    caseInsensitive: true,
    default: "info",
    description: "log level (wins over `POWERTOOLS_LOG_LEVEL`)",
    readBy: ["mcp", "router", "trigger"],
    setBy: {
      module: "mcp_server",
      on: ["router", "trigger"],
      value:
        '`environment_variables["LOG_LEVEL"]`, else `environment_variables["POWERTOOLS_LOG_LEVEL"]`, else `info` (the MCP function receives `environment_variables` itself)',
    },
  },
  POWERTOOLS_LOG_LEVEL: {
    type: "enum",
    values: LOG_LEVELS,
    caseInsensitive: true,
    defaultText: "`info`",
    description: "log level when `LOG_LEVEL` is unset",
    readBy: ["mcp", "router", "trigger"],
  },
  POWERTOOLS_SERVICE_NAME: {
    type: "string",
    allowed: "any",
    defaultText: "`MCP_SERVER_NAME` (router: `<MCP_SERVER_NAME>-router`)",
    description: "Powertools `service`",
    readBy: ["mcp", "router", "trigger"],
  },
  POWERTOOLS_METRICS_NAMESPACE: {
    type: "string",
    allowed: "CloudWatch namespace (`[A-Za-z0-9._#:/-]{1,255}`)",
    default: "McpServer",
    description: "CloudWatch namespace of the EMF metrics",
    readBy: ["mcp"],
  },
  PORT: {
    type: "integer",
    min: 0,
    max: 65535,
    default: 3000,
    description: "local server only: TCP port (0: any free port)",
    readBy: ["mcp"],
  },
  HOST: {
    type: "string",
    allowed: "non-empty",
    default: "127.0.0.1",
    description: "local server only: address to listen on",
    readBy: ["mcp"],
  },
} as const satisfies Record<string, EnvVar>;

export type EnvName = keyof typeof ENV;

/** Names of the variables the loader of function `F` reads. */
export type EnvReadBy<F extends FunctionKind> = {
  [K in EnvName]: F extends (typeof ENV)[K]["readBy"][number] ? K : never;
}[EnvName];

/** Names of the variables the `mcp_server` module sets on function `F`. */
export type EnvSetByModule<F extends FunctionKind> = {
  [K in EnvName]: (typeof ENV)[K] extends { readonly setBy: { readonly module: "mcp_server"; readonly on: readonly (infer On)[] } }
    ? F extends On
      ? K
      : never
    : never;
}[EnvName];

/** Names of the variables module `M` sets (for `mcp_server`, on any function). */
export type EnvSetBy<M extends EnvSource["module"]> = {
  [K in EnvName]: (typeof ENV)[K] extends { readonly setBy: { readonly module: M } } ? K : never;
}[EnvName];

const names = Object.keys(ENV) as EnvName[];

/** The variables function `kind`'s loader reads, in declaration order. */
export function envReadBy<F extends FunctionKind>(kind: F): EnvReadBy<F>[] {
  return names.filter((name) => (ENV[name].readBy as readonly FunctionKind[]).includes(kind)) as EnvReadBy<F>[];
}

/** The variables the `mcp_server` module sets on function `kind`, in declaration order. */
export function envSetByModule<F extends FunctionKind>(kind: F): EnvSetByModule<F>[] {
  return names.filter((name) => {
    const setBy: EnvSource | undefined = (ENV[name] as EnvVar).setBy;
    return setBy?.module === "mcp_server" && setBy.on.includes(kind);
  }) as EnvSetByModule<F>[];
}

/**
 * The environment the `mcp_server` module sets on function `kind`, in contract order: the caller
 * gives one value per variable, and the type refuses a missing or an extra name.
 */
export function moduleEnvironment<F extends FunctionKind>(
  kind: F,
  values: { readonly [K in EnvSetByModule<F>]: string },
): Record<EnvSetByModule<F>, string> {
  const out = {} as Record<EnvSetByModule<F>, string>;
  for (const name of envSetByModule(kind)) out[name] = values[name];
  return out;
}
