/**
 * Composition root: `await createApp(config, deps)` builds the MCP handler the configuration asks
 * for, top to bottom: logger, tools, then the pipeline stages in their order (see container/README.md,
 * "Request flow"). Both adapters (Lambda, local server) build their handler here, so they serve
 * exactly the same MCP server; each passes what only it has (Lambda: Powertools metrics and tracer,
 * traced AWS clients; local server: the loopback Host allow-list).
 *
 * AWS-backed parts (DynamoDB session store, tool cache, usage meter, token vending machine,
 * `tenant_notes`), jose and the conformance fixtures are imported with `import()` by the builder of
 * each part (below `createApp`), which returns undefined when the configuration leaves the part off,
 * so a server without them never loads the AWS SDK (container/src/aws.ts explains why). The builders
 * run side by side and all finish before `createApp` resolves: the Lambda entry awaits it during the
 * init phase, so no request pays for an import.
 */
import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { awsClientConfig, DEFAULT_AWS_CALL_LIMITS, withCallBudget, type AwsCallLimits } from "./aws.js";
import type { Config } from "./config.js";
import type { TokenVerifier } from "./core/auth/types.js";
import { createMcpHandler, type McpFetchHandler, type McpHandlerOptions, type StageSlot } from "./core/handler.js";
import type { Logger } from "./core/logger.js";
import type { MetricsSink, Tracing, UsageMeter } from "./core/observability.js";
import type { Stage } from "./core/pipeline.js";
import { createMemorySessionStore, type SessionStore } from "./core/sessions/store.js";
import { authenticationStage, protectedResourceMetadata } from "./core/stages/authentication.js";
import { metricsStage } from "./core/stages/metrics.js";
import { originStage } from "./core/stages/origin.js";
import { sessionStage } from "./core/stages/session.js";
import { tenantStage } from "./core/stages/tenant.js";
import { tracingStage } from "./core/stages/tracing.js";
import { usageStage } from "./core/stages/usage.js";
import type { AnyToolDefinition, ServerExtension } from "./core/tools.js";
import { createRootLogger } from "./observability/powertools.js";
import type { StsSender } from "./tenancy/credentials.js";
import { tenantServices } from "./tenancy/services.js";
import { withToolCache, type ToolCache } from "./tools/cache.js";
import { tools as defaultTools } from "./tools/index.js";

/** What an adapter or a test may supply instead of the defaults built from configuration. */
export interface AppDependencies {
  /** Root logger. @default Powertools Logger at `config.logLevel` */
  readonly logger?: Logger;
  /** DynamoDB client (function role) for the session store, tool cache and usage meter. @default `new DynamoDBClient(awsClientConfig(awsCallLimits))` with the call budget, created when one of them is configured */
  readonly dynamoDb?: DynamoDBClient;
  /** Replaces the store `config.sessionStore` names. */
  readonly sessionStore?: SessionStore;
  /** Replaces the tool-result cache built from `MCP_TOOL_CACHE_TABLE_NAME`. */
  readonly toolCache?: ToolCache;
  /** Replaces the usage meter built from `METERING_TABLE_NAME`. */
  readonly meter?: UsageMeter;
  /** STS client of the token vending machine. @default `new STSClient(awsClientConfig(awsCallLimits))` with the call budget */
  readonly sts?: StsSender;
  /** Settings of the per-tenant DynamoDB clients besides credentials (tests: DynamoDB Local's endpoint). @default Region and endpoint from the environment */
  readonly tenantDynamoDbConfig?: Omit<DynamoDBClientConfig, "credentials">;
  /** Applied to every AWS SDK client the app creates (Lambda: Powertools `tracer.captureAWSv3Client`). @default identity */
  readonly decorateClient?: <C extends object>(client: C) => C;
  /** Time limits of every AWS SDK client the app creates (container/src/aws.ts). @default DEFAULT_AWS_CALL_LIMITS */
  readonly awsCallLimits?: AwsCallLimits;
  /** Replaces the JWKS-backed verifier built from `config.auth`. */
  readonly verifier?: TokenVerifier;
  /** Per-request metrics for the metrics slot (Lambda: Powertools Metrics). @default none */
  readonly metrics?: MetricsSink;
  /** Fills the tracing slot (Lambda: Powertools Tracer). @default no tracing */
  readonly tracing?: Tracing;
  /** `Host` allow-list (loopback servers, DNS-rebinding defence). @default not checked */
  readonly allowedHosts?: readonly string[];
  /** Extra `Origin` allow-list entries (added to `config.allowedOrigins`). */
  readonly extraAllowedOrigins?: readonly string[];
  /**
   * The tool list (core/tools.ts). @default container/src/tools/index.ts, + `tenant_notes` with the
   * token vending machine and its table, + the conformance fixtures with `MCP_CONFORMANCE_FIXTURES`
   */
  readonly tools?: readonly AnyToolDefinition[];
}

/** {@link AppDependencies} plus handler options; `stages` given here replace the configured stage of the same slot. */
export type AppOverrides = Partial<McpHandlerOptions> & AppDependencies;

