import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exampleConfigurations, renderFedrampTable, renderFedrampTests } from "../fedramp/render.js";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import { renderModuleEnvironment } from "../publish/environment.js";
import type { ModuleDefinition } from "../publish/module.js";
import { MCP_SERVER_CROSS_CHECKS, MCP_SERVER_INPUTS } from "./inputs.js";
import { McpServer } from "./mcp-server.js";
import { MCP_SERVER_OUTPUTS } from "./outputs.js";
import type { McpServerProps } from "./props.js";

/** Valid values for the required variables: the baseline of the module's terraform tests. */
const EXAMPLE_INPUTS: Record<string, unknown> = {
  name: "mcp-tools",
  environment: "dev",
  image_uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-server:1.0.0",
  vpc_id: "vpc-0123456789abcdef0",
  vpc_subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
  vpc_security_group_ids: ["sg-0123456789abcdef0"],
  kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

/** The published `modules/mcp_server`. */
export const MCP_SERVER_MODULE: ModuleDefinition<McpServerProps, McpServer> = {
  name: "mcp_server",
  inputs: MCP_SERVER_INPUTS,
  crossChecks: MCP_SERVER_CROSS_CHECKS,
  outputs: MCP_SERVER_OUTPUTS,
  build: (scope, props) => new McpServer(scope, "mcp-server", props),
  preconditionsOn: (server) => server.function.function,
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: REQUIRED_PROVIDERS,
  newerProviderOnly: [
    { path: ["resource", "aws_lambda_function", "this", "dynamic", "tenancy_config"], since: "6.23.0" },
    // Per-resource Region (6.0): CloudFront log delivery is configured in us-east-1 only.
    { path: ["resource", "aws_cloudwatch_log_delivery_source", "cloudfront", "region"], since: "6.0.0" },
    { path: ["resource", "aws_cloudwatch_log_delivery", "cloudfront", "region"], since: "6.0.0" },
  ],
  exampleInputs: EXAMPLE_INPUTS,
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
  generate: async () => {
    const configurations = await exampleConfigurations(fileURLToPath(new URL("../../examples", import.meta.url)), EXAMPLE_INPUTS);
    return {
      files: { "tests/fedramp.tftest.hcl": renderFedrampTests(configurations) },
      readme: { FEDRAMP: renderFedrampTable(configurations), ENVIRONMENT: renderModuleEnvironment() },
    };
  },
};
