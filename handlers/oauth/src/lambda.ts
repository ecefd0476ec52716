/**
 * Lambda adapters of the authorization server: API Gateway HTTP API payload 2.0 in, structured
 * result out, around the web-standard core. Two functions share the code and split the routes
 * (design 3.1): the front function (discovery, `/authorize`, `/register`, consent) and the token
 * function (`/oauth/callback`, `/token`, `/revoke`), which alone holds the upstream client secret
 * and may call KMS `Sign`.
 *
 * Configuration: `OAUTH_*` (handlers/oauth/src/core/config.ts); on Lambda `OAUTH_TABLE_NAME` is
 * required (no in-memory state), and the token function needs `OAUTH_SIGNING_KEY_ID` and
 * `OAUTH_UPSTREAM_CLIENT_SECRET`. With `MCP_ORIGIN_VERIFY_SECRET` set, requests without the matching
 * `x-origin-verify` header (added by CloudFront) get 403.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KMSClient } from "@aws-sdk/client-kms";
import { eventToRequest, isPayloadV2, responseToResult, type HttpApiHandler } from "../../../container/src/lambda/adapter.js";
import { loadOAuthSettings, OAUTH_ENV_NAMES, OAuthConfigError } from "./core/config.js";
import { auditTo, type AuditLogger } from "./core/context.js";
import { CALLBACK_PATH } from "./core/authorize.js";
import { createOAuthHandler, FRONT_PATHS, TOKEN_PATHS } from "./core/router.js";
import { createDynamoDbStore } from "./core/store/dynamodb.js";
import { createKmsSigner } from "./core/tokens/kms-signer.js";
import { createUpstream } from "./core/upstream.js";
import { safeEqual, systemClock } from "./core/util.js";

export type OAuthFunctionRole = "front" | "token";

/** Every environment variable the two functions read: the settings, and the CloudFront origin secret. */
export const OAUTH_LAMBDA_ENV_NAMES: readonly string[] = [...OAUTH_ENV_NAMES, "MCP_ORIGIN_VERIFY_SECRET"];

export interface OAuthLambdaDependencies {
  readonly dynamoDb?: DynamoDBClient;
  readonly kms?: Pick<KMSClient, "send">;
  readonly logger?: AuditLogger;
}

/**
 * Builds one function's handler from the environment.
 * @throws OAuthConfigError naming each invalid variable (fails the init phase)
 */
export async function createOAuthLambdaHandler(
  role: OAuthFunctionRole,
  env: Readonly<Record<string, string | undefined>> = process.env,
  deps: OAuthLambdaDependencies = {},
): Promise<HttpApiHandler> {
  const settings = loadOAuthSettings(env);
  const problems: string[] = [];
  if (settings.tableName === undefined) problems.push("OAUTH_TABLE_NAME=undefined: required on Lambda");
  if (role === "token" && settings.signingKeyId === undefined)
    problems.push("OAUTH_SIGNING_KEY_ID=undefined: required by the token function");
  if (role === "token" && settings.upstream.clientSecret === undefined)
    problems.push("OAUTH_UPSTREAM_CLIENT_SECRET=undefined: required by the token function");
  if (role === "front" && settings.upstream.clientSecret !== undefined)
    problems.push("OAUTH_UPSTREAM_CLIENT_SECRET: must not be given to the front function");
  if (problems.length > 0) throw new OAuthConfigError(`invalid authorization server configuration:\n  ${problems.join("\n  ")}`);

  const dynamoDb = deps.dynamoDb ?? new (await import("@aws-sdk/client-dynamodb")).DynamoDBClient({});
  const signer =
    role === "token"
      ? createKmsSigner({
          client: deps.kms ?? new (await import("@aws-sdk/client-kms")).KMSClient({}),
          keyId: settings.signingKeyId!,
          kid: settings.publicKeys.at(-1)!.kid,
        })
      : undefined;
  const logger: AuditLogger = deps.logger ?? {
    info: (message, attributes) => process.stdout.write(`${JSON.stringify({ level: "INFO", message, ...attributes })}\n`),
  };
  const core = createOAuthHandler(
    {
      settings,
      store: createDynamoDbStore({ client: dynamoDb, tableName: settings.tableName! }),
      ...(signer === undefined ? {} : { signer }),
      upstream: createUpstream(settings.upstream, `${settings.issuer}${CALLBACK_PATH}`),
      now: systemClock,
      audit: auditTo(logger),
    },
    role === "front" ? FRONT_PATHS : TOKEN_PATHS,
  );
  const originSecret = env.MCP_ORIGIN_VERIFY_SECRET;
  return async (event) => {
    if (!isPayloadV2(event)) return { statusCode: 500, headers: { "content-type": "application/json" }, body: '{"error":"server_error"}' };
    if (originSecret !== undefined && originSecret !== "" && !safeEqual(event.headers["x-origin-verify"] ?? "", originSecret)) {
      return {
        statusCode: 403,
        headers: { "content-type": "application/json" },
        body: '{"error":"access_denied","error_description":"requests must come through the distribution"}',
      };
    }
    let request: Request;
    try {
      request = eventToRequest(event);
    } catch {
      return {
        statusCode: 400,
        headers: { "content-type": "application/json" },
        body: '{"error":"invalid_request","error_description":"malformed HTTP request"}',
      };
    }
    return responseToResult(await core(request, { sourceIp: event.requestContext.http.sourceIp }));
  };
}

export { OAuthConfigError };
