import { hclRegex, isIntegerIn, matches, type CrossInputCheck, type ModuleInput } from "../lib/module-spec.js";
import { kmsKeyArnInput, lambdaRoleNameInput, ENVIRONMENT_INPUT, MCP_SERVER_INPUTS, NAME_INPUT, TAGS_INPUT } from "../mcp-server/inputs.js";
import type { TenantMeteringProps } from "./props.js";

const LOG_GROUP_NAME = /^[A-Za-z0-9_\/.#-]{1,512}$/;
const fromServer = (name: string) => MCP_SERVER_INPUTS.find((i) => i.name === name)! as unknown as ModuleInput<TenantMeteringProps>;

export const METERING_INPUTS: readonly ModuleInput<TenantMeteringProps>[] = [
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  kmsKeyArnInput<TenantMeteringProps>("ARN of the KMS key for the usage table and the alarm topic"),
  lambdaRoleNameInput<TenantMeteringProps>("Name of the MCP function's execution role (mcp_server's lambda_role_name): it receives the counter policy"),
  {
    name: "api_log_group_name",
    prop: "apiLogGroupName",
    type: "string",
    description: "Name of the API access log group (mcp_server's api_log_group_name), whose JSON records carry tenantId",
    nullable: false,
    validation: [
      {
        condition: `can(regex(${hclRegex(LOG_GROUP_NAME)}, var.api_log_group_name))`,
        errorMessage: "api_log_group_name must be a CloudWatch Logs log group name (letters, digits, _ / . # -), not an ARN.",
        test: (v) => matches(LOG_GROUP_NAME, v),
        rejects: ["arn:aws:logs:us-east-1:123456789012:log-group:/x", ""],
      },
    ],
  },
  {
    name: "tenant_requests_alarm_threshold",
    prop: "tenantRequestsAlarmThreshold",
    type: "number",
    description: "Requests one tenant may make in 5 minutes before the noisy-neighbour alarm fires",
    default: 3000,
    nullable: false,
    validation: [
      {
        condition: "var.tenant_requests_alarm_threshold >= 1 && floor(var.tenant_requests_alarm_threshold) == var.tenant_requests_alarm_threshold",
        errorMessage: "tenant_requests_alarm_threshold must be a whole number of requests >= 1.",
        test: (v) => isIntegerIn(v, 1, Number.MAX_SAFE_INTEGER),
        rejects: [0, 1.5],
      },
    ],
  },
  {
    name: "server_errors_alarm_threshold",
    prop: "serverErrorsAlarmThreshold",
    type: "number",
    description: "5xx responses in 5 minutes (all tenants) before the error alarm fires",
    default: 10,
    nullable: false,
    validation: [
      {
        condition: "var.server_errors_alarm_threshold >= 1 && floor(var.server_errors_alarm_threshold) == var.server_errors_alarm_threshold",
        errorMessage: "server_errors_alarm_threshold must be a whole number of responses >= 1.",
        test: (v) => isIntegerIn(v, 1, Number.MAX_SAFE_INTEGER),
        rejects: [0],
      },
    ],
  },
  fromServer("alarm_sns_topic_arn"),
  fromServer("create_alarm_sns_topic"),
  fromServer("alarm_actions_enabled"),
];

export const METERING_CROSS_CHECKS: readonly CrossInputCheck<TenantMeteringProps>[] = [];
