/**
 * Runtime configuration from environment variables: read and validated in this one place, mapped
 * once from ENV_NAMES to camelCase. Empty strings count as unset (Terraform often passes "").
 * Names, ranges, allowed values and defaults come from the wire contract (`contract/index.ts`), which
 * also generates the "Configuration" table of container/README.md; this file adds the checks of shape
 * (patterns, URLs) and the rules across variables.
 *
 * Cross-variable rules (each violation is one `ConfigError` problem):
 * - `MCP_AUTH_ENABLED=true` needs `MCP_JWT_ISSUER` (an https URL, or http on a loopback host) and at
 *   least one `MCP_JWT_CLIENT_IDS` entry.
 * - `MCP_TENANT_ISOLATION=true` needs `MCP_AUTH_ENABLED=true`: a tenant id is taken only from a token
 *   the function verified itself, never from a header.
 * - `MCP_SESSION_STORE=dynamodb` (the default when `MCP_SESSION_TABLE_NAME` is set) needs the table name.
 * - `TVM_TENANT_ROLE_ARN` needs `MCP_TENANT_ISOLATION=true` (credentials are vended for the verified
 *   tenant only); `TENANT_DATA_TABLE_NAME` needs `TVM_TENANT_ROLE_ARN` (tenant data is reached only
 *   through vended credentials, never with the function's own role).
 *
 * `TVM_*`, `TENANT_DATA_TABLE_NAME` and `METERING_TABLE_NAME` carry no `MCP_` prefix on purpose: the
 * token vending machine and metering modules output them as `function_environment`, which users merge
 * into `mcp_server`'s `environment_variables`, and `MCP_*` is reserved for `mcp_server` itself.
 */
import { z } from "zod";
import { ENV, JWT_ALGORITHMS, type EnvReadBy, type IntegerVar } from "./contract/index.js";
import type { LogLevel } from "./core/logger.js";
import type { ResponseMode } from "./core/stages/mcp.js";

/** In-function OAuth resource-server settings (MCP authorization, spec 2025-06-18 / 2025-11-25). */
export interface AuthConfig {
  /** `iss` exactly as tokens carry it (trailing `/` included), e.g. `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC`; also `authorization_servers` in the RFC 9728 metadata. */
  readonly issuer: string;
  /** Allowed OAuth client ids: matched against `client_id` (Cognito access tokens), else `aud`. */
  readonly clientIds: readonly string[];
  /** Scope every request needs (`scope` claim, space separated); undefined = none. */
  readonly requiredScope?: string;
  /** When set, `aud` must contain it (RFC 8707 resource indicator). Unset: a token carrying `aud` must name the resource URL; Cognito access tokens carry no `aud`. */
  readonly audience?: string;
  /** JWKS URL. @default `<issuer without a trailing "/">/.well-known/jwks.json` (Cognito's location) */
  readonly jwksUrl: string;
  /** Allowed JWS algorithms. @default ["RS256"] (Cognito signs with RS256) */
  readonly algorithms: readonly string[];
  /** Clock skew tolerated on `exp` / `nbf` / `iat`, seconds. */
  readonly clockToleranceSeconds: number;
  /**
   * The server's own authorization server (interactive sign-in, handlers/oauth): its tokens are
   * chosen by `iss` and checked with inline public keys and `aud`; undefined when not deployed.
   */
  readonly interactive?: InteractiveAuthConfig;
}

/** `MCP_OAUTH_*`: the authorization server at the MCP origin. */
export interface InteractiveAuthConfig {
  /** Its issuer (the MCP origin). The protected resource metadata names it. */
  readonly issuer: string;
  /** `aud` its tokens must contain: the MCP endpoint URL. */
  readonly audience: string;
  /** Its published RS256 keys (SubjectPublicKeyInfo PEM). */
  readonly publicKeys: ReadonlyArray<{ readonly kid: string; readonly alg: "RS256"; readonly pem: string }>;
}

export type SessionStoreKind = "none" | "memory" | "dynamodb";

