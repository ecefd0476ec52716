import { readFileSync } from "node:fs";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import type { ModuleDefinition } from "../publish/module.js";
import { MCP_WAF_OUTPUTS } from "./outputs.js";
import { McpWaf } from "./mcp-waf.js";
import type { McpWafProps } from "./props.js";
import { MCP_WAF_CROSS_CHECKS, MCP_WAF_INPUTS } from "./inputs.js";

/** The published `modules/mcp_waf` (scope CLOUDFRONT: call it with a us-east-1 provider). */
export const MCP_WAF_MODULE: ModuleDefinition<McpWafProps, McpWaf> = {
  name: "mcp_waf",
  inputs: MCP_WAF_INPUTS,
  crossChecks: MCP_WAF_CROSS_CHECKS,
  preconditionsOn: (waf) => waf.acl,
  outputs: MCP_WAF_OUTPUTS,
  build: (scope, props) => new McpWaf(scope, "waf", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: REQUIRED_PROVIDERS,
  exampleInputs: {
    name: "mcp-tools",
    environment: "dev",
    kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
