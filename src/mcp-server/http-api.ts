import { Fn, ref, Token, TerraformIterator, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer/index.js";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { Apigatewayv2Stage, type Apigatewayv2StageRouteSettings } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { countIf, ifElse, optionalAttr, stableName } from "../lib/expr.js";
import type { McpAuth } from "./auth.js";
import { MCP_INVOKE_SCOPE } from "./auth.js";
import type { ResolvedMcpServerProps } from "./inputs.js";
import { MAX_INTEGRATION_TIMEOUT_SECONDS, MCP_ROUTE_KEYS, OAUTH_ROUTE_THROTTLES, PUBLIC_ROUTE_KEYS } from "./inputs.js";
import type { RouteThrottle } from "./props.js";
import { defined } from "../lib/defined.js";

/** Headers an MCP client sends (MCP 2025-06-18, Streamable HTTP and Authorization). */
export const CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "Mcp-Session-Id", "MCP-Protocol-Version", "Last-Event-ID"];
/**
 * Headers a browser client must be able to read: the session id issued on initialize, and the
 * 401/403 challenge that points to the protected resource metadata (RFC 9728 section 5.1).
 */
export const CORS_EXPOSE_HEADERS = ["Mcp-Session-Id", "WWW-Authenticate"];

/**
 * Access log record, one JSON object per request (FedRAMP AU-3: who, what, when, where,
 * outcome). `$context` variables: API Gateway guide, http-api-logging-variables.
 * Claims come from the JWT authorizer and are "-" when auth is off.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  httpMethod: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  protocol: "$context.protocol",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
  sub: "$context.authorizer.claims.sub",
  clientId: "$context.authorizer.claims.client_id",
  tenantId: "$context.authorizer.claims.tenant_id",
});

export interface McpHttpApiProps {
  /** The server props this part reads (defaults applied). */
  readonly server: Pick<
    ResolvedMcpServerProps,
    | "corsAllowedOrigins"
    | "environment"
    | "kmsKeyArn"
    | "logRetentionDays"
    | "name"
    | "routeThrottleOverrides"
    | "throttleBurstLimit"
    | "throttleRateLimit"
    | "disableExecuteApiEndpoint"
    | "enableInteractiveAuth"
  >;
  readonly baseName: string;
  /** The function API Gateway invokes: the MCP function, or the tenant router. */
  readonly target: { readonly invokeArn: string; readonly functionName: string };
  readonly auth: McpAuth;
  readonly tags: Record<string, string>;
}

/**
 * The HTTP API in front of the function: `POST`, `GET` and `DELETE /mcp` on one AWS_PROXY
 * integration (payload format 2.0), a JWT authorizer when auth is on (IA-2), a `$default`
 * stage with JSON access logs (AU-2/AU-3) and throttling (CM-7), and a Lambda permission per
 * route so API Gateway can invoke the function for those routes only (AC-6).
 */
