/**
 * Composition root: configuration + tool list + core, with the pipeline slots filled from the
 * configuration. Both adapters (Lambda, local server) build their handler here, so they serve exactly
 * the same MCP server; each passes what only it has (Lambda: Powertools metrics and tracer, traced
 * AWS clients; local server: the loopback Host allow-list).
 *
 * AWS-backed parts (DynamoDB session store, tool cache, usage meter, token vending machine, jose) are
 * loaded with `import()` only when the configuration asks for them (container/src/aws.ts explains
 * why); {@link preloadApp} loads them ahead, which the Lambda entry does during the init phase.
 */
import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { loadDynamoDbSdk, once } from "./aws.js";
import type { Config } from "./config.js";
import type { TokenVerifier } from "./core/auth/types.js";
import { createMcpHandler, type McpFetchHandler, type McpHandlerOptions, type StageSlot } from "./core/handler.js";
import type { Logger } from "./core/logger.js";
import type { MetricsSink, Tracing, UsageMeter } from "./core/observability.js";
import type { Stage } from "./core/pipeline.js";
import { registeredToolNames, type ToolRegistration } from "./core/server.js";
import { createMemorySessionStore, type SessionStore } from "./core/sessions/store.js";
import { authenticationStage, protectedResourceMetadata } from "./core/stages/authentication.js";
import { meteringStage } from "./core/stages/metering.js";
import { originStage } from "./core/stages/origin.js";
import { sessionStage } from "./core/stages/session.js";
import { tenantStage } from "./core/stages/tenant.js";
import { tracingStage } from "./core/stages/tracing.js";
import { createPowertoolsLogger } from "./observability/powertools.js";
import type { StsSender } from "./tenancy/credentials.js";
import { tenantServices } from "./tenancy/services.js";
import { withToolCache, type ToolCache } from "./tools/cache.js";
import { registerConformanceFixtures } from "./tools/conformance.js";
import { tools as defaultTools } from "./tools/index.js";
import { tenantNotesTool } from "./tools/tenant-notes.js";

const loadJwt = once(() => import("./core/auth/jwt.js"));
const loadSessions = once(() => import("./sessions/dynamodb.js"));
const loadToolCache = once(() => import("./tools/cache-dynamodb.js"));
const loadMetering = once(() => import("./metering/dynamodb.js"));
const loadTenancy = once(() => import("./tenancy/index.js"));
const loadStsSdk = once(() => import("@aws-sdk/client-sts"));

/**
 * Loads the modules `config` needs (jose with authentication; the DynamoDB SDK with sessions in
 * DynamoDB, the tool cache, metering or the token vending machine; STS with the token vending
 * machine), so that no request pays for a first import. Safe to skip: everything also loads on
 * first use.
 */
export async function preloadApp(config: Config): Promise<void> {
  const loads: Array<Promise<unknown>> = [];
  if (config.auth !== undefined) loads.push(loadJwt());
  if (config.sessionStore === "dynamodb") loads.push(loadDynamoDbSdk(), loadSessions());
  if (config.toolCacheTableName !== undefined) loads.push(loadDynamoDbSdk(), loadToolCache());
  if (config.meteringTableName !== undefined) loads.push(loadDynamoDbSdk(), loadMetering());
  if (config.tenantCredentials !== undefined) loads.push(loadDynamoDbSdk(), loadTenancy(), loadStsSdk());
  await Promise.all(loads);
}

