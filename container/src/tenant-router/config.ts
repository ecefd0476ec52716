/**
 * Configuration of the tenant router (`index.routerHandler`), from the environment variables the
 * `mcp_server` module sets on the router function. Names and defaults come from the wire contract
 * (`contract/index.ts`). Deliberately free of zod and the MCP SDK: the
 * router's cold start is on the path of every tenant's first request. The token variables have the
 * names, defaults and rules of the MCP function's own (container/src/config.ts): the router verifies
 * tokens with the same verifier, configured the same way.
 */
import { ConfigError } from "../config-error.js";
import { ENV, type EnvReadBy } from "../contract/index.js";
import type { LogLevel } from "../core/logger.js";

/** How the router verifies access tokens (the options of `createJwtVerifier`, core/auth/jwt.ts). */
export interface RouterAuthConfig {
  /** `MCP_JWT_ISSUER`, exact `iss`. */
  readonly issuer: string;
  /** `MCP_JWT_CLIENT_IDS` (comma separated): allowed `client_id` (else `aud`) values. */
  readonly clientIds: readonly string[];
  /** `MCP_JWT_REQUIRED_SCOPE`: scope every request needs; 403 `insufficient_scope` without it. */
  readonly requiredScope?: string;
  /** `MCP_JWT_AUDIENCE`: when set, `aud` must contain it (RFC 8707). */
  readonly audience?: string;
  /** `MCP_JWKS_URL`. @default `${issuer}/.well-known/jwks.json` (Cognito's location) */
  readonly jwksUrl: string;
}

export interface RouterConfig {
  /** `MCP_TARGET_FUNCTION_ARN`: the tenant-isolated MCP function (optionally with a version or alias). */
  readonly targetFunctionArn: string;
  /** `MCP_TENANT_CLAIM`: claim of the verified access token that names the tenant. @default "tenant_id" */
  readonly tenantClaim: string;
  readonly auth: RouterAuthConfig;
  /** `MCP_PATH`, the MCP endpoint path. @default "/mcp" */
  readonly path: string;
  /** `MCP_RESOURCE_URL`: public URL of the MCP endpoint (RFC 9728 `resource`); derived from the request when unset. */
  readonly resourceUrl?: string;
  /** `MCP_SERVER_NAME` (health body, RFC 9728 `resource_name`). @default "mcp-server-aws" */
  readonly serverName: string;
  /** `MCP_SERVER_VERSION` (health body). @default "0.1.0" */
  readonly serverVersion: string;
  readonly logLevel: LogLevel;
  /** Powertools `service` (`POWERTOOLS_SERVICE_NAME`, else `MCP_SERVER_NAME` + `-router`). */
  readonly serviceName: string;
  /** `MCP_ENVIRONMENT`, a log attribute. */
  readonly environment: string;
}

/** A Lambda function ARN, unqualified or with a version / alias (Lambda API Reference, Invoke `FunctionName`). */
export const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const CLAIM = /^[A-Za-z0-9_:.-]+$/;
/** Every environment variable `loadRouterConfig` reads (for docs and tests). */
export const ROUTER_ENV_NAMES = [
  "MCP_TARGET_FUNCTION_ARN",
  "MCP_TENANT_CLAIM",
  "MCP_JWT_ISSUER",
  "MCP_JWT_CLIENT_IDS",
  "MCP_JWT_REQUIRED_SCOPE",
  "MCP_JWT_AUDIENCE",
  "MCP_JWKS_URL",
  "MCP_RESOURCE_URL",
  "MCP_PATH",
  "LOG_LEVEL",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_SERVICE_NAME",
  "MCP_SERVER_NAME",
  "MCP_SERVER_VERSION",
  "MCP_ENVIRONMENT",
] as const satisfies readonly EnvReadBy<"router">[];

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An https URL, or http on a loopback host (tests): the function's rule for issuer, JWKS and resource URLs. */
function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/**
 * Reads the router configuration from `env` (default `process.env`); empty strings count as unset.
 * The router always verifies tokens: `MCP_JWT_ISSUER` and `MCP_JWT_CLIENT_IDS` are required.
 * @throws ConfigError naming each invalid variable, its value and what is allowed
 */
