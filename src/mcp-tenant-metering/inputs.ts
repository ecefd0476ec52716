import {
  ALARM_ACTIONS_ENABLED_INPUT,
  ALARM_SNS_TOPIC_ARN_INPUT,
  CREATE_ALARM_SNS_TOPIC_INPUT,
  ENVIRONMENT_INPUT,
  kmsKeyArnInput,
  lambdaRoleNameInput,
  NAME_INPUT,
  TAGS_INPUT,
} from "../lib/common-inputs.js";
import { integer, moduleInputs, pattern, type CrossInputCheck } from "../lib/module-spec.js";
import type { TenantMeteringProps } from "./props.js";

const LOG_GROUP_NAME = /^[A-Za-z0-9_/.#-]{1,512}$/;

export const METERING_INPUTS = moduleInputs<TenantMeteringProps>()(
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  kmsKeyArnInput<TenantMeteringProps>("ARN of the KMS key for the usage table and the alarm topic"),
  lambdaRoleNameInput<TenantMeteringProps>(
    "Name of the MCP function's execution role (mcp_server's lambda_role_name): it receives the counter policy",
  ),
  {
    name: "api_log_group_name",
    prop: "apiLogGroupName",
    type: "string",
    description: "Name of the API access log group (mcp_server's api_log_group_name), whose JSON records carry tenantId",
    nullable: false,
    rules: [
      pattern(LOG_GROUP_NAME, "a CloudWatch Logs log group name (letters, digits, _ / . # -), not an ARN", {
        rejects: ["arn:aws:logs:us-east-1:123456789012:log-group:/x", ""],
      }),
    ],
  },
  {
    name: "tenant_requests_alarm_threshold",
    prop: "tenantRequestsAlarmThreshold",
    type: "number",
    description: "Requests one tenant may make in 5 minutes before the noisy-neighbour alarm fires",
    default: 3000,
    nullable: false,
    rules: [integer({ min: 1, unit: "requests" })],
  },
  {
    name: "server_errors_alarm_threshold",
    prop: "serverErrorsAlarmThreshold",
    type: "number",
    description: "5xx responses in 5 minutes (all tenants) before the error alarm fires",
    default: 10,
    nullable: false,
    rules: [integer({ min: 1, unit: "responses" })],
  },
  ALARM_SNS_TOPIC_ARN_INPUT,
  CREATE_ALARM_SNS_TOPIC_INPUT,
  ALARM_ACTIONS_ENABLED_INPUT,
);

export const METERING_CROSS_CHECKS: readonly CrossInputCheck<TenantMeteringProps>[] = [];
