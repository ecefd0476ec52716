import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MCP_WAF_FEDRAMP_CONTROLS } from "../fedramp/controls.js";
import { exampleConfigurations, renderFedrampTable, renderFedrampTests } from "../fedramp/render.js";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import type { ModuleDefinition } from "../publish/module.js";
import { MCP_WAF_OUTPUTS } from "./outputs.js";
import { McpWaf } from "./mcp-waf.js";
import type { McpWafProps } from "./props.js";
import { MCP_WAF_CROSS_CHECKS, MCP_WAF_INPUTS } from "./inputs.js";

/** Valid values for the required variables: the baseline of the module's terraform tests. */
const EXAMPLE_INPUTS: Record<string, unknown> = {
  name: "mcp-tools",
  environment: "dev",
  kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

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
  exampleInputs: EXAMPLE_INPUTS,
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
  generate: async () => {
    const examples = fileURLToPath(new URL("../../examples", import.meta.url));
    const configurations = await exampleConfigurations(examples, EXAMPLE_INPUTS, "mcp_waf");
    return {
      files: { "tests/fedramp.tftest.hcl": renderFedrampTests(configurations, MCP_WAF_FEDRAMP_CONTROLS) },
      readme: { FEDRAMP: renderFedrampTable(configurations, MCP_WAF_FEDRAMP_CONTROLS) },
    };
  },
};
