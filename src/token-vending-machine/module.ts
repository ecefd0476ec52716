import { readFileSync } from "node:fs";
import type { ModuleOutput } from "../lib/module-spec.js";
import { AWS_PROVIDER_RANGE, REQUIRED_TERRAFORM } from "../mcp-server/module.js";
import type { ModuleDefinition } from "../publish/module.js";
import { TVM_INPUTS } from "./inputs.js";
import type { TokenVendingMachineProps } from "./props.js";
import { TokenVendingMachine } from "./token-vending-machine.js";
import { optionalAttr } from "../lib/expr.js";

export const TVM_OUTPUTS: readonly ModuleOutput<TokenVendingMachine>[] = [
  { name: "tenant_role_arn", description: "ARN of the template tenant role (null unless create_tenant_role)", value: (t) => t.tenantRoleArn },
  { name: "tenant_role_name", description: "Name of the template tenant role (null unless create_tenant_role)", value: (t) => optionalAttr(t.tenantRole, "name") },
  { name: "permission_boundary_arn", description: "ARN of the permission boundary every tenant role must carry", value: (t) => t.boundary.arn },
  {
    name: "tenant_data_policy_arn",
    description: "ARN of the policy granting a tenant session its own partition of the tenant data tables (null without tables)",
    value: (t) => optionalAttr(t.dataPolicy, "arn"),
  },
  { name: "credential_duration_seconds", description: "Lifetime of vended credentials, in seconds", value: (t) => t.credentialDurationSeconds },
  {
    name: "function_environment",
    description: "Environment for the MCP function (TVM_TENANT_ROLE_ARN, TVM_CREDENTIAL_DURATION_SECONDS): merge into mcp_server's environment_variables",
    value: (t) => t.functionEnvironment,
  },
];

const EXAMPLE_INPUTS: Record<string, unknown> = {
  name: "mcp-tools",
  environment: "dev",
  lambda_role_arn: "arn:aws:iam::123456789012:role/mcp-tools-dev-lambda",
  lambda_role_name: "mcp-tools-dev-lambda",
  tenant_role_arn_pattern: "arn:aws:iam::123456789012:role/mcp-tenant-*",
  kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

/** The published `modules/mcp_token_vending_machine`. */
export const TVM_MODULE: ModuleDefinition<TokenVendingMachineProps, TokenVendingMachine> = {
  name: "mcp_token_vending_machine",
  inputs: TVM_INPUTS,
  crossChecks: [],
  outputs: TVM_OUTPUTS,
  build: (scope, props) => new TokenVendingMachine(scope, "tvm", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_RANGE } },
  exampleInputs: EXAMPLE_INPUTS,
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
