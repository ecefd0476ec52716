/**
 * The Lambda side of the public API (see container/src/index.ts): build a Lambda handler from a tool
 * list, or the tenant router, with the configuration read from the environment.
 *
 * Both functions import what they need with `import()` and resolve once everything is built, so the
 * caller awaits them at the top level of its entry module (Lambda's init phase) and no request pays for
 * an import. A module that imports only this file loads neither the MCP server nor the Lambda client
 * until one of them is called.
 */
import type { AppOverrides } from "../app.js";
import { awsClientConfig, type AwsCallLimits } from "../aws.js";
import type { Config } from "../config.js";
import type { TokenVerifier } from "../core/auth/types.js";
import type { Logger } from "../core/logger.js";
import type { Tracing } from "../core/observability.js";
import type { AnyToolDefinition } from "../core/tools.js";
import type { RouterConfig } from "../tenant-router/config.js";
import type { LambdaInvoker } from "../tenant-router/handler.js";
import type { HttpApiHandler } from "./adapter.js";

/** Powertools Tracer, or undefined when tracing cannot be on here (outside Lambda, or `POWERTOOLS_TRACE_ENABLED=false`). */
async function loadTracer(serviceName: string) {
  const inLambda = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  if (!inLambda || process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === "false") return undefined;
  const { Tracer } = await import("@aws-lambda-powertools/tracer");
  const tracer = new Tracer({ serviceName });
  return tracer.isTracingEnabled() ? tracer : undefined;
}

/** Time limits of the tenant router's Lambda client (one attempt: a retried Invoke would run a tool twice). */
const ROUTER_INVOKE_LIMITS: AwsCallLimits = { connectionTimeoutMs: 1000, requestTimeoutMs: 29_000, maxAttempts: 1, budgetMs: 29_000 };

/** A Lambda client (function role), captured by the Powertools Tracer when tracing is on. */
async function tracedLambdaClient(sdk: typeof import("@aws-sdk/client-lambda"), serviceName: string): Promise<LambdaInvoker> {
  // An Invoke lasts as long as the MCP function runs: bounded by the HTTP API's 30 s, not by the
  // few seconds of the MCP function's own DynamoDB and STS calls.
  const [tracer, client] = [await loadTracer(serviceName), new sdk.LambdaClient(awsClientConfig(ROUTER_INVOKE_LIMITS))];
  return tracer === undefined ? client : tracer.captureAWSv3Client(client);
}

/**
 * User Timing marks (`performance.mark`) {@link createLambdaHandler} sets during the init phase, so
 * a profile or the cold-start benchmark can split it: the runtime's modules loaded, the configuration
 * validated, the app (clients, stages, tools) built.
 */
export const INIT_MARKS = { modules: "mcp-init:modules", config: "mcp-init:config", app: "mcp-init:app" } as const;

/** Options of {@link createLambdaHandler}: the tools, and optionally the configuration and any part of the app to replace. */
export interface LambdaHandlerOptions extends Omit<AppOverrides, "tools"> {
  /**
   * The tools the server offers, in `tools/list` order (`defineTool`). With `tenant_notes` and the
   * conformance fixtures added as the configuration turns them on.
   * @default the runtime's built-in tools (`parse_arn`, `cidr_info`)
   */
  readonly tools?: readonly AnyToolDefinition[];
  /** Configuration. @default `loadConfig()`: the environment variables of container/README.md, "Configuration" */
  readonly config?: Config;
}

/**
 * Builds the MCP server's Lambda handler (API Gateway HTTP API payload 2.0 event in, structured
 * result out): configuration validated, Powertools Logger, Metrics (EMF) and Tracer (inside Lambda),
 * then `createApp` with `options.tools`.
 * @returns the handler; export it as the function's handler (`CMD ["index.handler"]`)
 * @throws ConfigError naming the variable when the environment is invalid (the init phase fails with that message)
 * @example export const handler = await createLambdaHandler({ tools: [myTool] });
 */
