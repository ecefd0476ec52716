/**
 * Inputs several modules share, declared once: the server's name, environment and tags, the
 * KMS key, the MCP function's role, and the alarm topic. A module lists them in its own inputs
 * (a description may be overridden with a spread) so every module validates them alike.
 */
import type { Bool } from "./expr.js";
import { moduleInputs, nullable, oneOf, pattern, type ModuleInput, type Rule } from "./module-spec.js";

/** Props every module of this project takes: the server's name, environment and tags. */
export interface NamedProps {
  readonly name: string;
  readonly environment: string;
  readonly tags?: Record<string, string>;
}

/** Props of the alarm topic inputs. */
export interface AlarmTopicInputProps {
  readonly alarmSnsTopicArn?: string;
  readonly createAlarmSnsTopic?: Bool;
  readonly alarmActionsEnabled?: Bool;
}

/** Deployment environments; `prod` turns on deletion protection and refuses `enable_auth = false`. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

const NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/(mrk-)?[a-zA-Z0-9-]+$/;
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** Resource tags as AWS accepts them (Tagging AWS resources, tag naming limits). */
const TAGS_RULE: Rule = {
  hcl: (v) => `alltrue([for k, v in ${v} : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])`,
  test: (v: Record<string, string>) =>
    Object.entries(v).every(([k, val]) => k.length >= 1 && k.length <= 128 && val.length <= 256 && !k.toLowerCase().startsWith("aws:")),
  allows: 'a map of tags with keys of 1-128 characters not starting with "aws:" and values of at most 256 characters',
  message: (name) => `${name} keys must be 1-128 characters and not start with "aws:" (reserved by AWS); values at most 256 characters.`,
  rejects: [{ "aws:owner": "me" }],
};

const named = moduleInputs<NamedProps>();

/** `name`, `environment` and `tags`, in that order. */
export const [NAME_INPUT, ENVIRONMENT_INPUT, TAGS_INPUT] = named(
  {
    name: "name",
    prop: "name",
    type: "string",
    description: "Name identifier for the MCP server resources",
    nullable: false,
    rules: [
      pattern(NAME, "3-32 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen", {
        reason: "it prefixes function, role, API, log group and Cognito domain names",
        rejects: ["My-Tools", "ab-", "1tools", "a".repeat(33)],
      }),
    ],
  },
  {
    name: "environment",
    prop: "environment",
    type: "string",
    description: "Deployment environment (dev, staging, or prod)",
    nullable: false,
    rules: [oneOf(ENVIRONMENTS, { rejects: ["production"] })],
  },
  {
    name: "tags",
    prop: "tags",
    type: "map(string)",
    description: "Additional tags to apply to all resources",
    default: {},
    nullable: false,
    rules: [TAGS_RULE],
  },
);

/** `kms_key_arn`: a KMS key ARN, never an alias (CloudWatch Logs, DynamoDB and Lambda need the ARN). */
export function kmsKeyArnInput<P extends { kmsKeyArn: string }>(description: string): ModuleInput<P> {
  return {
    name: "kms_key_arn",
    prop: "kmsKeyArn" as keyof P & string,
    type: "string",
    description,
    nullable: false,
    rules: [
      pattern(KMS_KEY_ARN, "the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), not an alias", {
        reason: "CloudWatch Logs and Lambda need the key ARN",
        rejects: ["alias/aws/lambda", "arn:aws:kms:us-east-1:123456789012:alias/mcp"],
      }),
    ],
  };
}

/** `lambda_role_name`: the MCP function's execution role (mcp_server's output), by name. */
export function lambdaRoleNameInput<P extends { lambdaRoleName: string }>(description: string): ModuleInput<P> {
  return {
    name: "lambda_role_name",
    prop: "lambdaRoleName" as keyof P & string,
    type: "string",
    description,
    nullable: false,
    rules: [
      pattern(ROLE_NAME, "an IAM role name (1-64 of letters, digits and +=,.@_-), not an ARN", {
        rejects: ["arn:aws:iam::123456789012:role/x", ""],
      }),
    ],
  };
}

/** `alarm_sns_topic_arn`, `create_alarm_sns_topic` and `alarm_actions_enabled`, in that order. */
export const [ALARM_SNS_TOPIC_ARN_INPUT, CREATE_ALARM_SNS_TOPIC_INPUT, ALARM_ACTIONS_ENABLED_INPUT] = moduleInputs<AlarmTopicInputProps>()(
  {
    name: "alarm_sns_topic_arn",
    prop: "alarmSnsTopicArn",
    type: "string",
    description: "ARN of an existing SNS topic for CloudWatch alarm notifications (creates a new topic if null)",
    default: null,
    rules: [nullable(pattern(SNS_TOPIC_ARN, "an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)", { rejects: ["my-topic"] }))],
  },
  {
    name: "create_alarm_sns_topic",
    prop: "createAlarmSnsTopic",
    type: "bool",
    description:
      "Create the alarm SNS topic. null: created when alarm_sns_topic_arn is null, which must be known at plan; set false when the topic is created in the same apply",
    default: null,
  },
  {
    name: "alarm_actions_enabled",
    prop: "alarmActionsEnabled",
    type: "bool",
    description: "Enable alarm actions for CloudWatch metric alarms",
    default: true,
    nullable: false,
  },
);

/** Values CloudWatch Logs accepts for a log group's `retention_in_days` (PutRetentionPolicy), minus 0 ("never expire"). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The rule of every `log_retention_days` input: a value CloudWatch Logs accepts, never 0 (audit
 * records need a retention period, FedRAMP AU-11).
 */
export function logRetentionDaysRule(): Rule {
  return oneOf(LOG_RETENTION_DAYS, {
    allows: `one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    reason: "(0, never expire, is refused: audit logs need a retention period)",
    rejects: [0, 10, 4000],
  });
}

/** An IAM name prefix short enough for `<prefix>-router` (64 characters for role names). */
const IAM_NAME_PREFIX = /^[A-Za-z0-9+=,.@_-]{1,55}$/;

/**
 * `iam_name_prefix`: IAM names are global per account, so the default adds the Region to
 * `<name>-<environment>`; set it to keep names from before, or to fit a naming policy.
 */
export function iamNamePrefixInput<P extends { iamNamePrefix?: string }>(what: string): ModuleInput<P> {
  return {
    name: "iam_name_prefix",
    prop: "iamNamePrefix" as keyof P & string,
    type: "string",
    description: `Prefix of the IAM ${what} this module creates; null means <name>-<environment>-<region>. IAM names are global per account, so two Regions (or two instances) need different prefixes`,
    default: null,
    rules: [
      nullable(
        pattern(IAM_NAME_PREFIX, "1-55 of letters, digits and +=,.@_-", {
          reason: "IAM name characters, leaving room for the longest suffix",
          rejects: ["has space", "a".repeat(56), ""],
        }),
      ),
    ],
  };
}
