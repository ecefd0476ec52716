import { readFileSync } from "node:fs";
import type { ModuleOutput } from "../lib/module-spec.js";
import { AWS_PROVIDER_RANGE, REQUIRED_TERRAFORM } from "../mcp-server/module.js";
import type { ModuleDefinition } from "../publish/module.js";
import { McpWaf } from "./mcp-waf.js";
import type { McpWafProps } from "./props.js";
import { MCP_WAF_INPUTS } from "./inputs.js";
export const MCP_WAF_OUTPUTS: readonly ModuleOutput<McpWaf>[] = [
  { name: "web_acl_arn", description: "ARN of the web ACL: pass it to mcp_server's waf_acl_arn", value: (w) => w.acl.arn },
  { name: "web_acl_id", description: "ID of the web ACL", value: (w) => w.acl.id },
  { name: "web_acl_name", description: "Name of the web ACL", value: (w) => w.acl.name },
];

/** The published `modules/mcp_waf` (scope CLOUDFRONT: call it with a us-east-1 provider). */
export const MCP_WAF_MODULE: ModuleDefinition<McpWafProps, McpWaf> = {
  name: "mcp_waf",
  inputs: MCP_WAF_INPUTS,
  crossChecks: [],
  outputs: MCP_WAF_OUTPUTS,
  build: (scope, props) => new McpWaf(scope, "waf", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_RANGE } },
  exampleInputs: { name: "mcp-tools", environment: "dev" },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
