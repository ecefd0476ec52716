/**
 * Configuration of the tenant router (`index.routerHandler`), from the environment variables the
 * `mcp_server` module sets on the router function. Names and defaults come from the wire contract
 * (`contract/index.ts`). Deliberately free of zod and the MCP SDK: the router's cold start is on the
 * path of every tenant's first request.
 */
import { ConfigError } from "../config-error.js";
import { ENV, type EnvReadBy } from "../contract/index.js";
import type { LogLevel } from "../core/logger.js";

export interface RouterConfig {
  /** `MCP_TARGET_FUNCTION_ARN`: the tenant-isolated MCP function (optionally with a version or alias). */
  readonly targetFunctionArn: string;
  /** `MCP_TENANT_CLAIM`: claim of the JWT authorizer's claims that names the tenant. */
  readonly tenantClaim: string;
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
  "LOG_LEVEL",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_SERVICE_NAME",
  "MCP_SERVER_NAME",
  "MCP_ENVIRONMENT",
] as const satisfies readonly EnvReadBy<"router">[];

/**
 * Reads the router configuration from `env` (default `process.env`); empty strings count as unset.
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
    problems.push(`MCP_TARGET_FUNCTION_ARN=${JSON.stringify(arn)}: must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>])`);
  }
  const claim = get("MCP_TENANT_CLAIM") ?? ENV.MCP_TENANT_CLAIM.default;
  if (!CLAIM.test(claim)) problems.push(`MCP_TENANT_CLAIM=${JSON.stringify(claim)}: must be a claim name`);
  const levels: readonly string[] = ENV.LOG_LEVEL.values;
  const level = (get("LOG_LEVEL") ?? get("POWERTOOLS_LOG_LEVEL") ?? ENV.LOG_LEVEL.default).toLowerCase();
  if (!levels.includes(level)) problems.push(`LOG_LEVEL=${JSON.stringify(level)}: must be one of ${levels.map((l) => `"${l}"`).join(", ")}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    targetFunctionArn: arn!,
    tenantClaim: claim,
    logLevel: level as LogLevel,
    serviceName: get("POWERTOOLS_SERVICE_NAME") ?? `${get("MCP_SERVER_NAME") ?? ENV.MCP_SERVER_NAME.default}-router`,
    environment: get("MCP_ENVIRONMENT") ?? ENV.MCP_ENVIRONMENT.default,
  };
}
