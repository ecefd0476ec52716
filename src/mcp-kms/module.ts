import { readFileSync } from "node:fs";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import type { ModuleDefinition } from "../publish/module.js";
import { MCP_KMS_OUTPUTS } from "./outputs.js";
import { McpKms } from "./mcp-kms.js";
import type { McpKmsProps } from "./props.js";
import { MCP_KMS_INPUTS } from "./inputs.js";

/** The published `modules/mcp_kms`. */
export const MCP_KMS_MODULE: ModuleDefinition<McpKmsProps, McpKms> = {
  name: "mcp_kms",
  inputs: MCP_KMS_INPUTS,
  crossChecks: [],
  outputs: MCP_KMS_OUTPUTS,
  build: (scope, props) => new McpKms(scope, "kms", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: REQUIRED_PROVIDERS,
  exampleInputs: { name: "mcp-tools", environment: "dev" },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
