/**
 * The McpServer construct: literal props fold to readable Terraform, and the wiring the
 * published module relies on holds. (The validation twins of every module: test/publish.)
 */
import { App, Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { MCP_SERVER_INPUTS } from "../../src/mcp-server/inputs.js";
import { McpServer } from "../../src/mcp-server/mcp-server.js";
import { MCP_SERVER_MODULE } from "../../src/mcp-server/module.js";
import type { McpServerProps } from "../../src/mcp-server/props.js";
import { policyDocument } from "../../src/lib/iam.js";
import { renderModule } from "../../src/publish/module.js";

/** The module's example inputs as construct props (snake_case variable -> camelCase prop). */
function exampleProps(overrides: Partial<McpServerProps> = {}): McpServerProps {
  const props: Record<string, unknown> = {};
  for (const input of MCP_SERVER_INPUTS) {
    if (input.name in MCP_SERVER_MODULE.exampleInputs) props[input.prop] = MCP_SERVER_MODULE.exampleInputs[input.name];
  }
  return { ...(props as unknown as McpServerProps), ...overrides };
}

function synth(props: McpServerProps): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new McpServer(stack, "server", props);
  return JSON.parse(Testing.synth(stack));
}

describe("McpServer with literal props", () => {
  it("refuses a timeout above the HTTP API integration limit, with the variable's message", () => {
    expect(() => synth(exampleProps({ timeout: 180 }))).toThrow(/timeout must be a whole number of seconds from 1 to 30/);
  });

  it("refuses a half-set external Cognito pool", () => {
    expect(() => synth(exampleProps({ cognitoUserPoolId: "us-east-1_AbCdEfGhI" }))).toThrow(/go together/);
  });

  it("refuses a missing required prop", () => {
    const { imageUri: _omitted, ...rest } = exampleProps();
    expect(() => synth(rest as McpServerProps)).toThrow(/imageUri \(image_uri\) is required/);
  });

  it("refuses a name Cognito would reject as a domain prefix", () => {
    expect(() => synth(exampleProps({ name: "aws-tools" }))).toThrow(/Cognito domain prefix/);
    expect(() => synth(exampleProps({ name: "aws-tools", enableAuth: false }))).not.toThrow();
  });

  it("folds auth off to count = 0 and unauthenticated routes", () => {
    const json = synth(exampleProps({ enableAuth: false }));
    expect(json.resource.aws_cognito_user_pool.this.count).toBe(0);
    expect(json.resource.aws_apigatewayv2_authorizer.this.count).toBe(0);
    expect(json.resource.aws_apigatewayv2_route.mcp.authorization_type).toBe("NONE");
    expect(json.resource.aws_apigatewayv2_route.mcp.authorizer_id).toBeUndefined();
  });

  it("folds auth on to count = 1 and JWT routes with scope mcp/invoke", () => {
    const json = synth(exampleProps());
    expect(json.resource.aws_cognito_user_pool.this.count).toBe(1);
    const route = json.resource.aws_apigatewayv2_route.mcp;
    expect(route.authorization_type).toBe("JWT");
    expect(route.authorization_scopes).toEqual(["mcp/invoke"]);
    expect(Object.keys(route.for_each).sort()).toEqual(["DELETE /mcp", "GET /mcp", "POST /mcp"]);
  });

  it("orders creation: function after its log group and policy, stage after its routes", () => {
    const json = synth(exampleProps());
    expect(json.resource.aws_lambda_function.this.depends_on).toEqual(["aws_cloudwatch_log_group.lambda", "aws_iam_role_policy.lambda"]);
    expect(json.resource.aws_apigatewayv2_stage.this.depends_on).toEqual([
      "aws_apigatewayv2_route.mcp",
      "aws_apigatewayv2_route.public",
      "aws_apigatewayv2_route.oauth",
    ]);
  });

  it("with interactive sign-in, throttles registration and token requests unless an override names them", () => {
    const json = synth(
      exampleProps({
        enableInteractiveAuth: true,
        enableGatewayAuthorizer: false,
        routeThrottleOverrides: { "POST /token": { throttlingRateLimit: 5 } },
      }),
    );
    expect(json.resource.aws_apigatewayv2_stage.this.route_settings).toEqual([
      { route_key: "POST /register", throttling_rate_limit: 1, throttling_burst_limit: 5 },
      { route_key: "POST /token", throttling_rate_limit: 5, throttling_burst_limit: 50 },
    ]);
    expect(synth(exampleProps()).resource.aws_apigatewayv2_stage.this.route_settings ?? []).toEqual([]);
  });

  it("refuses interactive sign-in with the gateway authorizer, and OAuth route overrides without it", () => {
    expect(() => synth(exampleProps({ enableInteractiveAuth: true }))).toThrow(/needs enable_gateway_authorizer = false/);
    expect(() => synth(exampleProps({ routeThrottleOverrides: { "POST /token": { throttlingRateLimit: 5 } } }))).toThrow(
      /exist only with enable_interactive_auth = true/,
    );
  });

  it("writes literal route overrides as plain route_settings filled from the stage defaults", () => {
    const json = synth(exampleProps({ throttleBurstLimit: 80, routeThrottleOverrides: { "POST /mcp": { throttlingRateLimit: 5 } } }));
    expect(json.resource.aws_apigatewayv2_stage.this.route_settings).toEqual([
      { route_key: "POST /mcp", throttling_rate_limit: 5, throttling_burst_limit: 80 },
    ]);
  });

  it("refuses an override for a route the module does not create", () => {
    expect(() => synth(exampleProps({ routeThrottleOverrides: { "PUT /mcp": { throttlingRateLimit: 5 } } }))).toThrow(
      /route_throttle_overrides keys must be route keys/,
    );
  });

  it("allows one McpServer per stack (addresses are fixed)", () => {
    const stack = new TerraformStack(new App({ skipValidation: true }), "two");
    new McpServer(stack, "a", exampleProps());
    expect(() => new McpServer(stack, "b", exampleProps())).toThrow(/already defined/);
  });
});