/** What an adapter or a test may supply instead of the defaults built from configuration. */
export interface AppDependencies {
  /** Root logger. @default Powertools Logger at `config.logLevel` */
  readonly logger?: Logger;
  /** DynamoDB client (function role) for the session store, tool cache and usage meter. @default `new DynamoDBClient({})`, created on first use */
  readonly dynamoDb?: DynamoDBClient;
  /** Replaces the store `config.sessionStore` names. */
  readonly sessionStore?: SessionStore;
  /** Replaces the tool-result cache built from `MCP_TOOL_CACHE_TABLE_NAME`. */
  readonly toolCache?: ToolCache;
  /** Replaces the usage meter built from `METERING_TABLE_NAME`. */
  readonly meter?: UsageMeter;
  /** STS client of the token vending machine. @default `new STSClient({})`, created on first use */
  readonly sts?: StsSender;
  /** Settings of the per-tenant DynamoDB clients besides credentials (tests: DynamoDB Local's endpoint). @default Region and endpoint from the environment */
  readonly tenantDynamoDbConfig?: Omit<DynamoDBClientConfig, "credentials">;
  /** Applied to every AWS SDK client the app creates (Lambda: Powertools `tracer.captureAWSv3Client`). @default identity */
  readonly decorateClient?: <C extends object>(client: C) => C;
  /** Replaces the JWKS-backed verifier built from `config.auth`. */
  readonly verifier?: TokenVerifier;
  /** Per-request metrics for the metering slot (Lambda: Powertools Metrics). @default none */
  readonly metrics?: MetricsSink;
  /** Fills the tracing slot (Lambda: Powertools Tracer). @default no tracing */
  readonly tracing?: Tracing;
  /** `Host` allow-list (loopback servers, DNS-rebinding defence). @default not checked */
  readonly allowedHosts?: readonly string[];
  /** Extra `Origin` allow-list entries (added to `config.allowedOrigins`). */
  readonly extraAllowedOrigins?: readonly string[];
  /** The tool list. @default container/src/tools/index.ts (+ `tenant_notes` with the token vending machine and its table, + conformance fixtures when configured) */
  readonly tools?: readonly ToolRegistration[];
}

export type AppOverrides = Partial<McpHandlerOptions> & AppDependencies;

/** A SessionStore whose implementation is created on first use. */
function lazySessionStore(load: () => Promise<SessionStore>): SessionStore {
  return {
    create: async (record) => (await load()).create(record),
    get: async (key, now) => (await load()).get(key, now),
    touch: async (key, expiresAt) => (await load()).touch(key, expiresAt),
    delete: async (key, now) => (await load()).delete(key, now),
  };
}

type AwsComponents = ReturnType<typeof createAwsComponents>;
const componentsByDeps = new WeakMap<AppDependencies, AwsComponents>();

/** The AWS clients of one app (one set per `deps` object), each created on first use. */
function awsComponents(config: Config, deps: AppDependencies): AwsComponents {
  let components = componentsByDeps.get(deps);
  if (components === undefined) componentsByDeps.set(deps, (components = createAwsComponents(config, deps)));
  return components;
}

function createAwsComponents(config: Config, deps: AppDependencies) {
  const decorate = deps.decorateClient ?? (<C,>(client: C) => client);
  const dynamoDb = once(async () => deps.dynamoDb ?? decorate(new (await loadDynamoDbSdk()).DynamoDBClient({})));
  const tenantClients = once(async () => {
    const [tenancy, sts] = await Promise.all([loadTenancy(), deps.sts === undefined ? loadStsSdk().then((m) => decorate(new m.STSClient({}))) : deps.sts]);
    const credentials = tenancy.createTenantCredentialsProvider({
      sts,
      roleArn: config.tenantCredentials!.roleArn,
      durationSeconds: config.tenantCredentials!.durationSeconds,
      ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    });
    return tenancy.createTenantDynamoDbClients({ credentials, ...(deps.tenantDynamoDbConfig === undefined ? {} : { clientConfig: deps.tenantDynamoDbConfig }), decorate });
  });
  return { dynamoDb, tenantClients };
}

/**
 * The pipeline stages `config` asks for (see container/README.md, "Request flow"):
 * tracing when supplied; origin always (an empty allow-list refuses any `Origin`); authentication
 * when `MCP_AUTH_ENABLED`; tenant when `MCP_TENANT_ISOLATION` (with `ctx.tenant.dynamodb()` when
 * `TVM_TENANT_ROLE_ARN` is set); session unless `MCP_SESSION_STORE=none`; metering when metrics are
 * supplied or `METERING_TABLE_NAME` is set.
 * @param tools the tool list, whose names bound the metering dimensions and counters
 */
