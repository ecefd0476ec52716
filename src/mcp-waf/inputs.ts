import { ENVIRONMENT_INPUT, logRetentionDaysRule, NAME_INPUT, TAGS_INPUT } from "../lib/common-inputs.js";
import { EDGE_REGION } from "../lib/edge-logs.js";
import { integer, listOf, moduleInputs, nullable, pattern, type CrossInputCheck } from "../lib/module-spec.js";
import type { McpWafProps } from "./props.js";

const IPV4_CIDR =
  /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;

/** IPv4 CIDR blocks, at most the 10,000 addresses a WAF IP set holds (WAF quotas). */
const cidrs = listOf(pattern(IPV4_CIDR, "an IPv4 CIDR block", { rejects: ["203.0.113.0", "2001:db8::/32", "300.1.1.1/8"] }), {
  max: 10000,
  allows: "a list of IPv4 CIDR blocks such as 203.0.113.0/24",
  reason: "(at most 10000, the WAF IP set limit)",
});

/** A KMS key ARN in the edge Region, where the web ACL's log groups are (a log group's key must be in its Region). */
const EDGE_KMS_KEY_ARN = new RegExp(`^arn:aws[a-z-]*:kms:${EDGE_REGION}:[0-9]{12}:key/(mrk-)?[a-zA-Z0-9-]+$`);

/** Days the edge logs are kept by default: a year online, as OMB M-21-31 asks of log data (FedRAMP AU-11). */
export const EDGE_LOG_RETENTION_DAYS = 365;

export const MCP_WAF_INPUTS = moduleInputs<McpWafProps>()(
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  {
    name: "rate_limit_per_5_minutes",
    prop: "rateLimitPer5Minutes",
    type: "number",
    description: "Requests one IP address may make in any 5-minute window before WAF blocks it",
    default: 2000,
    nullable: false,
    rules: [integer({ min: 10, max: 2000000000, reason: "(WAF rate-based rule limits)" })],
  },
  {
    name: "allowed_ip_cidrs",
    prop: "allowedIpCidrs",
    type: "list(string)",
    description: "IPv4 CIDR blocks that alone may reach the server; empty allows every address",
    default: [],
    nullable: false,
    rules: [cidrs],
  },
  {
    name: "blocked_ip_cidrs",
    prop: "blockedIpCidrs",
    type: "list(string)",
    description: "IPv4 CIDR blocks that are always blocked",
    default: [],
    nullable: false,
    rules: [cidrs],
  },
  {
    name: "enable_logging",
    prop: "enableLogging",
    type: "bool",
    description:
      "Log every request the web ACL inspects to the log group aws-waf-logs-<name>-<environment> (authorization and cookie headers redacted), and create the log group /aws/cloudfront/<name>-<environment> with a delivery destination for the distribution's access logs (mcp_server's cloudfront_access_log_destination_arn); both encrypted with kms_key_arn. false turns both off",
    default: true,
    nullable: false,
  },
  {
    name: "kms_key_arn",
    prop: "kmsKeyArn",
    type: "string",
    description:
      "ARN of a KMS key in us-east-1 that encrypts the edge log groups, such as the key_arn of an mcp_kms module called with a us-east-1 provider; needed when enable_logging is true",
    default: null,
    rules: [
      nullable(
        pattern(EDGE_KMS_KEY_ARN, `the ARN of a KMS key in ${EDGE_REGION} (arn:aws:kms:${EDGE_REGION}:<account>:key/<id>), not an alias`, {
          reason: `the log groups of a CLOUDFRONT web ACL are in ${EDGE_REGION}, and a log group's key must be in the log group's Region`,
          rejects: ["alias/mcp", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
        }),
      ),
    ],
  },
  {
    name: "log_retention_days",
    prop: "logRetentionDays",
    type: "number",
    description: "Days CloudWatch Logs keeps the WAF logs and the CloudFront access logs",
    default: EDGE_LOG_RETENTION_DAYS,
    nullable: false,
    rules: [logRetentionDaysRule()],
  },
);

/** Rules across inputs, checked as preconditions on the web ACL. */
export const MCP_WAF_CROSS_CHECKS: readonly CrossInputCheck<McpWafProps>[] = [
  {
    reads: ["enableLogging", "kmsKeyArn"],
    condition: "!var.enable_logging || var.kms_key_arn != null",
    errorMessage: `enable_logging = true needs kms_key_arn: the edge log groups are encrypted with a customer managed key in ${EDGE_REGION} (the key_arn of an mcp_kms module called with a ${EDGE_REGION} provider). Set enable_logging = false only to run the web ACL without audit logs.`,
    test: (p) => p.enableLogging === false || (p.kmsKeyArn !== undefined && p.kmsKeyArn !== null),
    rejects: [{ kms_key_arn: null }],
  },
];
