import { readFileSync } from "node:fs";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import type { ModuleDefinition } from "../publish/module.js";
import { TVM_OUTPUTS } from "./outputs.js";
import { TVM_INPUTS } from "./inputs.js";
import type { TokenVendingMachineProps } from "./props.js";
import { TokenVendingMachine } from "./token-vending-machine.js";

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
  requiredProviders: REQUIRED_PROVIDERS,
  exampleInputs: EXAMPLE_INPUTS,
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
