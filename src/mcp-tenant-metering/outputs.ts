/** The outputs of the published module, read off the construct. */
import type { ModuleOutput } from "../lib/module-spec.js";
import type { TenantMetering } from "./tenant-metering.js";

export const METERING_OUTPUTS: readonly ModuleOutput<TenantMetering>[] = [
  { name: "usage_table_name", description: "Name of the usage table (tenant_id + period)", value: (m) => m.table.name },
  { name: "usage_table_arn", description: "ARN of the usage table", value: (m) => m.table.arn },
  {
    name: "metric_namespace",
    description: "CloudWatch namespace of the Requests and ServerErrors metrics (with and without TenantId)",
    value: (m) => m.namespace,
  },
  {
    name: "contributor_insight_rule_name",
    description: "Contributor Insights rule ranking tenants by requests",
    value: (m) => m.rule.ruleName,
  },
  { name: "sns_topic_arn", description: "ARN of the SNS topic the metering alarms notify", value: (m) => m.topicArn },
  {
    name: "function_environment",
    description: "Environment for the MCP function (METERING_TABLE_NAME): merge into mcp_server's environment_variables",
    value: (m) => m.functionEnvironment,
  },
];
