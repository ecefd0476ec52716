import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { ifElse, isToken, join, local } from "../lib/expr.js";
import { McpAlarms } from "./alarms.js";
import { McpAuth, MCP_INVOKE_SCOPE } from "./auth.js";
import { withDefaults, type ResolvedMcpServerProps } from "./defaults.js";
import { McpFunction, mergeMaps } from "./function.js";
import { McpHttpApi } from "./http-api.js";
import { MCP_SERVER_CROSS_CHECKS, MCP_SERVER_INPUTS } from "./inputs.js";
import type { McpServerProps } from "./props.js";

/**
 * A remote MCP server on AWS: a container-image Lambda function in a VPC behind an API
 * Gateway v2 HTTP API (`POST`/`GET`/`DELETE /mcp`), Cognito JWT authorization, KMS-encrypted
 * logs and environment, X-Ray, throttling, and five CloudWatch alarms notifying SNS.
 *
 * The same construct backs the published `mcp_server` module (props are `var.*` tokens) and the
 * per-environment stacks (props are literals). Resource addresses are fixed
 * (`aws_lambda_function.this`), so use one `McpServer` per stack.
 *
 * @throws Error at construction when a literal prop breaks a rule of the module's variables
 *   (the message is the variable's own validation message).
 */
export class McpServer extends Construct {
  readonly props: ResolvedMcpServerProps;
  readonly function: McpFunction;
  readonly auth: McpAuth;
  readonly httpApi: McpHttpApi;
  readonly alarms: McpAlarms;

  constructor(scope: Construct, id: string, props: McpServerProps) {
    super(scope, id);
    validateLiteralProps(props);
    const p = withDefaults(props);
    this.props = p;
    const baseName = local(this, "name_prefix", join(p.name, "-", p.environment));
    const tags = local(this, "tags", mergeMaps({ Environment: p.environment, McpServer: p.name }, p.tags));

    const account = new DataAwsCallerIdentity(this, "account", {});
    account.overrideLogicalId("current");

    this.auth = new McpAuth(this, "auth", { server: p, baseName, tags, accountId: account.accountId });
    this.function = new McpFunction(this, "function", {
      server: p,
      baseName,
      tags,
      moduleEnvironment: {
        MCP_SERVER_NAME: p.name,
        MCP_ENVIRONMENT: p.environment,
        MCP_AUTH_ENABLED: ifElse(p.enableAuth, "true", "false"),
        MCP_JWT_ISSUER: this.auth.issuer,
        MCP_JWT_CLIENT_IDS: this.auth.audience,
        MCP_JWT_REQUIRED_SCOPE: ifElse(p.enableAuth, MCP_INVOKE_SCOPE, ""),
      },
    });
    this.httpApi = new McpHttpApi(this, "http-api", {
      server: p,
      baseName,
      tags,
      function: this.function.function,
      auth: this.auth,
    });
    this.alarms = new McpAlarms(this, "alarms", {
      server: p,
      baseName,
      tags,
      accountId: account.accountId,
      functionName: this.function.function.functionName,
      apiId: this.httpApi.api.id,
      stageName: this.httpApi.stage.name,
    });
  }

  /** `<api endpoint>/mcp`: the URL MCP clients connect to. */
  get mcpEndpointUrl(): string {
    return `${this.httpApi.endpoint}/mcp`;
  }
}

/**
 * Apply the module's variable validations to literal props, so a per-environment stack fails
 * at synth with the same message `terraform plan` would give. Token props are left to Terraform.
 */
export function validateLiteralProps(props: McpServerProps): void {
  const errors: string[] = [];
  const resolved = withDefaults(props) as unknown as Record<string, unknown>;
  for (const input of MCP_SERVER_INPUTS) {
    const value = resolved[input.prop];
    if (value === undefined && input.default === undefined) {
      errors.push(`${input.prop} (${input.name}) is required.`);
      continue;
    }
    if (value === undefined || isToken(value)) continue;
    for (const rule of input.validation ?? []) {
      const variableValue = input.toVariable ? input.toVariable(value) : value;
      if (!rule.test(variableValue)) errors.push(`${input.prop}: ${rule.errorMessage}`);
    }
  }
  for (const check of MCP_SERVER_CROSS_CHECKS) {
    if (check.reads.some((prop) => isToken(resolved[prop]))) continue;
    if (!check.test(resolved as unknown as McpServerProps)) errors.push(check.errorMessage);
  }
  if (errors.length > 0) throw new Error(`Invalid McpServer props:\n  - ${errors.join("\n  - ")}`);
}