export class McpHttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly logGroup: CloudwatchLogGroup;
  readonly authorizer: Apigatewayv2Authorizer;

  constructor(scope: Construct, id: string, props: McpHttpApiProps) {
    super(scope, id);
    const p = props.server;

    this.logGroup = stableName(
      new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/apigateway/${props.baseName}`,
        retentionInDays: p.logRetentionDays,
        kmsKeyId: p.kmsKeyArn,
        tags: props.tags,
      }),
      "api",
    );

    this.api = stableName(
      new Apigatewayv2Api(this, "api", {
        name: props.baseName,
        description: `MCP server ${p.name} (${p.environment}), Streamable HTTP at /mcp`,
        protocolType: "HTTP",
        disableExecuteApiEndpoint: p.disableExecuteApiEndpoint,
        corsConfiguration: {
          allowOrigins: p.corsAllowedOrigins,
          allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
          allowHeaders: CORS_ALLOW_HEADERS,
          exposeHeaders: CORS_EXPOSE_HEADERS,
          maxAge: 300,
        },
        tags: props.tags,
      }),
      "this",
    );

    const integration = stableName(
      new Apigatewayv2Integration(this, "integration", {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: props.target.invokeArn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: MAX_INTEGRATION_TIMEOUT_SECONDS * 1000,
      }),
      "this",
    );

    this.authorizer = stableName(
      new Apigatewayv2Authorizer(this, "authorizer", {
        count: countIf(props.auth.gatewayAuthorizer),
        apiId: this.api.id,
        name: "cognito-jwt",
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: props.auth.issuer, audience: props.auth.clientIds },
      }),
      "this",
    );

    const routeMap = (keys: readonly string[]) =>
      TerraformIterator.fromMap(
        Object.fromEntries(
          keys.map((key) => {
            const [method, path] = key.split(" ");
            // A Lambda permission statement id per route: [A-Za-z0-9_-], unique in the function.
            const sid = `${method}${path!.replace(/[^A-Za-z0-9]+/g, "-")}`.replace(/-$/, "");
            return [key, { method, path, sid }];
          }),
        ) as Record<string, any>,
      );
    const mcpRoutes = routeMap(MCP_ROUTE_KEYS);
    const enabled = props.auth.gatewayAuthorizer;
    const route = stableName(
      new Apigatewayv2Route(
        this,
        "route",
        defined({
          forEach: mcpRoutes,
          apiId: this.api.id,
          routeKey: mcpRoutes.key,
          target: `integrations/${integration.id}`,
          authorizationType: ifElse(enabled, "JWT", "NONE"),
          authorizerId: ifElse(enabled, optionalAttr(this.authorizer, "id"), undefined),
          authorizationScopes: ifElse<string[] | undefined>(enabled, [MCP_INVOKE_SCOPE], undefined),
        }),
      ),
      "mcp",
    );
    // No authorizer, ever: health checks, and the metadata MCP clients read before they have a
    // token. The function answers these paths without touching tools or data.
    const publicRoutes = routeMap(PUBLIC_ROUTE_KEYS);
    const publicRoute = stableName(
      new Apigatewayv2Route(this, "public-route", {
        forEach: publicRoutes,
        apiId: this.api.id,
        routeKey: publicRoutes.key,
        target: `integrations/${integration.id}`,
        authorizationType: "NONE",
      }),
      "public",
    );
    // The authorization server's routes have their own permissions (src/mcp-server/oauth.ts).
    const routes = routeMap([...MCP_ROUTE_KEYS, ...PUBLIC_ROUTE_KEYS]);

    this.stage = stableName(
      new Apigatewayv2Stage(this, "stage", {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        accessLogSettings: { destinationArn: this.logGroup.arn, format: ACCESS_LOG_FORMAT },
        defaultRouteSettings: {
          throttlingRateLimit: p.throttleRateLimit,
          throttlingBurstLimit: p.throttleBurstLimit,
        },
        routeSettings: routeSettings(p.routeThrottleOverrides, p.enableInteractiveAuth, p.throttleRateLimit, p.throttleBurstLimit),
        // Route settings for a route key that does not exist yet fail with NotFoundException.
        dependsOn: [route, publicRoute],
        tags: props.tags,
      }),
      "this",
    );

    stableName(
      new LambdaPermission(this, "permission", {
        forEach: routes,
        statementId: `AllowApiGateway-${routes.getString("sid")}`,
        action: "lambda:InvokeFunction",
        functionName: props.target.functionName,
        principal: "apigateway.amazonaws.com",
        // arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>
        sourceArn: `${this.api.executionArn}/*/${routes.getString("method")}${routes.getString("path")}`,
      }),
      "api",
    );
  }

  /** Base URL of the API (`https://<id>.execute-api.<region>.amazonaws.com`). */
  get endpoint(): string {
    return this.api.apiEndpoint;
  }
}

/**
 * Stage `route_settings`: the OAuth routes' default throttles (`OAUTH_ROUTE_THROTTLES`) with
 * interactive sign-in, then `route_throttle_overrides`, which win. Literal props become plain
 * blocks; variables a dynamic block, unset fields falling back to the stage default.
 */
function routeSettings(
  overrides: Record<string, RouteThrottle> | IResolvable,
  interactive: boolean | IResolvable,
  rate: number,
  burst: number,
): Apigatewayv2StageRouteSettings[] | IResolvable {
  if (!Token.isUnresolved(overrides) && !Token.isUnresolved(interactive)) {
    const defaults = Object.fromEntries(
      Object.entries(interactive ? OAUTH_ROUTE_THROTTLES : {}).map(([k, v]) => [
        k,
        { throttlingRateLimit: v.throttling_rate_limit, throttlingBurstLimit: v.throttling_burst_limit } as RouteThrottle,
      ]),
    );
    return Object.entries({ ...defaults, ...(overrides as Record<string, RouteThrottle>) }).map(([routeKey, o]) => ({
      routeKey,
      throttlingRateLimit: o.throttlingRateLimit ?? rate,
      throttlingBurstLimit: o.throttlingBurstLimit ?? burst,
    }));
  }
  // `local.oauth.enabled`: the interactive sign-in switch (src/mcp-server/oauth.ts declares it).
  const defaults = ref(`{ for k, v in ${hclObject(OAUTH_ROUTE_THROTTLES)} : k => v if local.oauth.enabled }`);
  const each = TerraformIterator.fromMap(Token.asAnyMap(Fn.merge([defaults, overrides])));
  return each.dynamic({
    route_key: each.key,
    throttling_rate_limit: Fn.coalesce([each.getNumber("throttling_rate_limit"), rate]),
    throttling_burst_limit: Fn.coalesce([each.getNumber("throttling_burst_limit"), burst]),
  });
}

/** An HCL object literal of numbers. */
function hclObject(value: Record<string, Record<string, number>>): string {
  return `{ ${Object.entries(value)
    .map(
      ([k, v]) =>
        `${JSON.stringify(k)} = { ${Object.entries(v)
          .map(([a, n]) => `${a} = ${n}`)
          .join(", ")} }`,
    )
    .join(", ")} }`;
}