/** Token vending machine settings (`TVM_*`). */
export interface TenantCredentialsConfig {
  /** ARN of the tenant role assumed per tenant with the session tag `tenant_id`. */
  readonly roleArn: string;
  /** `DurationSeconds` of each tenant session, 900-43200. */
  readonly durationSeconds: number;
}

export interface Config {
  readonly serverName: string;
  readonly serverVersion: string;
  /** `MCP_ENVIRONMENT`, e.g. `dev` / `prod`; a log and metric attribute. */
  readonly environment: string;
  readonly path: string;
  readonly responseMode: ResponseMode;
  readonly logLevel: LogLevel;
  readonly port: number;
  readonly host: string;
  /** Largest request body accepted, bytes. */
  readonly maxBodyBytes: number;
  /** Allowed `Origin` values (exact, or with `:*` for any port); empty = any Origin present is refused. */
  readonly allowedOrigins: readonly string[];
  /** CloudFront origin secret: when set, `x-origin-verify` must equal it. */
  readonly originVerifySecret?: string;
  /** Public URL of the MCP endpoint (RFC 9728 `resource`); derived from the request when unset. */
  readonly resourceUrl?: string;
  /** Undefined when `MCP_AUTH_ENABLED` is false. */
  readonly auth?: AuthConfig;
  readonly tenantIsolation: boolean;
  readonly tenantClaim: string;
  readonly sessionStore: SessionStoreKind;
  readonly sessionTableName?: string;
  /** Idle lifetime of a session, seconds (sliding). */
  readonly sessionTtlSeconds: number;
  readonly toolCacheTableName?: string;
  /** Lifetime of a cached tool result, seconds. */
  readonly toolCacheTtlSeconds: number;
  /** Undefined unless `TVM_TENANT_ROLE_ARN` is set. */
  readonly tenantCredentials?: TenantCredentialsConfig;
  /** Tenant data table (`tenant_notes`), reached only with vended credentials. */
  readonly tenantDataTableName?: string;
  /** Usage table of the tenant metering module. */
  readonly meteringTableName?: string;
  /** Registers the conformance-suite fixture tools, resources and prompts (tests only). */
  readonly conformanceFixtures: boolean;
  /** Powertools `service` (POWERTOOLS_SERVICE_NAME, default the server name). */
  readonly serviceName: string;
  /** CloudWatch metrics namespace (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
}

const oneOf = (values: readonly string[]) => `must be one of ${values.map((v) => `"${v}"`).join(", ")}`;
const bool = () =>
  z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(["true", "false"], { error: 'must be "true" or "false"' }))
    .transform((value) => value === "true");
/** A whole number in the contract's range, with the contract's default. */
const int = ({ min, max, default: fallback }: IntegerVar) => {
  const schema = z
    .string()
    .regex(/^\d+$/, { error: `must be an integer ${min}-${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `must be an integer ${min}-${max}` })
        .max(max, { error: `must be an integer ${min}-${max}` }),
    );
  if (fallback === undefined) throw new Error("an integer variable without a default needs .optional()");
  return schema.default(fallback);
};
const enumOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: oneOf(values) });
const logLevel = () =>
  z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(enumOf(ENV.LOG_LEVEL.values))
    .optional();
const list = () =>
  z.string().transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** https URL, or http on a loopback host (local authorization servers in tests). */
const httpsUrl = () =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
      } catch {
        return false;
      }
    },
    { error: "must be an https URL (http only on localhost / 127.0.0.1 / [::1])" },
  );
const ORIGIN = /^https?:\/\/[^/?#\s]+$/;
const TABLE_NAME = () => z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: "must be a DynamoDB table name" });
/** An IAM role ARN (IAM User Guide, "IAM identifiers"; role names and paths: `[\w+=,.@/-]`). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const envShape = {
  MCP_SERVER_NAME: z.string({ error: "must be a non-empty string" }).min(1).default(ENV.MCP_SERVER_NAME.default),
  MCP_SERVER_VERSION: z.string({ error: "must be a non-empty string" }).min(1).default(ENV.MCP_SERVER_VERSION.default),
  MCP_ENVIRONMENT: z.string().default(ENV.MCP_ENVIRONMENT.default),
  MCP_PATH: z
    .string()
    .regex(/^\/[^?#\s]*$/, { error: 'must be a path starting with "/" without "?", "#" or spaces' })
    .default(ENV.MCP_PATH.default),
  MCP_RESPONSE_MODE: enumOf(ENV.MCP_RESPONSE_MODE.values).default(ENV.MCP_RESPONSE_MODE.default),
  LOG_LEVEL: logLevel(),
  POWERTOOLS_LOG_LEVEL: logLevel(),
  PORT: int(ENV.PORT),
  HOST: z.string().min(1).default(ENV.HOST.default),
  MCP_MAX_BODY_BYTES: int(ENV.MCP_MAX_BODY_BYTES),
  MCP_ALLOWED_ORIGINS: list()
    .pipe(z.array(z.string().regex(ORIGIN, { error: 'each origin must look like "https://host[:port]" (port may be "*")' })))
    .default([...ENV.MCP_ALLOWED_ORIGINS.default]),
  MCP_ORIGIN_VERIFY_SECRET: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  MCP_RESOURCE_URL: httpsUrl().optional(),
  MCP_AUTH_ENABLED: bool().default(ENV.MCP_AUTH_ENABLED.default),
  MCP_JWT_ISSUER: httpsUrl().optional(),
  MCP_JWT_CLIENT_IDS: list().default([...ENV.MCP_JWT_CLIENT_IDS.default]),
  MCP_JWT_REQUIRED_SCOPE: z.string().regex(/^\S+$/, { error: "must be one scope (no spaces)" }).optional(),
  MCP_JWT_AUDIENCE: z.string().optional(),
  MCP_JWKS_URL: httpsUrl().optional(),
  MCP_JWT_ALGORITHMS: list()
    .pipe(z.array(z.enum(JWT_ALGORITHMS, { error: "asymmetric JWS algorithms only (RS*, PS*, ES*, EdDSA)" })))
    .default([...ENV.MCP_JWT_ALGORITHMS.default]),
  MCP_JWT_CLOCK_TOLERANCE_SECONDS: int(ENV.MCP_JWT_CLOCK_TOLERANCE_SECONDS),
  MCP_OAUTH_ISSUER: httpsUrl().optional(),
  MCP_OAUTH_AUDIENCE: httpsUrl().optional(),
  MCP_OAUTH_PUBLIC_KEYS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(z.object({ kid: z.string().min(1), alg: z.literal("RS256"), pem: z.string().includes("BEGIN PUBLIC KEY") }), {
          error: 'must be a JSON array of {"kid","alg":"RS256","pem"}',
        })
        .min(1),
    )
    .optional(),
  MCP_TENANT_ISOLATION: bool().default(ENV.MCP_TENANT_ISOLATION.default),
  MCP_TENANT_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]+$/, { error: "must be a claim name" })
    .default(ENV.MCP_TENANT_CLAIM.default),
  MCP_SESSION_STORE: enumOf(ENV.MCP_SESSION_STORE.values).optional(),
  MCP_SESSION_TABLE_NAME: TABLE_NAME().optional(),
  MCP_SESSION_TTL_SECONDS: int(ENV.MCP_SESSION_TTL_SECONDS),
  MCP_TOOL_CACHE_TABLE_NAME: TABLE_NAME().optional(),
  MCP_TOOL_CACHE_TTL_SECONDS: int(ENV.MCP_TOOL_CACHE_TTL_SECONDS),
  MCP_CONFORMANCE_FIXTURES: bool().default(ENV.MCP_CONFORMANCE_FIXTURES.default),
  TVM_TENANT_ROLE_ARN: z.string().regex(ROLE_ARN, { error: "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)" }).optional(),
  TVM_CREDENTIAL_DURATION_SECONDS: int(ENV.TVM_CREDENTIAL_DURATION_SECONDS),
  TENANT_DATA_TABLE_NAME: TABLE_NAME().optional(),
  METERING_TABLE_NAME: TABLE_NAME().optional(),
  POWERTOOLS_SERVICE_NAME: z.string().optional(),
  POWERTOOLS_METRICS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._#:/-]{1,255}$/, { error: "must be a CloudWatch namespace" })
    .default(ENV.POWERTOOLS_METRICS_NAMESPACE.default),
} satisfies { [K in EnvReadBy<"mcp">]: z.ZodType };
const envSchema = z.object(envShape);

type EnvName = keyof z.input<typeof envSchema>;

/** Every environment variable `loadConfig` reads (for docs and tests). */
export const ENV_NAMES: readonly EnvName[] = Object.keys(envSchema.shape) as EnvName[];

export { ConfigError } from "./config-error.js";
import { ConfigError } from "./config-error.js";

/** Secrets are never echoed back in error messages. */
const SECRET_NAMES: ReadonlySet<string> = new Set(ENV_NAMES.filter((name) => "secret" in ENV[name] && ENV[name].secret));

/**
 * Reads the configuration from `env` (default `process.env`); see container/README.md for the table.
 * @throws ConfigError naming each invalid variable with its value (secrets redacted) and the allowed values
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const input: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") input[name] = value.trim();
  }
  const shown = (name: EnvName) => (SECRET_NAMES.has(name) ? '"<redacted>"' : JSON.stringify(input[name]));
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]) as EnvName;
        return `${name}=${shown(name)}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.MCP_AUTH_ENABLED) {
    if (e.MCP_JWT_ISSUER === undefined) problems.push('MCP_JWT_ISSUER=undefined: required when MCP_AUTH_ENABLED="true"');
    if (e.MCP_JWT_CLIENT_IDS.length === 0)
      problems.push('MCP_JWT_CLIENT_IDS=undefined: at least one client id is required when MCP_AUTH_ENABLED="true"');
  }
  if (e.MCP_TENANT_ISOLATION && !e.MCP_AUTH_ENABLED) {
    problems.push('MCP_TENANT_ISOLATION="true": needs MCP_AUTH_ENABLED="true" (the tenant comes only from a token the function verified)');
  }
  const sessionStore: SessionStoreKind = e.MCP_SESSION_STORE ?? (e.MCP_SESSION_TABLE_NAME === undefined ? "none" : "dynamodb");
  if (sessionStore === "dynamodb" && e.MCP_SESSION_TABLE_NAME === undefined) {
    problems.push('MCP_SESSION_TABLE_NAME=undefined: required when MCP_SESSION_STORE="dynamodb"');
  }
  if (e.TVM_TENANT_ROLE_ARN !== undefined && !e.MCP_TENANT_ISOLATION) {
    problems.push(
      `TVM_TENANT_ROLE_ARN=${shown("TVM_TENANT_ROLE_ARN")}: needs MCP_TENANT_ISOLATION="true" (credentials are vended only for the tenant of a verified token)`,
    );
  }
  if (e.TENANT_DATA_TABLE_NAME !== undefined && e.TVM_TENANT_ROLE_ARN === undefined) {
    problems.push(
      `TENANT_DATA_TABLE_NAME=${shown("TENANT_DATA_TABLE_NAME")}: needs TVM_TENANT_ROLE_ARN (tenant data is reached only with credentials vended for the tenant)`,
    );
  }
  if (e.MCP_OAUTH_ISSUER !== undefined) {
    if (!e.MCP_AUTH_ENABLED) problems.push(`MCP_OAUTH_ISSUER=${shown("MCP_OAUTH_ISSUER")}: needs MCP_AUTH_ENABLED="true"`);
    if (e.MCP_OAUTH_PUBLIC_KEYS === undefined) problems.push("MCP_OAUTH_PUBLIC_KEYS=undefined: required with MCP_OAUTH_ISSUER");
    if (e.MCP_OAUTH_AUDIENCE === undefined && e.MCP_RESOURCE_URL === undefined)
      problems.push("MCP_OAUTH_AUDIENCE=undefined: required with MCP_OAUTH_ISSUER unless MCP_RESOURCE_URL is set");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // Issuer identifiers compare as exact strings (RFC 8414 section 3.3, RFC 9728 section 2): kept as given.
  const issuer = e.MCP_JWT_ISSUER;
  return {
    serverName: e.MCP_SERVER_NAME,
    serverVersion: e.MCP_SERVER_VERSION,
    environment: e.MCP_ENVIRONMENT,
    path: e.MCP_PATH,
    responseMode: e.MCP_RESPONSE_MODE,
    logLevel: e.LOG_LEVEL ?? e.POWERTOOLS_LOG_LEVEL ?? ENV.LOG_LEVEL.default,
    port: e.PORT,
    host: e.HOST,
    maxBodyBytes: e.MCP_MAX_BODY_BYTES,
    allowedOrigins: e.MCP_ALLOWED_ORIGINS,
    ...(e.MCP_ORIGIN_VERIFY_SECRET === undefined ? {} : { originVerifySecret: e.MCP_ORIGIN_VERIFY_SECRET }),
    ...(e.MCP_RESOURCE_URL === undefined ? {} : { resourceUrl: e.MCP_RESOURCE_URL }),
    ...(e.MCP_AUTH_ENABLED && issuer !== undefined
      ? {
          auth: {
            issuer,
            clientIds: e.MCP_JWT_CLIENT_IDS,
            ...(e.MCP_JWT_REQUIRED_SCOPE === undefined ? {} : { requiredScope: e.MCP_JWT_REQUIRED_SCOPE }),
            ...(e.MCP_JWT_AUDIENCE === undefined ? {} : { audience: e.MCP_JWT_AUDIENCE }),
            jwksUrl: e.MCP_JWKS_URL ?? `${issuer.replace(/\/$/, "")}/.well-known/jwks.json`,
            algorithms: e.MCP_JWT_ALGORITHMS,
            clockToleranceSeconds: e.MCP_JWT_CLOCK_TOLERANCE_SECONDS,
            ...(e.MCP_OAUTH_ISSUER === undefined
              ? {}
              : {
                  interactive: {
                    issuer: e.MCP_OAUTH_ISSUER.replace(/\/+$/, ""),
                    audience: (e.MCP_OAUTH_AUDIENCE ?? e.MCP_RESOURCE_URL)!,
                    publicKeys: e.MCP_OAUTH_PUBLIC_KEYS!,
                  },
                }),
          },
        }
      : {}),
    tenantIsolation: e.MCP_TENANT_ISOLATION,
    tenantClaim: e.MCP_TENANT_CLAIM,
    sessionStore,
    ...(e.MCP_SESSION_TABLE_NAME === undefined ? {} : { sessionTableName: e.MCP_SESSION_TABLE_NAME }),
    sessionTtlSeconds: e.MCP_SESSION_TTL_SECONDS,
    ...(e.MCP_TOOL_CACHE_TABLE_NAME === undefined ? {} : { toolCacheTableName: e.MCP_TOOL_CACHE_TABLE_NAME }),
    toolCacheTtlSeconds: e.MCP_TOOL_CACHE_TTL_SECONDS,
    ...(e.TVM_TENANT_ROLE_ARN === undefined
      ? {}
      : { tenantCredentials: { roleArn: e.TVM_TENANT_ROLE_ARN, durationSeconds: e.TVM_CREDENTIAL_DURATION_SECONDS } }),
    ...(e.TENANT_DATA_TABLE_NAME === undefined ? {} : { tenantDataTableName: e.TENANT_DATA_TABLE_NAME }),
    ...(e.METERING_TABLE_NAME === undefined ? {} : { meteringTableName: e.METERING_TABLE_NAME }),
    conformanceFixtures: e.MCP_CONFORMANCE_FIXTURES,
    serviceName: e.POWERTOOLS_SERVICE_NAME ?? e.MCP_SERVER_NAME,
    metricsNamespace: e.POWERTOOLS_METRICS_NAMESPACE,
  };
}
