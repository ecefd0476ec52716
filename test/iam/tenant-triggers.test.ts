/**
 * The tenant triggers' and the tenant router's roles under IAM evaluation
 * (@cloud-copilot/iam-simulate), over the policies the mcp_server construct synthesizes with tenant
 * isolation on its own pool: read from the synthesized Terraform JSON, with the resource references
 * Terraform resolves at apply (table, pool, log group and function ARNs) replaced by example ARNs.
 */
import { Testing, TerraformStack } from "cdktf";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import { MCP_SERVER_INPUTS } from "../../src/mcp-server/inputs.js";
import { McpServer } from "../../src/mcp-server/mcp-server.js";
import { MCP_SERVER_MODULE } from "../../src/mcp-server/module.js";
import type { McpServerProps } from "../../src/mcp-server/props.js";

const ACCOUNT = "123456789012";
const REFS: Record<string, string> = {
  "aws_dynamodb_table.tenants[0].arn": `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/mcp-tools-dev-tenants`,
  "aws_cognito_user_pool.this[0].arn": `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_AbCdEfGhI`,
  "aws_lambda_function.this.arn": `arn:aws:lambda:us-east-1:${ACCOUNT}:function:mcp-tools-dev`,
  "aws_cloudwatch_log_group.pre_token_generation[0].arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mcp-tools-dev-pre-token`,
  "aws_cloudwatch_log_group.post_confirmation[0].arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mcp-tools-dev-post-confirm`,
  "aws_cloudwatch_log_group.router[0].arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mcp-tools-dev-router`,
};
const TABLE = REFS["aws_dynamodb_table.tenants[0].arn"]!;
const POOL = REFS["aws_cognito_user_pool.this[0].arn"]!;
const OTHER_TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/mcp-tools-dev-sessions`;
const OTHER_POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Other`;

/**
 * Evaluates the `${jsonencode({...})}` policy expressions the construct writes: HCL object syntax with
 * references and `join("", [ref, ":*"])`, which is all these policies use.
 * @throws Error naming a reference without an example value
 */
function evaluate(expression: string): unknown {
  let body = expression.replace(/^\$\{jsonencode\(/, "").replace(/\)\}$/, "");
  body = body.replace(/join\("", \[([A-Za-z0-9_.[\]]+), ":\*"\]\)/g, (_, ref: string) => JSON.stringify(`${value(ref)}:*`));
  body = body.replace(/(?<=[=[,] ?)([a-z_]+\.[A-Za-z0-9_]+(\[0\])?\.arn)(?=[,\]}])/g, (ref: string) => JSON.stringify(value(ref)));
  return JSON.parse(body.replace(/" = /g, '": '));
}
function value(ref: string): string {
  const v = REFS[ref];
  if (v === undefined) throw new Error(`no example value for ${ref}`);
  return v;
}

let policies: Record<string, unknown>;

beforeAll(() => {
  const props: Record<string, unknown> = {};
  for (const input of MCP_SERVER_INPUTS)
    if (input.name in MCP_SERVER_MODULE.exampleInputs) props[input.prop] = MCP_SERVER_MODULE.exampleInputs[input.name];
  const stack = new TerraformStack(Testing.app(), "tenants");
  new McpServer(stack, "server", {
    ...(props as unknown as McpServerProps),
    enableTenantIsolation: true,
    tenants: { acme: { domains: ["acme.com"], machineClients: ["ci"] } },
  });
  const r = JSON.parse(Testing.synth(stack)).resource.aws_iam_role_policy;
  policies = Object.fromEntries(
    ["pre_token_generation", "post_confirmation", "post_confirmation_cognito", "router"].map((k) => [k, evaluate(r[k].policy)]),
  );
});

async function decide(role: string, policyNames: string[], action: string, resource: string): Promise<string> {
  const response = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: policyNames.map((name) => ({ name, policy: policies[name] })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe("pre token generation trigger role", () => {
  const as = (action: string, resource: string) => decide("mcp-tools-dev-pre-token-lambda", ["pre_token_generation"], action, resource);
  it("may read directory items, and nothing else of DynamoDB or Cognito", async () => {
    expect(await as("dynamodb:GetItem", TABLE)).toBe("Allowed");
    for (const action of ["dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:DeleteItem"])
      expect(await as(action, TABLE), action).not.toBe("Allowed");
    expect(await as("dynamodb:GetItem", OTHER_TABLE)).not.toBe("Allowed");
    expect(await as("cognito-idp:AdminUpdateUserAttributes", POOL)).not.toBe("Allowed");
  });
});

describe("post confirmation trigger role", () => {
  const as = (action: string, resource: string) =>
    decide("mcp-tools-dev-post-confirm-lambda", ["post_confirmation", "post_confirmation_cognito"], action, resource);
  it("may read the directory and set a user's tenant and group in its own pool only", async () => {
    expect(await as("dynamodb:GetItem", TABLE)).toBe("Allowed");
    expect(await as("dynamodb:PutItem", TABLE)).not.toBe("Allowed");
    expect(await as("cognito-idp:AdminUpdateUserAttributes", POOL)).toBe("Allowed");
    expect(await as("cognito-idp:AdminAddUserToGroup", POOL)).toBe("Allowed");
    expect(await as("cognito-idp:AdminUpdateUserAttributes", OTHER_POOL)).not.toBe("Allowed");
    for (const action of [
      "cognito-idp:AdminCreateUser",
      "cognito-idp:AdminDeleteUser",
      "cognito-idp:AdminSetUserPassword",
      "cognito-idp:CreateGroup",
      "cognito-idp:UpdateUserPoolClient",
    ]) {
      expect(await as(action, POOL), action).not.toBe("Allowed");
    }
  });
});

describe("tenant router role", () => {
  const as = (action: string, resource: string) => decide("mcp-tools-dev-router-lambda", ["router"], action, resource);
  it("may invoke the isolated function only, and cannot read the tenant directory", async () => {
    expect(await as("lambda:InvokeFunction", REFS["aws_lambda_function.this.arn"]!)).toBe("Allowed");
    expect(await as("lambda:InvokeFunction", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:mcp-tools-dev-pre-token`)).not.toBe("Allowed");
    expect(await as("dynamodb:GetItem", TABLE)).not.toBe("Allowed");
    expect(await as("cognito-idp:AdminUpdateUserAttributes", POOL)).not.toBe("Allowed");
  });
});
