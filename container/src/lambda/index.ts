/**
 * Lambda entry points of the one image, the MCP server and the router built with the runtime's public
 * API (container/src/index.ts):
 *
 * - `handler` (`CMD ["index.handler"]` in container/Dockerfile): the MCP server.
 * - `routerHandler` (the `mcp_server` module sets the router function's image command to
 *   `index.routerHandler`): the tenant router in front of a tenant-isolated MCP function
 *   (container/src/tenant-router).
 * - `preTokenGenerationHandler` and `postConfirmationHandler`: the Cognito triggers that put the
 *   tenant into access tokens and assign new users to a tenant (handlers/tenants).
 *
 * The authorization server for interactive sign-in (handlers/oauth) has an entry file of its own,
 * `oauth.mjs` (container/src/lambda/oauth.ts), so none of it is bundled into this one.
 *
 * The entry the function is configured with (Lambda's `_HANDLER`, e.g. `index.handler`) is built
 * during the init phase, once per cold start: configuration validated (an invalid environment fails
 * the init phase with a message naming the variable), then the modules the configuration needs are
 * loaded and the AWS clients created. The other entries are built only if they are ever called, so
 * the router does not load the MCP server, and the MCP function does not load the Lambda client.
 *
 * Observability (Powertools for AWS Lambda): Logger (JSON lines), Metrics (one EMF document per
 * request, plus one per tenant; metrics slot), Tracer (one X-Ray subsegment per request, tracing
 * slot; every AWS SDK client is captured, so DynamoDB, STS and Lambda calls appear below it). The
 * Tracer (and the X-Ray SDK under it) is loaded only when tracing can be on: inside Lambda and not
 * disabled with `POWERTOOLS_TRACE_ENABLED=false`.
 */
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import type { PreTokenGenerationEvent } from "../../../handlers/tenants/pre-token-generation.js";
import { once } from "../aws.js";
import type { HttpApiHandler } from "./adapter.js";
import { useCompileCache } from "./compile-cache.js";
import { createLambdaHandler, createRouterHandler } from "./runtime.js";

// Before the configured entry's modules are imported (each entry loads its code with import()).
useCompileCache(import.meta.url);

const mcpEntry = once(() => createLambdaHandler());
const routerEntry = once(() => createRouterHandler());
const preTokenGenerationEntry = once(async () => (await import("../../../handlers/tenants/lambda.js")).createPreTokenGenerationEntry());
const postConfirmationEntry = once(async () => (await import("../../../handlers/tenants/lambda.js")).createPostConfirmationEntry());
// Build the configured entry now (the init phase); `_HANDLER` is "<file>.<export>".
const configured = process.env._HANDLER?.split(".").pop();
if (configured === "routerHandler") await routerEntry();
else if (configured === "preTokenGenerationHandler") await preTokenGenerationEntry();
else if (configured === "postConfirmationHandler") await postConfirmationEntry();
else await mcpEntry();

/** The MCP server: API Gateway HTTP API payload 2.0 event in, structured result out. */
export const handler: HttpApiHandler = async (event, context) => (await mcpEntry())(event, context);

/** The tenant router: payload 2.0 event in, the tenant-isolated function's result out (container/src/tenant-router). */
export const routerHandler: HttpApiHandler = async (event, context) => (await routerEntry())(event, context);

/** Cognito pre token generation trigger (V3_0 event in, the event with `tenant_id` in the access token's claims out). */
export const preTokenGenerationHandler = async (event: PreTokenGenerationEvent): Promise<PreTokenGenerationEvent> =>
  (await preTokenGenerationEntry())(event);

/** Cognito post confirmation trigger (assigns the new user's tenant). */
export const postConfirmationHandler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> =>
  (await postConfirmationEntry())(event);