describe("policyDocument", () => {
  it("refuses wildcard actions and empty resources", () => {
    expect(() => policyDocument([{ when: true, statements: [{ Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*" }] }])).toThrow(
      /wildcard/,
    );
    expect(() =>
      policyDocument([{ when: true, statements: [{ Sid: "B", Effect: "Allow", Action: "s3:GetObject", Resource: [] }] }]),
    ).toThrow(/empty Resource/);
  });
});

describe("tenant isolation (tenancy_config needs hashicorp/aws >= 6.23, so it is checked here)", () => {
  it("literal props: the function gets tenancy_config PER_TENANT and API Gateway invokes the router", () => {
    const json = synth(exampleProps({ enableTenantIsolation: true }));
    expect(json.resource.aws_lambda_function.this.tenancy_config).toEqual({ tenant_isolation_mode: "PER_TENANT" });
    expect(json.resource.aws_lambda_function.router.count).toBe(1);
    expect(json.resource.aws_lambda_function.router.image_config).toEqual({ command: ["index.routerHandler"] });
    expect(json.resource.aws_apigatewayv2_integration.this.integration_uri).toBe("${one(aws_lambda_function.router[*].invoke_arn)}");
  });

  it("literal props without isolation: no tenancy_config, no router", () => {
    const json = synth(exampleProps());
    expect(json.resource.aws_lambda_function.this.tenancy_config).toBeUndefined();
    expect(json.resource.aws_lambda_function.router.count).toBe(0);
    expect(json.resource.aws_apigatewayv2_integration.this.integration_uri).toBe("${aws_lambda_function.this.invoke_arn}");
  });

  it("published module: tenancy_config is a dynamic block on var.enable_tenant_isolation", async () => {
    const files = await renderModule(MCP_SERVER_MODULE);
    const main = JSON.parse(files["main.tf.json"]!);
    expect(main.resource.aws_lambda_function.this.dynamic.tenancy_config).toEqual({
      for_each: "${var.enable_tenant_isolation ? [1] : []}",
      content: { tenant_isolation_mode: "PER_TENANT" },
    });
    expect(JSON.parse(files["versions.tf.json"]!).terraform.required_providers.aws.version).toBe(">= 6.23, < 7.0");
  });
});
