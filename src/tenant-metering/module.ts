import { readFileSync } from "node:fs";
import type { ModuleOutput } from "../lib/module-spec.js";
import { AWS_PROVIDER_RANGE, REQUIRED_TERRAFORM } from "../mcp-server/module.js";
import type { ModuleDefinition } from "../publish/module.js";
import { METERING_CROSS_CHECKS, METERING_INPUTS } from "./inputs.js";
import type { TenantMeteringProps } from "./props.js";
import { TenantMetering } from "./tenant-metering.js";

export const METERING_OUTPUTS: readonly ModuleOutput<TenantMetering>[] = [
  { name: "usage_table_name", description: "Name of the usage table (tenant_id + period)", value: (m) => m.table.name },
  { name: "usage_table_arn", description: "ARN of the usage table", value: (m) => m.table.arn },
  { name: "metric_namespace", description: "CloudWatch namespace of the Requests and ServerErrors metrics (with and without TenantId)", value: (m) => m.namespace },
  { name: "contributor_insight_rule_name", description: "Contributor Insights rule ranking tenants by requests", value: (m) => m.rule.ruleName },
  { name: "sns_topic_arn", description: "ARN of the SNS topic the metering alarms notify", value: (m) => m.topicArn },
  {
    name: "function_environment",
    description: "Environment for the MCP function (METERING_TABLE_NAME): merge into mcp_server's environment_variables",
    value: (m) => m.functionEnvironment,
  },
];

/** The published `modules/mcp_tenant_metering`. */
export const METERING_MODULE: ModuleDefinition<TenantMeteringProps, TenantMetering> = {
  name: "mcp_tenant_metering",
  inputs: METERING_INPUTS,
  crossChecks: METERING_CROSS_CHECKS,
  outputs: METERING_OUTPUTS,
  build: (scope, props) => new TenantMetering(scope, "metering", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_RANGE } },
  exampleInputs: {
    name: "mcp-tools",
    environment: "dev",
    kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    lambda_role_name: "mcp-tools-dev-lambda",
    api_log_group_name: "/aws/apigateway/mcp-tools-dev",
  },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