export async function createLambdaHandler(options: LambdaHandlerOptions = {}): Promise<HttpApiHandler> {
  const [
    { loadConfig },
    { createApp },
    { createLambdaHandler: adapt },
    { createRootLogger, createPowertoolsMetricsSink, createPowertoolsTracing },
  ] = await Promise.all([import("../config.js"), import("../app.js"), import("./adapter.js"), import("../observability/powertools.js")]);
  performance.mark(INIT_MARKS.modules);
  const { config: given, ...overrides } = options;
  const config = given ?? loadConfig();
  performance.mark(INIT_MARKS.config);
  const logger = overrides.logger ?? createRootLogger(config);
  const tracer = overrides.tracing === undefined ? await loadTracer(config.serviceName) : undefined;
  const tracing: Tracing | undefined = overrides.tracing ?? (tracer === undefined ? undefined : createPowertoolsTracing(tracer));
  const app = await createApp(config, {
    ...(tracer === undefined ? {} : { decorateClient: <C extends object>(client: C) => tracer.captureAWSv3Client(client) }),
    ...(tracing === undefined ? {} : { tracing }),
    metrics: createPowertoolsMetricsSink({
      namespace: config.metricsNamespace,
      serviceName: config.serviceName,
      environment: config.environment,
    }),
    ...overrides,
    logger,
  });
  performance.mark(INIT_MARKS.app);
  return adapt(app, logger);
}

/** Options of {@link createRouterHandler}. */
export interface RouterHandlerOptions {
  /** Configuration. @default `loadRouterConfig()` (`MCP_TARGET_FUNCTION_ARN`, `MCP_TENANT_CLAIM`, ...) */
  readonly config?: RouterConfig;
  /** Lambda client that invokes the tenant-isolated function. @default `new LambdaClient({})`, traced inside Lambda */
  readonly lambda?: LambdaInvoker;
  /** Logger. @default Powertools Logger at the configured level */
  readonly logger?: Logger;
  /** Access-token verifier. @default the MCP function's JWKS-backed verifier, configured from the same variables */
  readonly verify?: TokenVerifier;
}

/**
 * Builds the tenant router's Lambda handler: payload 2.0 event in, the tenant-isolated MCP function's
 * result out (the access token verified here, then invoked with `TenantId` = its tenant claim;
 * container/src/tenant-router).
 * @throws ConfigError naming the variable when the environment is invalid
 * @example export const routerHandler = await createRouterHandler();
 */
export async function createRouterHandler(options: RouterHandlerOptions = {}): Promise<HttpApiHandler> {
  const [{ loadRouterConfig }, { createRouterHandler: route }, { createRootLogger }, sdk, jwt] = await Promise.all([
    import("../tenant-router/config.js"),
    import("../tenant-router/handler.js"),
    import("../observability/powertools.js"),
    options.lambda === undefined ? import("@aws-sdk/client-lambda") : undefined,
    options.verify === undefined ? import("../core/auth/jwt.js") : undefined,
  ]);
  const config = options.config ?? loadRouterConfig();
  const logger = options.logger ?? createRootLogger(config);
  const lambda = options.lambda ?? (await tracedLambdaClient(sdk ?? (await import("@aws-sdk/client-lambda")), config.serviceName));
  const verify = options.verify ?? (jwt ?? (await import("../core/auth/jwt.js"))).createJwtVerifier(config.auth);
  return route({
    lambda,
    functionArn: config.targetFunctionArn,
    verify,
    authorizationServers: [config.auth.issuer],
    ...(config.auth.requiredScope === undefined ? {} : { requiredScope: config.auth.requiredScope }),
    path: config.path,
    ...(config.resourceUrl === undefined ? {} : { resourceUrl: config.resourceUrl }),
    serverName: config.serverName,
    serverVersion: config.serverVersion,
    tenantClaim: config.tenantClaim,
    logger,
  });
}