/**
 * Builds the project's MCP handler from validated configuration: imports what `config` turns on and
 * creates its clients, stores and stages.
 *
 * Stages (see core/handler.ts for their order): tracing when `deps.tracing` is given; origin always
 * (an empty allow-list refuses any `Origin`); authentication with `MCP_AUTH_ENABLED`; tenant with
 * `MCP_TENANT_ISOLATION` (and `ctx.tenant.dynamodb()` with `TVM_TENANT_ROLE_ARN`); session unless
 * `MCP_SESSION_STORE=none`; metrics when `deps.metrics` is given; usage with `METERING_TABLE_NAME`.
 * @param config from `loadConfig()`
 * @param deps replacements for the parts built from `config`, and handler options
 * @returns the handler; creating it makes no network call (JWKS, STS and DynamoDB are first called by a request)
 */
export async function createApp(config: Config, deps: AppOverrides = {}): Promise<McpFetchHandler> {
  const logger = deps.logger ?? createRootLogger(config);
  const limits = deps.awsCallLimits ?? DEFAULT_AWS_CALL_LIMITS;
  // Every client the app creates: bounded connection, attempt and retry times, and one budget per call (aws.ts).
  const decorate = <C extends object>(client: C): C => withCallBudget(deps.decorateClient?.(client) ?? client, limits.budgetMs);
  let sharedDynamoDb: Promise<DynamoDBClient> | undefined;
  /** The function role's DynamoDB client, shared by the session store, tool cache and usage meter. */
  const dynamoDb = (): Promise<DynamoDBClient> =>
    (sharedDynamoDb ??=
      deps.dynamoDb !== undefined
        ? Promise.resolve(deps.dynamoDb)
        : import("@aws-sdk/client-dynamodb").then((sdk) => decorate(new sdk.DynamoDBClient(awsClientConfig(limits)))));

  // The parts that import code load side by side (one cold start pays the slowest, not the sum).
  const [optional, toolCache, verify, services, store, meter] = await Promise.all([
    deps.tools === undefined ? optionalTools(config) : { tools: [], extensions: [] },
    deps.toolCache ?? dynamoDbToolCache(config, dynamoDb),
    deps.verifier ?? jwtVerifier(config),
    tenantDataServices(config, deps, logger, decorate, limits),
    deps.sessionStore ?? sessionStore(config, dynamoDb),
    deps.meter ?? dynamoDbUsageMeter(config, dynamoDb),
  ]);

  // Tools
  let tools = [...(deps.tools ?? defaultTools), ...optional.tools];
  if (toolCache !== undefined) tools = tools.map((tool) => withToolCache(tool, toolCache, logger));
  const toolNames = new Set(tools.map((tool) => tool.name));

  // Stages, in pipeline order
  const stages: Partial<Record<StageSlot, Stage>> = {};
  if (deps.tracing !== undefined) stages.tracing = tracingStage(deps.tracing);
  stages.origin = originStage({
    allowedOrigins: [...config.allowedOrigins, ...(deps.extraAllowedOrigins ?? [])],
    ...(deps.allowedHosts === undefined ? {} : { allowedHosts: deps.allowedHosts }),
    ...(config.originVerifySecret === undefined ? {} : { verifySecret: config.originVerifySecret }),
  });
  const auth = config.auth;
  if (auth !== undefined && verify !== undefined) {
    stages.authentication = authenticationStage({
      verify,
      ...(auth.requiredScope === undefined ? {} : { requiredScope: auth.requiredScope }),
      path: config.path,
      ...(config.resourceUrl === undefined ? {} : { resourceUrl: config.resourceUrl }),
      toolScopes: new Map(tools.flatMap((tool) => (tool.requiredScopes?.length ? [[tool.name, tool.requiredScopes] as const] : []))),
    });
  }
  if (config.tenantIsolation) stages.tenant = tenantStage({ claim: config.tenantClaim, ...(services === undefined ? {} : { services }) });
  if (store !== undefined) stages.session = sessionStage({ store, ttlSeconds: config.sessionTtlSeconds });
  if (deps.metrics !== undefined) stages.metrics = metricsStage({ sink: deps.metrics, knownTools: toolNames });
  if (meter !== undefined) stages.usage = usageStage({ meter, knownTools: toolNames });

  return createMcpHandler({
    serverName: config.serverName,
    serverVersion: config.serverVersion,
    path: config.path,
    responseMode: config.responseMode,
    maxBodyBytes: config.maxBodyBytes,
    ...(optional.extensions.length === 0 ? {} : { extensions: optional.extensions }),
    ...(config.conformanceFixtures ? { capabilities: { logging: {}, completions: {} } } : {}),
    ...(auth === undefined
      ? {}
      : {
          protectedResourceMetadata: (ctx) =>
            protectedResourceMetadata(ctx, {
              path: config.path,
              ...(config.resourceUrl === undefined ? {} : { resourceUrl: config.resourceUrl }),
              issuer: auth.interactive?.issuer ?? auth.issuer,
              ...(auth.requiredScope === undefined ? {} : { requiredScope: auth.requiredScope }),
              resourceName: config.serverName,
            }),
        }),
    ...deps,
    tools,
    logger,
    stages: { ...stages, ...deps.stages },
  });
}

