/**
 * Lambda entry points of the one image:
 *
 * - `handler` (`CMD ["index.handler"]` in container/Dockerfile): the MCP server.
 * - `routerHandler` (the `mcp_server` module sets the router function's image command to
 *   `index.routerHandler`): the tenant router in front of a tenant-isolated MCP function
 *   (container/src/tenant-router).
 * - `preTokenGenerationHandler` and `postConfirmationHandler`: the Cognito triggers that put the
 *   tenant into access tokens and assign new users to a tenant (handlers/tenants).
 * - `oauthFrontHandler`, `oauthTokenHandler`: the two functions of the authorization server for
 *   interactive sign-in (handlers/oauth).
 *
 * The entry the function is configured with (Lambda's `_HANDLER`, e.g. `index.handler`) is built
 * during the init phase, once per cold start: configuration validated (an invalid environment fails
 * the init phase with a message naming the variable), then `createApp` (container/src/app.ts) loads
 * the modules the configuration needs and creates the AWS clients. The other entry is built only if it is ever called, so the router does
 * not load the MCP server, and the MCP function does not load the Lambda client.
 *
 * Observability (Powertools for AWS Lambda): Logger (JSON lines), Metrics (one EMF document per
 * request, plus one per tenant; metrics slot), Tracer (one X-Ray subsegment per request, tracing
 * slot; every AWS SDK client is captured, so DynamoDB, STS and Lambda calls appear below it). The
 * Tracer (and the X-Ray SDK under it) is loaded only when tracing can be on: inside Lambda and not
 * disabled with `POWERTOOLS_TRACE_ENABLED=false`.
 */
import { awsClientConfig, once, type AwsCallLimits } from "../aws.js";
import type { Logger } from "../core/logger.js";
import type { Tracing } from "../core/observability.js";
import { createPowertoolsLogger } from "../observability/powertools.js";
import type { HttpApiHandler } from "./adapter.js";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import type { PreTokenGenerationEvent } from "../../../handlers/tenants/pre-token-generation.js";

/** Powertools Tracer, or undefined when tracing cannot be on here. */
async function loadTracer(serviceName: string) {
  const inLambda = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  if (!inLambda || process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === "false") return undefined;
  const { Tracer } = await import("@aws-lambda-powertools/tracer");
  const tracer = new Tracer({ serviceName });
  return tracer.isTracingEnabled() ? tracer : undefined;
}

/** Time limits of the tenant router's Lambda client (one attempt: a retried Invoke would run a tool twice). */
const ROUTER_INVOKE_LIMITS: AwsCallLimits = { connectionTimeoutMs: 1000, requestTimeoutMs: 29_000, maxAttempts: 1, budgetMs: 29_000 };

async function createMcpEntry(): Promise<HttpApiHandler> {
  const [{ loadConfig }, { createApp }, { createLambdaHandler }, { createPowertoolsMetricsSink, createPowertoolsTracing }] = await Promise.all([
    import("../config.js"),
    import("../app.js"),
    import("./adapter.js"),
    import("../observability/powertools.js"),
  ]);
  const config = loadConfig();
  const logger = createPowertoolsLogger({ level: config.logLevel, serviceName: config.serviceName, persistentKeys: { environment: config.environment } });
  const tracer = await loadTracer(config.serviceName);
  const tracing: Tracing | undefined = tracer === undefined ? undefined : createPowertoolsTracing(tracer);
  return createLambdaHandler(
    await createApp(config, {
      logger,
      ...(tracer === undefined ? {} : { decorateClient: <C extends object>(client: C) => tracer.captureAWSv3Client(client), tracing }),
      metrics: createPowertoolsMetricsSink({ namespace: config.metricsNamespace, serviceName: config.serviceName, environment: config.environment }),
    }),
    logger,
  );
}

async function createRouterEntry(): Promise<HttpApiHandler> {
  const [{ loadRouterConfig }, { createRouterHandler }, { LambdaClient }, { createJwtVerifier }] = await Promise.all([
    import("../tenant-router/config.js"),
    import("../tenant-router/handler.js"),
    import("@aws-sdk/client-lambda"),
    import("../core/auth/jwt.js"),
  ]);
  const config = loadRouterConfig();
  const logger: Logger = createPowertoolsLogger({ level: config.logLevel, serviceName: config.serviceName, persistentKeys: { environment: config.environment } });
  const tracer = await loadTracer(config.serviceName);
  // An Invoke lasts as long as the MCP function runs: bounded by the HTTP API's 30 s, not by the
  // few seconds of the MCP function's own DynamoDB and STS calls.
  const client = new LambdaClient(awsClientConfig(ROUTER_INVOKE_LIMITS));
  return createRouterHandler({
    lambda: tracer === undefined ? client : tracer.captureAWSv3Client(client),
    functionArn: config.targetFunctionArn,
    // The MCP function's verifier, configured from the same variables.
    verify: createJwtVerifier(config.auth),
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

const mcpEntry = once(createMcpEntry);
const routerEntry = once(createRouterEntry);
const preTokenGenerationEntry = once(async () => (await import("../../../handlers/tenants/lambda.js")).createPreTokenGenerationEntry());
const postConfirmationEntry = once(async () => (await import("../../../handlers/tenants/lambda.js")).createPostConfirmationEntry());
const oauthFrontEntry = once(async () => (await import("../../../handlers/oauth/src/lambda.js")).createOAuthLambdaHandler("front"));
const oauthTokenEntry = once(async () => (await import("../../../handlers/oauth/src/lambda.js")).createOAuthLambdaHandler("token"));
// Build the configured entry now (the init phase); `_HANDLER` is "<file>.<export>".
const configured = process.env._HANDLER?.split(".").pop();
if (configured === "routerHandler") await routerEntry();
else if (configured === "preTokenGenerationHandler") await preTokenGenerationEntry();
else if (configured === "postConfirmationHandler") await postConfirmationEntry();
else if (configured === "oauthFrontHandler") await oauthFrontEntry();
else if (configured === "oauthTokenHandler") await oauthTokenEntry();
else await mcpEntry();

/** The MCP server: API Gateway HTTP API payload 2.0 event in, structured result out. */
export const handler: HttpApiHandler = async (event, context) => (await mcpEntry())(event, context);

/** The tenant router: payload 2.0 event in, the tenant-isolated function's result out (container/src/tenant-router). */
export const routerHandler: HttpApiHandler = async (event, context) => (await routerEntry())(event, context);

/** Cognito pre token generation trigger (V3_0 event in, the event with `tenant_id` in the access token's claims out). */
export const preTokenGenerationHandler = async (event: PreTokenGenerationEvent): Promise<PreTokenGenerationEvent> => (await preTokenGenerationEntry())(event);

/** Cognito post confirmation trigger (assigns the new user's tenant). */
export const postConfirmationHandler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => (await postConfirmationEntry())(event);

/** The authorization server's front function: discovery, `/authorize`, `/register`, consent. */
export const oauthFrontHandler: HttpApiHandler = async (event, context) => (await oauthFrontEntry())(event, context);

/** The authorization server's token function: `/oauth/callback`, `/token`, `/revoke`. */
export const oauthTokenHandler: HttpApiHandler = async (event, context) => (await oauthTokenEntry())(event, context);