export function loadRouterConfig(env: Readonly<Record<string, string | undefined>> = process.env): RouterConfig {
  const get = (name: (typeof ROUTER_ENV_NAMES)[number]) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const problems: string[] = [];
  const arn = get("MCP_TARGET_FUNCTION_ARN");
  if (arn === undefined || !FUNCTION_ARN.test(arn)) {
    problems.push(
      `MCP_TARGET_FUNCTION_ARN=${JSON.stringify(arn)}: must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>])`,
    );
  }
  const claim = get("MCP_TENANT_CLAIM") ?? ENV.MCP_TENANT_CLAIM.default;
  if (!CLAIM.test(claim)) problems.push(`MCP_TENANT_CLAIM=${JSON.stringify(claim)}: must be a claim name`);
  const levels: readonly string[] = ENV.LOG_LEVEL.values;
  const level = (get("LOG_LEVEL") ?? get("POWERTOOLS_LOG_LEVEL") ?? ENV.LOG_LEVEL.default).toLowerCase();
  if (!levels.includes(level))
    problems.push(`LOG_LEVEL=${JSON.stringify(level)}: must be one of ${levels.map((l) => `"${l}"`).join(", ")}`);

  // Exact, as the function compares it (a trailing "/" counts).
  const issuer = get("MCP_JWT_ISSUER");
  if (issuer === undefined || !isHttpsUrl(issuer)) {
    problems.push(
      `MCP_JWT_ISSUER=${JSON.stringify(issuer)}: required, an https URL (http only on localhost / 127.0.0.1 / [::1]); the router verifies every token itself`,
    );
  }
  const clientIds = (get("MCP_JWT_CLIENT_IDS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (clientIds.length === 0) problems.push("MCP_JWT_CLIENT_IDS=undefined: at least one client id is required");
  const requiredScope = get("MCP_JWT_REQUIRED_SCOPE");
  if (requiredScope !== undefined && /\s/.test(requiredScope))
    problems.push(`MCP_JWT_REQUIRED_SCOPE=${JSON.stringify(requiredScope)}: must be one scope (no spaces)`);
  const jwksUrl = get("MCP_JWKS_URL");
  if (jwksUrl !== undefined && !isHttpsUrl(jwksUrl))
    problems.push(`MCP_JWKS_URL=${JSON.stringify(jwksUrl)}: must be an https URL (http only on localhost / 127.0.0.1 / [::1])`);
  const resourceUrl = get("MCP_RESOURCE_URL");
  if (resourceUrl !== undefined && !isHttpsUrl(resourceUrl))
    problems.push(`MCP_RESOURCE_URL=${JSON.stringify(resourceUrl)}: must be an https URL (http only on localhost / 127.0.0.1 / [::1])`);
  const path = get("MCP_PATH") ?? ENV.MCP_PATH.default;
  if (!/^\/[^?#\s]*$/.test(path))
    problems.push(`MCP_PATH=${JSON.stringify(path)}: must be a path starting with "/" without "?", "#" or spaces`);
  if (problems.length > 0) throw new ConfigError(problems);

  const audience = get("MCP_JWT_AUDIENCE");
  return {
    targetFunctionArn: arn!,
    tenantClaim: claim,
    auth: {
      issuer: issuer!,
      clientIds,
      ...(requiredScope === undefined ? {} : { requiredScope }),
      ...(audience === undefined ? {} : { audience }),
      jwksUrl: jwksUrl ?? `${issuer!.replace(/\/$/, "")}/.well-known/jwks.json`,
    },
    path,
    ...(resourceUrl === undefined ? {} : { resourceUrl }),
    serverName: get("MCP_SERVER_NAME") ?? ENV.MCP_SERVER_NAME.default,
    serverVersion: get("MCP_SERVER_VERSION") ?? ENV.MCP_SERVER_VERSION.default,
    logLevel: level as LogLevel,
    serviceName: get("POWERTOOLS_SERVICE_NAME") ?? `${get("MCP_SERVER_NAME") ?? ENV.MCP_SERVER_NAME.default}-router`,
    environment: get("MCP_ENVIRONMENT") ?? ENV.MCP_ENVIRONMENT.default,
  };
}