export function buildStages(config: Config, deps: AppDependencies = {}, tools: readonly ToolRegistration[] = defaultTools): Partial<Record<StageSlot, Stage>> {
  const aws = awsComponents(config, deps);
  const stages: Partial<Record<StageSlot, Stage>> = {};
  if (deps.tracing !== undefined) stages.tracing = tracingStage(deps.tracing);
  stages.origin = originStage({
    allowedOrigins: [...config.allowedOrigins, ...(deps.extraAllowedOrigins ?? [])],
    ...(deps.allowedHosts === undefined ? {} : { allowedHosts: deps.allowedHosts }),
    ...(config.originVerifySecret === undefined ? {} : { verifySecret: config.originVerifySecret }),
  });
  const auth = config.auth;
  if (auth !== undefined) {
    const verifier = deps.verifier ?? (() => {
      const load = once(async () => (await loadJwt()).createJwtVerifier(auth));
      return async (token: string) => (await load())(token);
    })();
    stages.authentication = authenticationStage({
      verify: verifier,
      ...(auth.requiredScope === undefined ? {} : { requiredScope: auth.requiredScope }),
      path: config.path,
      ...(config.resourceUrl === undefined ? {} : { resourceUrl: config.resourceUrl }),
    });
  }
  if (config.tenantIsolation) {
    stages.tenant = tenantStage({
      claim: config.tenantClaim,
      ...(config.tenantCredentials === undefined ? {} : { services: tenantServices(aws.tenantClients) }),
    });
  }
  const store =
    deps.sessionStore ??
    (config.sessionStore === "memory"
      ? createMemorySessionStore()
      : config.sessionStore === "dynamodb"
        ? lazySessionStore(
            once(async () =>
              (await loadSessions()).createDynamoDbSessionStore({ client: await aws.dynamoDb(), tableName: config.sessionTableName!, tenantKeyed: config.tenantIsolation }),
            ),
          )
        : undefined);
  if (store !== undefined) stages.session = sessionStage({ store, ttlSeconds: config.sessionTtlSeconds });
  const meter =
    deps.meter ??
    (config.meteringTableName === undefined
      ? undefined
      : (() => {
          const load = once(async () => (await loadMetering()).createDynamoDbUsageMeter({ client: await aws.dynamoDb(), tableName: config.meteringTableName! }));
          return { record: async (request) => (await load()).record(request) } satisfies UsageMeter;
        })());
  if (deps.metrics !== undefined || meter !== undefined) {
    stages.metering = meteringStage({
      ...(deps.metrics === undefined ? {} : { sink: deps.metrics }),
      ...(meter === undefined ? {} : { meter }),
      knownTools: new Set(registeredToolNames(tools)),
    });
  }
  return stages;
}

/** The tool list `config` asks for (see {@link AppDependencies.tools}). */
export function configuredTools(config: Config): ToolRegistration[] {
  return [
    ...defaultTools,
    ...(config.tenantCredentials !== undefined && config.tenantDataTableName !== undefined ? [tenantNotesTool({ tableName: config.tenantDataTableName })] : []),
    ...(config.conformanceFixtures ? [registerConformanceFixtures] : []),
  ];
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
  const deps: AppOverrides = { ...overrides, logger };
  const cache: ToolCache | undefined =
    overrides.toolCache ??
    (config.toolCacheTableName === undefined
      ? undefined
      : (() => {
          const aws = awsComponents(config, deps);
          const load = once(async () =>
            (await loadToolCache()).createDynamoDbToolCache({ client: await aws.dynamoDb(), tableName: config.toolCacheTableName!, ttlSeconds: config.toolCacheTtlSeconds }),
          );
          return { get: async (tool, hash) => (await load()).get(tool, hash), put: async (tool, hash, result, ttl) => (await load()).put(tool, hash, result, ttl) } satisfies ToolCache;
        })());
  const baseTools = overrides.tools ?? configuredTools(config);
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
    stages: { ...buildStages(config, deps, baseTools), ...overrides.stages },
  });
}
