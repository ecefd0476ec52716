import { hclRegex, isIntegerIn, matches, type CrossInputCheck, type ModuleInput } from "../lib/module-spec.js";
import { ENVIRONMENT_INPUT, MCP_SERVER_INPUTS, NAME_INPUT, TAGS_INPUT } from "../mcp-server/inputs.js";
import type { TenantMeteringProps } from "./props.js";

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/(mrk-)?[a-zA-Z0-9-]+$/;
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const LOG_GROUP_NAME = /^[A-Za-z0-9_\/.#-]{1,512}$/;
const fromServer = (name: string) => MCP_SERVER_INPUTS.find((i) => i.name === name)! as unknown as ModuleInput<TenantMeteringProps>;

export const METERING_INPUTS: readonly ModuleInput<TenantMeteringProps>[] = [
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  {
    name: "kms_key_arn",
    prop: "kmsKeyArn",
    type: "string",
    description: "ARN of the KMS key for the usage table and the alarm topic",
    nullable: false,
    validation: [
      {
        condition: `can(regex(${hclRegex(KMS_KEY_ARN)}, var.kms_key_arn))`,
        errorMessage: "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), not an alias.",
        test: (v) => matches(KMS_KEY_ARN, v),
        rejects: ["alias/mcp"],
      },
    ],
  },
  {
    name: "lambda_role_name",
    prop: "lambdaRoleName",
    type: "string",
    description: "Name of the MCP function's execution role (mcp_server's lambda_role_name): it receives the counter policy",
    nullable: false,
    validation: [
      {
        condition: `can(regex(${hclRegex(ROLE_NAME)}, var.lambda_role_name))`,
        errorMessage: "lambda_role_name must be an IAM role name (1-64 of letters, digits and +=,.@_-), not an ARN.",
        test: (v) => matches(ROLE_NAME, v),
        rejects: ["arn:aws:iam::123456789012:role/x"],
      },
    ],
  },
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
