import { readFileSync } from "node:fs";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import type { ModuleDefinition } from "../publish/module.js";
import { MCP_WAF_OUTPUTS } from "./outputs.js";
import { McpWaf } from "./mcp-waf.js";
import type { McpWafProps } from "./props.js";
import { MCP_WAF_INPUTS } from "./inputs.js";

/** The published `modules/mcp_waf` (scope CLOUDFRONT: call it with a us-east-1 provider). */
export const MCP_WAF_MODULE: ModuleDefinition<McpWafProps, McpWaf> = {
  name: "mcp_waf",
  inputs: MCP_WAF_INPUTS,
  crossChecks: [],
  outputs: MCP_WAF_OUTPUTS,
  build: (scope, props) => new McpWaf(scope, "waf", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: REQUIRED_PROVIDERS,
  exampleInputs: { name: "mcp-tools", environment: "dev" },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
