import { Construct } from "constructs";
import { validateLiteralProps, withDefaults } from "../lib/module-spec.js";
import type { McpKmsProps } from "./props.js";
import { MCP_KMS_INPUTS } from "./inputs.js";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region/index.js";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { isToken, join, stableName } from "../lib/expr.js";
import { policyDocument, type PolicyStatement } from "../lib/iam.js";
import { CLOUDFRONT_LOG_GROUP_PREFIX, WAF_LOG_GROUP_PREFIX } from "../lib/edge-logs.js";

/** Cryptographic actions a data-at-rest integration needs (KMS guide, kms-cryptography). */
const DATA_KEY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
];

/**
 * Key administration and use by IAM principals of the account, listed action by action (no
 * `kms:*`, FedRAMP AC-6). `kms:PutKeyPolicy` is kept so the account can never lock itself out.
 */
const ACCOUNT_ACTIONS = [
  ...DATA_KEY_ACTIONS,
  "kms:CreateGrant",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:RetireGrant",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:ListKeyPolicies",
  "kms:GetKeyRotationStatus",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
];

/** Services that encrypt the server's data with the key on behalf of the account's principals. */
export const KMS_VIA_SERVICES = ["lambda", "dynamodb", "ecr", "sns"] as const;

/**
 * The customer managed key for an `mcp_server` (FedRAMP SC-12/SC-13, SC-28), with rotation on
 * and exactly the key-policy statements the server needs:
 * - `AccountAdministration`: IAM principals of the account may administer and use the key
 *   through IAM policies (KMS guide, key-policy-default);
 * - `CloudWatchLogs`: the Logs service principal of this Region, only for log groups of this
 *   server (encryption context `aws:logs:arn`; CloudWatch Logs guide, encrypt-log-data-kms):
 *   the function's and the API's, and the edge's (`aws-waf-logs-<name>-<env>` and
 *   `/aws/cloudfront/<name>-<env>`, which `mcp_waf` creates with a key of this module in us-east-1);
 * - `CloudWatchAlarmsToEncryptedSns`: CloudWatch may publish alarms to the encrypted topic
 *   (`kms:Decrypt`, `kms:GenerateDataKey`; SNS guide, sns-key-management), else delivery fails
 *   silently;
 * - `ServerDataViaAwsServices`: principals of this account, only through Lambda (environment),
 *   DynamoDB (tables), ECR (images) and SNS (topic) of this Region (`kms:ViaService`,
 *   `kms:CallerAccount`), and `ServerGrantsViaAwsServices`: the grants those services create,
 *   only for AWS resources.
 */
export class McpKms extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, given: McpKmsProps) {
    super(scope, id);
    const props = withDefaults(MCP_KMS_INPUTS, given);
    validateLiteralProps("McpKms", MCP_KMS_INPUTS, [], props, isToken);
    const account = new DataAwsCallerIdentity(this, "account", {});
    account.overrideLogicalId("current");
    const partition = new DataAwsPartition(this, "partition", {});
    partition.overrideLogicalId("current");
    const region = new DataAwsRegion(this, "region", {});
    region.overrideLogicalId("current");
    const arnPrefix = (service: string) => join("arn:", partition.partition, ":", service, ":", region.id, ":", account.accountId);
    const root = join("arn:", partition.partition, ":iam::", account.accountId, ":root");
    const prefix = join(props.name, "-", props.environment);
    const viaServices = KMS_VIA_SERVICES.map((s) => join(s, ".", region.id, ".amazonaws.com"));

    const statements: PolicyStatement[] = [
      { Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: root }, Action: ACCOUNT_ACTIONS, Resource: "*" },
      {
        Sid: "CloudWatchLogs",
        Effect: "Allow",
        Principal: { Service: join("logs.", region.id, ".amazonaws.com") },
        Action: DATA_KEY_ACTIONS,
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": [
              join(arnPrefix("logs"), ":log-group:/aws/lambda/", prefix, "*"),
              join(arnPrefix("logs"), ":log-group:/aws/apigateway/", prefix, "*"),
              join(arnPrefix("logs"), ":log-group:", WAF_LOG_GROUP_PREFIX, prefix, "*"),
              join(arnPrefix("logs"), ":log-group:", CLOUDFRONT_LOG_GROUP_PREFIX, prefix, "*"),
            ],
          },
        },
      },
      {
        Sid: "CloudWatchAlarmsToEncryptedSns",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
      },
      {
        Sid: "ServerDataViaAwsServices",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: DATA_KEY_ACTIONS,
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": account.accountId, "kms:ViaService": viaServices } },
      },
      {
        // kms:GrantIsForAWSResource is present only on grant calls: a statement of its own.
        Sid: "ServerGrantsViaAwsServices",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:CreateGrant"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:CallerAccount": account.accountId, "kms:ViaService": viaServices },
          Bool: { "kms:GrantIsForAWSResource": "true" },
        },
      },
    ];

    this.key = stableName(
      new KmsKey(this, "key", {
        description: `Encrypts the ${props.name} MCP server (${props.environment}): environment, logs, tables, images, alarm topic`,
        enableKeyRotation: true,
        rotationPeriodInDays: props.rotationPeriodInDays,
        deletionWindowInDays: props.deletionWindowInDays,
        policy: policyDocument([{ when: true, statements }]),
        tags: props.tags,
      }),
      "this",
    );
    this.alias = stableName(new KmsAlias(this, "alias", { name: join("alias/", prefix, "-mcp"), targetKeyId: this.key.keyId }), "this");
  }
}
