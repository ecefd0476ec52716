import { readFileSync } from "node:fs";
import type { ModuleOutput } from "../lib/module-spec.js";
import { AWS_PROVIDER_RANGE, REQUIRED_TERRAFORM } from "../mcp-server/module.js";
import type { ModuleDefinition } from "../publish/module.js";
import { McpKms } from "./mcp-kms.js";
import type { McpKmsProps } from "./props.js";
import { MCP_KMS_INPUTS } from "./inputs.js";
export const MCP_KMS_OUTPUTS: readonly ModuleOutput<McpKms>[] = [
  { name: "key_arn", description: "ARN of the key: pass it to mcp_server's kms_key_arn", value: (k) => k.key.arn },
  { name: "key_id", description: "ID of the key", value: (k) => k.key.keyId },
  { name: "alias_name", description: "Alias of the key, alias/<name>-<environment>-mcp", value: (k) => k.alias.name },
];

/** The published `modules/mcp_kms`. */
export const MCP_KMS_MODULE: ModuleDefinition<McpKmsProps, McpKms> = {
  name: "mcp_kms",
  inputs: MCP_KMS_INPUTS,
  crossChecks: [],
  outputs: MCP_KMS_OUTPUTS,
  build: (scope, props) => new McpKms(scope, "kms", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_RANGE } },
  exampleInputs: { name: "mcp-tools", environment: "dev" },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