/** `tenant_notes` with the token vending machine and its table; the conformance fixtures with `MCP_CONFORMANCE_FIXTURES`. */
async function optionalTools(config: Config): Promise<{ tools: AnyToolDefinition[]; extensions: ServerExtension[] }> {
  const [notes, conformance] = await Promise.all([
    config.tenantCredentials !== undefined && config.tenantDataTableName !== undefined ? import("./tools/tenant-notes.js") : undefined,
    config.conformanceFixtures ? import("./tools/conformance.js") : undefined,
  ]);
  return {
    tools: [
      ...(notes === undefined || config.tenantDataTableName === undefined
        ? []
        : [notes.tenantNotesTool({ tableName: config.tenantDataTableName })]),
      ...(conformance?.conformanceTools ?? []),
    ],
    extensions: conformance === undefined ? [] : [conformance.conformanceExtension],
  };
}

/** The tool-result cache on `MCP_TOOL_CACHE_TABLE_NAME`, or undefined. */
async function dynamoDbToolCache(config: Config, dynamoDb: () => Promise<DynamoDBClient>): Promise<ToolCache | undefined> {
  if (config.toolCacheTableName === undefined) return undefined;
  const [{ createDynamoDbToolCache }, client] = await Promise.all([import("./tools/cache-dynamodb.js"), dynamoDb()]);
  return createDynamoDbToolCache({ client, tableName: config.toolCacheTableName, ttlSeconds: config.toolCacheTtlSeconds });
}

/** The JWKS-backed access-token verifier with `MCP_AUTH_ENABLED`, or undefined. */
async function jwtVerifier(config: Config): Promise<TokenVerifier | undefined> {
  const auth = config.auth;
  if (auth === undefined) return undefined;
  if (auth.interactive === undefined) return (await import("./core/auth/jwt.js")).createJwtVerifier(auth);
  // Interactive sign-in: the token's `iss` picks this origin's authorization server (inline keys) or Cognito.
  const [{ createJwtVerifier }, { createAccessTokenVerifier, verifierByIssuer }] = await Promise.all([
    import("./core/auth/jwt.js"),
    import("./core/auth/access-token.js"),
  ]);
  return verifierByIssuer({
    [auth.issuer]: createJwtVerifier(auth),
    [auth.interactive.issuer]: await createAccessTokenVerifier(auth.interactive),
  });
}

/** `ctx.tenant.dynamodb()` with `TVM_TENANT_ROLE_ARN` (token vending machine), or undefined. */
async function tenantDataServices(
  config: Config,
  deps: AppDependencies,
  logger: Logger,
  decorate: <C extends object>(client: C) => C,
  limits: AwsCallLimits,
): Promise<ReturnType<typeof tenantServices> | undefined> {
  const vending = config.tenantCredentials;
  if (!config.tenantIsolation || vending === undefined) return undefined;
  const [tenancy, sts] = await Promise.all([
    import("./tenancy/index.js"),
    deps.sts ?? import("@aws-sdk/client-sts").then((sdk) => decorate(new sdk.STSClient(awsClientConfig(limits)))),
  ]);
  const credentials = tenancy.createTenantCredentialsProvider({
    sts,
    roleArn: vending.roleArn,
    durationSeconds: vending.durationSeconds,
    logger,
  });
  const clients = tenancy.createTenantDynamoDbClients({
    credentials,
    clientConfig: { ...awsClientConfig(limits), ...deps.tenantDynamoDbConfig },
    decorate,
  });
  return tenantServices(clients);
}

/** The session store `MCP_SESSION_STORE` names, or undefined for `none`. */
async function sessionStore(config: Config, dynamoDb: () => Promise<DynamoDBClient>): Promise<SessionStore | undefined> {
  if (config.sessionStore === "memory") return createMemorySessionStore();
  if (config.sessionStore !== "dynamodb" || config.sessionTableName === undefined) return undefined;
  const [{ createDynamoDbSessionStore }, client] = await Promise.all([import("./sessions/dynamodb.js"), dynamoDb()]);
  return createDynamoDbSessionStore({ client, tableName: config.sessionTableName, tenantKeyed: config.tenantIsolation });
}

/** The usage meter on `METERING_TABLE_NAME`, or undefined. */
async function dynamoDbUsageMeter(config: Config, dynamoDb: () => Promise<DynamoDBClient>): Promise<UsageMeter | undefined> {
  if (config.meteringTableName === undefined) return undefined;
  const [{ createDynamoDbUsageMeter }, client] = await Promise.all([import("./metering/dynamodb.js"), dynamoDb()]);
  return createDynamoDbUsageMeter({ client, tableName: config.meteringTableName });
}
