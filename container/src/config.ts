/**
 * Runtime configuration from environment variables: read and validated in this one place, mapped
 * once from ENV_NAMES to camelCase. Empty strings count as unset (Terraform often passes "").
 * Names, types, ranges, allowed values and defaults come from the wire contract (`contract/index.ts`),
 * which also generates the "Configuration" table of container/README.md: the loader interprets each
 * entry directly (no schema objects are built, so a cold start pays microseconds for it); this file
 * adds the checks of shape (patterns, URLs) and the rules across variables.
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
import { ENV, envReadBy, JWT_ALGORITHMS, type EnvReadBy, type EnvVar } from "./contract/index.js";
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

type EnvName = EnvReadBy<"mcp">;

/** Every environment variable `loadConfig` reads, in contract order (for docs and tests). */
export const ENV_NAMES: readonly EnvName[] = envReadBy("mcp");

export { ConfigError } from "./config-error.js";
import { ConfigError } from "./config-error.js";

/** A value as the loader returns it: the contract's type, parsed. */
type Parsed = string | number | boolean | readonly string[];

/** A shape rule beyond the contract's type: the message names what is allowed. */
interface ShapeRule {
  readonly test: (value: string) => boolean;
  readonly message: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** https URL, or http on a loopback host (local authorization servers in tests). */
const HTTPS_URL: ShapeRule = {
  test: (value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
    } catch {
      return false;
    }
  },
  message: "must be an https URL (http only on localhost / 127.0.0.1 / [::1])",
};
const pattern = (regex: RegExp, message: string): ShapeRule => ({ test: (value) => regex.test(value), message });
const TABLE_NAME = pattern(/^[A-Za-z0-9_.-]{3,255}$/, "must be a DynamoDB table name");
/** `scheme://host[:port]`, port may be `*`. */
const ORIGIN = /^https?:\/\/[^/?#\s]+$/;
/** An IAM role ARN (IAM User Guide, "IAM identifiers"; role names and paths: `[\w+=,.@/-]`). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ALGORITHMS: ReadonlySet<string> = new Set(JWT_ALGORITHMS);

/** The shape rules of string variables (for lists: of each item), by name; the rest of a variable's rules is its contract entry. */
const SHAPE: Partial<Record<EnvName, ShapeRule>> = {
  MCP_PATH: pattern(/^\/[^?#\s]*$/, 'must be a path starting with "/" without "?", "#" or spaces'),
  MCP_ALLOWED_ORIGINS: pattern(ORIGIN, 'each origin must look like "https://host[:port]" (port may be "*")'),
  MCP_ORIGIN_VERIFY_SECRET: { test: (value) => value.length >= 16, message: "must be at least 16 characters" },
  MCP_RESOURCE_URL: HTTPS_URL,
  MCP_JWT_ISSUER: HTTPS_URL,
  MCP_JWT_REQUIRED_SCOPE: pattern(/^\S+$/, "must be one scope (no spaces)"),
  MCP_JWKS_URL: HTTPS_URL,
  MCP_JWT_ALGORITHMS: { test: (value) => ALGORITHMS.has(value), message: "asymmetric JWS algorithms only (RS*, PS*, ES*, EdDSA)" },
  MCP_OAUTH_ISSUER: HTTPS_URL,
  MCP_OAUTH_AUDIENCE: HTTPS_URL,
  MCP_OAUTH_PUBLIC_KEYS: { test: isPublicKeyList, message: 'must be a JSON array of {"kid","alg":"RS256","pem"}' },
  MCP_TENANT_CLAIM: pattern(/^[A-Za-z0-9_:.-]+$/, "must be a claim name"),
  MCP_SESSION_TABLE_NAME: TABLE_NAME,
  MCP_TOOL_CACHE_TABLE_NAME: TABLE_NAME,
  TVM_TENANT_ROLE_ARN: pattern(ROLE_ARN, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)"),
  TENANT_DATA_TABLE_NAME: TABLE_NAME,
  METERING_TABLE_NAME: TABLE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: pattern(/^[A-Za-z0-9._#:/-]{1,255}$/, "must be a CloudWatch namespace"),
};

/** `MCP_OAUTH_PUBLIC_KEYS`: a non-empty JSON array of `{ kid, alg: "RS256", pem }` with a SubjectPublicKeyInfo PEM. */
function isPublicKeyList(text: string): boolean {
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    return false;
  }
  return (
    Array.isArray(keys) &&
    keys.length > 0 &&
    keys.every((key: unknown) => {
      const { kid, alg, pem } = (typeof key === "object" && key !== null ? key : {}) as Record<string, unknown>;
      return typeof kid === "string" && kid !== "" && alg === "RS256" && typeof pem === "string" && pem.includes("BEGIN PUBLIC KEY");
    })
  );
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/**
 * Parses one variable by its contract entry (type, range, allowed values, default) and its shape
 * rule: the value, or a message saying what is allowed. `raw` is trimmed and non-empty, or undefined.
 */
function parseVariable(name: EnvName, raw: string | undefined): { value: Parsed | undefined } | { problem: string } {
  const variable: EnvVar = ENV[name];
  const shape = SHAPE[name];
  if (raw === undefined) return { value: "default" in variable ? variable.default : undefined };
  switch (variable.type) {
    case "integer": {
      const value = Number(raw);
      return /^\d+$/.test(raw) && value >= variable.min && value <= variable.max
        ? { value }
        : { problem: `must be an integer ${variable.min}-${variable.max}` };
    }
    case "boolean": {
      const value = raw.toLowerCase();
      return value === "true" || value === "false" ? { value: value === "true" } : { problem: 'must be "true" or "false"' };
    }
    case "enum": {
      const value = variable.caseInsensitive === true ? raw.toLowerCase() : raw;
      return variable.values.includes(value) ? { value } : { problem: `must be one of ${quoted(variable.values)}` };
    }
    case "list": {
      const items = raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
      return shape === undefined || items.every(shape.test) ? { value: items } : { problem: shape.message };
    }
    case "string":
      return shape === undefined || shape.test(raw) ? { value: raw } : { problem: shape.message };
  }
}

/** The value type a contract entry parses to. */
type ValueOf<V> = V extends { readonly type: "integer" }
  ? number
  : V extends { readonly type: "boolean" }
    ? boolean
    : V extends { readonly type: "list" }
      ? readonly string[]
      : V extends { readonly type: "enum"; readonly values: readonly (infer T)[] }
        ? T
        : string;

/** The variables as parsed: a variable with a default always has a value. */
type ParsedEnv = {
  readonly [K in EnvName]: (typeof ENV)[K] extends { readonly default: unknown }
    ? ValueOf<(typeof ENV)[K]>
    : ValueOf<(typeof ENV)[K]> | undefined;
};

/** Secrets are never echoed back in error messages. */
const SECRET_NAMES: ReadonlySet<string> = new Set(ENV_NAMES.filter((name) => (ENV[name] as EnvVar).secret === true));

/**
 * Reads the configuration from `env` (default `process.env`); see container/README.md for the table.
 * @throws ConfigError naming each invalid variable with its value (secrets redacted) and the allowed values
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const input: Partial<Record<EnvName, string>> = {};
  const values: Partial<Record<EnvName, Parsed>> = {};
  const invalid: string[] = [];
  const shown = (name: EnvName) => (SECRET_NAMES.has(name) ? '"<redacted>"' : JSON.stringify(input[name]));
  for (const name of ENV_NAMES) {
    const raw = env[name]?.trim();
    if (raw !== undefined && raw !== "") input[name] = raw;
    const result = parseVariable(name, input[name]);
    if ("problem" in result) invalid.push(`${name}=${shown(name)}: ${result.problem}`);
    else if (result.value !== undefined) values[name] = Array.isArray(result.value) ? [...result.value] : result.value;
  }
  if (invalid.length > 0) throw new ConfigError(invalid);
  const e = values as ParsedEnv;
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
                    publicKeys: JSON.parse(e.MCP_OAUTH_PUBLIC_KEYS!) as InteractiveAuthConfig["publicKeys"],
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
