import { Construct } from "constructs";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy/index.js";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration/index.js";
import { CLOUDFRONT_LOG_GROUP_PREFIX, LOG_DELIVERY_SERVICE, WAF_LOG_GROUP_PREFIX, WAF_REDACTED_HEADERS } from "../lib/edge-logs.js";
import { countIf, firstInstanceAttr, join, stableName, type Bool } from "../lib/expr.js";
import { defined } from "../lib/defined.js";
import { policyDocument } from "../lib/iam.js";
import { currentRegion } from "../lib/naming.js";

/** The format CloudFront standard logs (v2) are written in: one JSON object per request. */
export const CLOUDFRONT_LOG_FORMAT = "json";

export interface McpEdgeLogsProps {
  /** Known at plan: creates every resource below, or none. */
  readonly enabled: Bool;
  /** `<name>-<environment>`. */
  readonly prefix: string;
  readonly webAclArn: string;
  /** A key in this (the edge) Region; CloudWatch Logs must be allowed to use it (mcp_kms does). */
  readonly kmsKeyArn: string | undefined;
  readonly retentionDays: number;
  readonly tags: Record<string, string>;
}

/**
 * The audit logs of the edge (FedRAMP AU-2, AU-3, AU-9, AU-11, SC-28), in the web ACL's Region:
 * - `aws-waf-logs-<prefix>`: every request the web ACL inspects, with the rule that decided it,
 *   the `authorization` and `cookie` headers redacted (WAF guide, logging-cw-logs and
 *   logging-management-configure);
 * - `/aws/cloudfront/<prefix>` and a delivery destination into it, for the CloudFront standard
 *   logs (v2, JSON) that `mcp_server` delivers from its distribution;
 * - one log resource policy letting the log delivery service of this account write to exactly
 *   these two groups, so WAF does not edit the account-wide `AWSWAF-LOGS` policy (whose size
 *   limit fails logging once many ACLs log) and CloudFront needs no console-created policy.
 *
 * Both groups are KMS-encrypted with the caller's key and keep events for `retentionDays`.
 */
export class McpEdgeLogs extends Construct {
  readonly wafLogGroup: CloudwatchLogGroup;
  readonly cloudfrontLogGroup: CloudwatchLogGroup;
  readonly deliveryPolicy: CloudwatchLogResourcePolicy;
  readonly wafLogging: Wafv2WebAclLoggingConfiguration;
  readonly cloudfrontDestination: CloudwatchLogDeliveryDestination;

  constructor(scope: Construct, id: string, props: McpEdgeLogsProps) {
    super(scope, id);
    const count = countIf(props.enabled);
    const account = new DataAwsCallerIdentity(this, "account", {});
    account.overrideLogicalId("current");
    const partition = new DataAwsPartition(this, "partition", {});
    partition.overrideLogicalId("current");
    const region = currentRegion(this);

    const logGroup = (id: string, name: string) =>
      stableName(
        new CloudwatchLogGroup(
          this,
          id,
          defined({ count, name, retentionInDays: props.retentionDays, kmsKeyId: props.kmsKeyArn, tags: props.tags }),
        ),
        id,
      );
    this.wafLogGroup = logGroup("waf", join(WAF_LOG_GROUP_PREFIX, props.prefix));
    this.cloudfrontLogGroup = logGroup("cloudfront", join(CLOUDFRONT_LOG_GROUP_PREFIX, props.prefix));

    // The statement AWS would write itself (CloudWatch Logs guide, AWS-logs-infrastructure-V2-
    // CloudWatchLogs), scoped to these two groups instead of every group of the account.
    this.deliveryPolicy = stableName(
      new CloudwatchLogResourcePolicy(this, "delivery", {
        count,
        policyName: join(props.prefix, "-edge-log-delivery"),
        policyDocument: policyDocument([
          {
            when: true,
            statements: [
              {
                Sid: "EdgeLogDelivery",
                Effect: "Allow",
                Principal: { Service: LOG_DELIVERY_SERVICE },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [
                  join(firstInstanceAttr(this.wafLogGroup, "arn"), ":log-stream:*"),
                  join(firstInstanceAttr(this.cloudfrontLogGroup, "arn"), ":log-stream:*"),
                ],
                Condition: {
                  StringEquals: { "aws:SourceAccount": account.accountId },
                  ArnLike: { "aws:SourceArn": join("arn:", partition.partition, ":logs:", region, ":", account.accountId, ":*") },
                },
              },
            ],
          },
        ]),
      }),
      "edge",
    );

    this.wafLogging = stableName(
      new Wafv2WebAclLoggingConfiguration(this, "waf-logging", {
        count,
        resourceArn: props.webAclArn,
        logDestinationConfigs: [firstInstanceAttr(this.wafLogGroup, "arn")],
        redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
        dependsOn: [this.deliveryPolicy],
      }),
      "this",
    );

    // The destination is usable once the policy exists: callers create their delivery after it.
    this.cloudfrontDestination = stableName(
      new CloudwatchLogDeliveryDestination(this, "cloudfront-destination", {
        count,
        name: join(props.prefix, "-cloudfront"),
        outputFormat: CLOUDFRONT_LOG_FORMAT,
        deliveryDestinationConfiguration: [{ destinationResourceArn: firstInstanceAttr(this.cloudfrontLogGroup, "arn") }],
        tags: props.tags,
        dependsOn: [this.deliveryPolicy],
      }),
      "cloudfront",
    );
  }
}
