/**
 * Lambda entries of the two Cognito triggers, built once per cold start from the environment the
 * `mcp_server` module sets on the trigger functions (same image as the MCP function; image commands
 * `index.preTokenGenerationHandler` and `index.postConfirmationHandler`, container/src/lambda/index.ts).
 *
 * Environment:
 * - `TENANT_DIRECTORY_TABLE_NAME` (required): the tenant directory table
 * - `MCP_TENANT_CLAIM` (pre token generation): claim name. @default "tenant_id"
 * - `TENANT_REQUIRED` (pre token generation): "true" refuses tokens without a tenant. @default "true"
 * - `LOG_LEVEL`, `MCP_SERVER_NAME`, `MCP_ENVIRONMENT`, `POWERTOOLS_SERVICE_NAME`: logging, as for the MCP function
 */
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { ConfigError } from "../../container/src/config-error.js";
import { ENV, type EnvReadBy } from "../../container/src/contract/index.js";
import type { LogLevel } from "../../container/src/core/logger.js";
import { createPowertoolsLogger } from "../../container/src/observability/powertools.js";
import { createTenantDirectory } from "./directory.js";
import { createPostConfirmationHandler } from "./post-confirmation.js";
import { createPreTokenGenerationHandler, type PreTokenGenerationEvent } from "./pre-token-generation.js";

export interface TriggerConfig {
  readonly tableName: string;
  readonly claim: string;
  readonly required: boolean;
  readonly logLevel: LogLevel;
  readonly serviceName: string;
  readonly environment: string;
}

/** Every environment variable `loadTriggerConfig` reads (the contract's `trigger` variables). */
export const TRIGGER_ENV_NAMES = [
  "TENANT_DIRECTORY_TABLE_NAME",
  "MCP_TENANT_CLAIM",
  "TENANT_REQUIRED",
  "LOG_LEVEL",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_SERVICE_NAME",
  "MCP_SERVER_NAME",
  "MCP_ENVIRONMENT",
] as const satisfies readonly EnvReadBy<"trigger">[];

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const CLAIM = /^[A-Za-z0-9_:.-]+$/;

/**
 * Reads the triggers' configuration; empty strings count as unset.
 * @param trigger names the service in logs (`<MCP_SERVER_NAME>-<trigger>`)
 * @throws ConfigError naming each invalid variable and what is allowed
 */
export function loadTriggerConfig(trigger: string, env: Readonly<Record<string, string | undefined>> = process.env): TriggerConfig {
  const get = (name: (typeof TRIGGER_ENV_NAMES)[number]) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const problems: string[] = [];
  const tableName = get("TENANT_DIRECTORY_TABLE_NAME");
  if (tableName === undefined || !TABLE_NAME.test(tableName))
    problems.push(`TENANT_DIRECTORY_TABLE_NAME=${JSON.stringify(tableName)}: required, a DynamoDB table name`);
  const claim = get("MCP_TENANT_CLAIM") ?? ENV.MCP_TENANT_CLAIM.default;
  if (!CLAIM.test(claim)) problems.push(`MCP_TENANT_CLAIM=${JSON.stringify(claim)}: must be a claim name`);
  const required = (get("TENANT_REQUIRED") ?? String(ENV.TENANT_REQUIRED.default)).toLowerCase();
  if (required !== "true" && required !== "false") problems.push(`TENANT_REQUIRED=${JSON.stringify(required)}: must be "true" or "false"`);
  const levels: readonly string[] = ENV.LOG_LEVEL.values;
  const level = (get("LOG_LEVEL") ?? get("POWERTOOLS_LOG_LEVEL") ?? ENV.LOG_LEVEL.default).toLowerCase();
  if (!levels.includes(level))
    problems.push(`LOG_LEVEL=${JSON.stringify(level)}: must be one of ${levels.map((l) => `"${l}"`).join(", ")}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tableName: tableName!,
    claim,
    required: required === "true",
    logLevel: level as LogLevel,
    serviceName: get("POWERTOOLS_SERVICE_NAME") ?? `${get("MCP_SERVER_NAME") ?? ENV.MCP_SERVER_NAME.default}-${trigger}`,
    environment: get("MCP_ENVIRONMENT") ?? ENV.MCP_ENVIRONMENT.default,
  };
}

async function directoryFor(config: TriggerConfig) {
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  return createTenantDirectory({ client: new DynamoDBClient({}), tableName: config.tableName });
}

const loggerFor = (config: TriggerConfig) =>
  createPowertoolsLogger({ level: config.logLevel, serviceName: config.serviceName, persistentKeys: { environment: config.environment } });

/** Builds the pre token generation trigger from `process.env`. */
export async function createPreTokenGenerationEntry(): Promise<(event: PreTokenGenerationEvent) => Promise<PreTokenGenerationEvent>> {
  const config = loadTriggerConfig("pre-token-generation");
  return createPreTokenGenerationHandler({
    directory: await directoryFor(config),
    claim: config.claim,
    required: config.required,
    logger: loggerFor(config),
  });
}

/** Builds the post confirmation trigger from `process.env`. */
export async function createPostConfirmationEntry(): Promise<
  (event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent>
> {
  const config = loadTriggerConfig("post-confirmation");
  const { CognitoIdentityProviderClient } = await import("@aws-sdk/client-cognito-identity-provider");
  return createPostConfirmationHandler({
    directory: await directoryFor(config),
    cognito: new CognitoIdentityProviderClient({}),
    logger: loggerFor(config),
  });
}
