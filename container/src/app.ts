/**
 * Composition root: configuration + tool list + core, with the pipeline slots filled from the
 * configuration. Both adapters (Lambda, local server) build their handler here, so they serve exactly
 * the same MCP server; each passes what only it has (Lambda: Powertools metrics and tracer, a traced
 * DynamoDB client; local server: the loopback Host allow-list).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Config } from "./config.js";
import { createJwtVerifier, type TokenVerifier } from "./core/auth/jwt.js";
import { createMcpHandler, type McpFetchHandler, type McpHandlerOptions, type StageSlot } from "./core/handler.js";
import type { Logger } from "./core/logger.js";
import type { MetricsSink, Tracing } from "./core/observability.js";
import type { Stage } from "./core/pipeline.js";
import type { ToolRegistration } from "./core/server.js";
import { createMemorySessionStore, type SessionStore } from "./core/sessions/store.js";
import { authenticationStage, protectedResourceMetadata } from "./core/stages/authentication.js";
import { meteringStage } from "./core/stages/metering.js";
import { originStage } from "./core/stages/origin.js";
import { sessionStage } from "./core/stages/session.js";
import { tenantStage } from "./core/stages/tenant.js";
import { tracingStage } from "./core/stages/tracing.js";
import { createPowertoolsLogger } from "./observability/powertools.js";
import { createDynamoDbSessionStore } from "./sessions/dynamodb.js";
import { createDynamoDbToolCache, withToolCache, type ToolCache } from "./tools/cache.js";
import { registerConformanceFixtures } from "./tools/conformance.js";
import { tools as defaultTools } from "./tools/index.js";

/** What an adapter or a test may supply instead of the defaults built from configuration. */
export interface AppDependencies {
  /** Root logger. @default Powertools Logger at `config.logLevel` */
  readonly logger?: Logger;
  /** DynamoDB client for the session store and tool cache. @default `new DynamoDBClient({})` */
  readonly dynamoDb?: DynamoDBClient;
  /** Replaces the store `config.sessionStore` names. */
  readonly sessionStore?: SessionStore;
  /** Replaces the tool-result cache built from `MCP_TOOL_CACHE_TABLE_NAME`. */
  readonly toolCache?: ToolCache;
  /** Replaces the JWKS-backed verifier built from `config.auth`. */
  readonly verifier?: TokenVerifier;
  /** Fills the metering slot (Lambda: Powertools Metrics). @default no metering */
  readonly metrics?: MetricsSink;
  /** Fills the tracing slot (Lambda: Powertools Tracer). @default no tracing */
  readonly tracing?: Tracing;
  /** `Host` allow-list (loopback servers, DNS-rebinding defence). @default not checked */
  readonly allowedHosts?: readonly string[];
  /** Extra `Origin` allow-list entries (added to `config.allowedOrigins`). */
  readonly extraAllowedOrigins?: readonly string[];
  /** The tool list. @default container/src/tools/index.ts (+ conformance fixtures when configured) */
  readonly tools?: readonly ToolRegistration[];
}

export type AppOverrides = Partial<McpHandlerOptions> & AppDependencies;

/**
 * The pipeline stages `config` asks for (see container/README.md, "Request flow"):
 * tracing and metering when supplied; origin always (an empty allow-list refuses any `Origin`);
 * authentication when `MCP_AUTH_ENABLED`; tenant when `MCP_TENANT_ISOLATION`; session unless
 * `MCP_SESSION_STORE=none`.
 */
export function buildStages(config: Config, deps: AppDependencies = {}): Partial<Record<StageSlot, Stage>> {
  const stages: Partial<Record<StageSlot, Stage>> = {};
  if (deps.tracing !== undefined) stages.tracing = tracingStage(deps.tracing);
  stages.origin = originStage({
    allowedOrigins: [...config.allowedOrigins, ...(deps.extraAllowedOrigins ?? [])],
    ...(deps.allowedHosts === undefined ? {} : { allowedHosts: deps.allowedHosts }),
    ...(config.originVerifySecret === undefined ? {} : { verifySecret: config.originVerifySecret }),
  });
  if (config.auth !== undefined) {
    stages.authentication = authenticationStage({
      verify: deps.verifier ?? createJwtVerifier(config.auth),
      ...(config.auth.requiredScope === undefined ? {} : { requiredScope: config.auth.requiredScope }),
      path: config.path,
      ...(config.resourceUrl === undefined ? {} : { resourceUrl: config.resourceUrl }),
    });
  }
  if (config.tenantIsolation) stages.tenant = tenantStage({ claim: config.tenantClaim });
  const store =
    deps.sessionStore ??
    (config.sessionStore === "memory"
      ? createMemorySessionStore()
      : config.sessionStore === "dynamodb"
        ? createDynamoDbSessionStore({ client: deps.dynamoDb ?? new DynamoDBClient({}), tableName: config.sessionTableName!, tenantKeyed: config.tenantIsolation })
        : undefined);
  if (store !== undefined) stages.session = sessionStage({ store, ttlSeconds: config.sessionTtlSeconds });
  if (deps.metrics !== undefined) stages.metering = meteringStage(deps.metrics);
  return stages;
}

/**
 * Creates the project's MCP handler from validated configuration.
 * @param config from `loadConfig()`
 * @param overrides handler options and {@link AppDependencies}; `stages` given here replace the
 *   configured stage of the same slot
 */
export function createAppHandler(config: Config, overrides: AppOverrides = {}): McpFetchHandler {
  const logger =
    overrides.logger ??
    createPowertoolsLogger({ level: config.logLevel, serviceName: config.serviceName, persistentKeys: { environment: config.environment } });
  const cache =
    overrides.toolCache ??
    (config.toolCacheTableName === undefined
      ? undefined
      : createDynamoDbToolCache({ client: overrides.dynamoDb ?? new DynamoDBClient({}), tableName: config.toolCacheTableName, ttlSeconds: config.toolCacheTtlSeconds }));
  const baseTools = overrides.tools ?? [...defaultTools, ...(config.conformanceFixtures ? [registerConformanceFixtures] : [])];
  const tools = cache === undefined ? baseTools : baseTools.map((register) => withToolCache(register, cache, logger));
  return createMcpHandler({
    serverName: config.serverName,
    serverVersion: config.serverVersion,
    path: config.path,
    responseMode: config.responseMode,
    maxBodyBytes: config.maxBodyBytes,
    tools,
    ...(config.conformanceFixtures ? { capabilities: { logging: {}, completions: {} } } : {}),
    ...(config.auth === undefined
      ? {}
      : {
          protectedResourceMetadata: (ctx) =>
            protectedResourceMetadata(ctx, {
              path: config.path,
              ...(config.resourceUrl === undefined ? {} : { resourceUrl: config.resourceUrl }),
              issuer: config.auth!.issuer,
              ...(config.auth!.requiredScope === undefined ? {} : { requiredScope: config.auth!.requiredScope }),
              resourceName: config.serverName,
            }),
        }),
    ...overrides,
    logger,
    stages: { ...buildStages(config, overrides), ...overrides.stages },
  });
}
