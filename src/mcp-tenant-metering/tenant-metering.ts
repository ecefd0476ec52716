import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchContributorInsightRule } from "@cdktf/provider-aws/lib/cloudwatch-contributor-insight-rule/index.js";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import type { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { AlarmTopic } from "../lib/alarm-topic.js";
import { isToken, join, stableName } from "../lib/expr.js";
import { naming } from "../lib/naming.js";
import { policyDocument } from "../lib/iam.js";
import { validateLiteralProps, withDefaults } from "../lib/module-spec.js";
import { ItemTable } from "../lib/item-table.js";
import { TABLES, type EnvSetBy } from "../../container/src/contract/index.js";
import { METERING_CROSS_CHECKS, METERING_INPUTS } from "./inputs.js";
import type { TenantMeteringProps } from "./props.js";

/** Alarm and metric period, seconds. */
const PERIOD_SECONDS = 300;
const KEYS = TABLES.usage;
/** Index listing every tenant's usage for one counter shard of a period (`YYYY-MM#NN`). */
export const USAGE_BY_PERIOD_INDEX = "by_period" satisfies keyof typeof KEYS.indexes;
const BY_PERIOD = KEYS.indexes[USAGE_BY_PERIOD_INDEX];

/**
 * Per-tenant usage of an `mcp_server`:
 * - a usage table, `tenant_id` + `period` (counter shards `YYYY-MM#NN` of a UTC month, and
 *   idempotency markers), with the GSI `by_period` for billing runs, TTL on `expires_at`,
 *   point-in-time recovery and KMS (SC-28); the function adds to one counter shard per request
 *   with `ADD` (the container's metering stage), and a month is the sum of its shards;
 * - a policy on the function's role: item reads and writes on that table and its index only;
 * - metric filters on the API's JSON access logs: requests and 5xx, in total and per `TenantId`;
 * - a Contributor Insights rule ranking tenants by requests, and alarms on the busiest tenant
 *   (noisy neighbour) and on 5xx, notifying an SNS topic (created, encrypted, when none is given).
 */
export class TenantMetering extends Construct {
  /** The usage table and its item grants. */
  readonly usage: ItemTable;
  readonly table: DynamodbTable;
  readonly namespace: string;
  readonly rule: CloudwatchContributorInsightRule;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, given: TenantMeteringProps) {
    super(scope, id);
    const props = withDefaults(METERING_INPUTS, given);
    validateLiteralProps("TenantMetering", METERING_INPUTS, METERING_CROSS_CHECKS, props, isToken);
    const { prefix, tags, isProd } = naming(this, props);
    const account = new DataAwsCallerIdentity(this, "account", {});
    account.overrideLogicalId("current");
    this.namespace = join("MCP/", prefix);

    this.usage = new ItemTable(this, "usage", {
      address: "usage",
      name: join(prefix, "-usage"),
      hashKey: KEYS.hashKey,
      rangeKey: KEYS.rangeKey,
      attribute: [
        { name: KEYS.hashKey, type: "S" },
        { name: KEYS.rangeKey, type: "S" },
      ],
      globalSecondaryIndex: [
        { name: USAGE_BY_PERIOD_INDEX, hashKey: BY_PERIOD.hashKey, rangeKey: BY_PERIOD.rangeKey, projectionType: "ALL" },
      ],
      kmsKeyArn: props.kmsKeyArn,
      isProd,
      tags,
    });
    this.table = this.usage.table;

    stableName(
      new IamRolePolicy(this, "policy", {
        name: join(prefix, "-metering"),
        role: props.lambdaRoleName,
        policy: policyDocument([
          {
            when: true,
            statements: [
              // UpdateItem ADD for counters, PutItem for the idempotency marker of a request id
              // (both inside TransactWriteItems), reads for reports. No Scan, no DeleteItem.
              this.usage.grantItems("UsageCounters", ["dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"]),
            ],
          },
        ]),
      }),
      "metering",
    );

    const filter = (id: string, pattern: string, metric: string, byTenant: boolean) =>
      stableName(
        new CloudwatchLogMetricFilter(this, id, {
          name: join(prefix, "-", id.replace(/_/g, "-")),
          logGroupName: props.apiLogGroupName,
          pattern,
          metricTransformation: {
            name: metric,
            namespace: this.namespace,
            value: "1",
            unit: "Count",
            // Metrics with dimensions are published per dimension value only: one filter each way.
            ...(byTenant ? { dimensions: { TenantId: "$.tenantId" } } : {}),
          },
        }),
        id,
      );
    // Access-log fields: see ACCESS_LOG_FORMAT in src/mcp-server/http-api.ts.
    filter("requests", '{ $.requestId = "*" }', "Requests", false);
    filter("requests_by_tenant", '{ $.requestId = "*" }', "Requests", true);
    const errors = filter("server_errors", '{ $.status = "5*" }', "ServerErrors", false);
    filter("server_errors_by_tenant", '{ $.status = "5*" }', "ServerErrors", true);

    this.rule = stableName(
      new CloudwatchContributorInsightRule(this, "rule", {
        ruleName: join(prefix, "-requests-by-tenant"),
        ruleState: "ENABLED",
        ruleDefinition: Token.asString(
          Fn.jsonencode({
            Schema: { Name: "CloudWatchLogRule", Version: 1 },
            LogGroupNames: [props.apiLogGroupName],
            LogFormat: "JSON",
            Contribution: { Keys: ["$.tenantId"], Filters: [] },
            AggregateOn: "Count",
          }),
        ),
        tags,
      }),
      "requests_by_tenant",
    );

    this.topicArn = new AlarmTopic(this, "topic", {
      topicArn: props.alarmSnsTopicArn,
      create: props.createAlarmSnsTopic,
      name: join(prefix, "-metering-alarms"),
      kmsKeyArn: props.kmsKeyArn,
      accountId: account.accountId,
      tags,
    }).arn;
    const common = {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      actionsEnabled: props.alarmActionsEnabled,
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
      tags,
    };
    stableName(
      new CloudwatchMetricAlarm(this, "tenant-requests", {
        ...common,
        alarmName: join(prefix, "-tenant-requests"),
        alarmDescription: "One tenant made more requests in 5 minutes than tenant_requests_alarm_threshold (noisy neighbour).",
        threshold: props.tenantRequestsAlarmThreshold,
        metricQuery: [
          {
            id: "busiest",
            expression: Token.asString(Fn.format("INSIGHT_RULE_METRIC('%s', 'MaxContributorValue')", [this.rule.ruleName])),
            period: PERIOD_SECONDS,
            label: "Requests of the busiest tenant",
            returnData: true,
          },
        ],
      }),
      "tenant_requests",
    );
    stableName(
      new CloudwatchMetricAlarm(this, "server-errors", {
        ...common,
        alarmName: join(prefix, "-server-errors"),
        alarmDescription: "More 5xx responses in 5 minutes than server_errors_alarm_threshold, all tenants together.",
        namespace: this.namespace,
        metricName: "ServerErrors",
        statistic: "Sum",
        period: PERIOD_SECONDS,
        threshold: props.serverErrorsAlarmThreshold,
        dependsOn: [errors],
      }),
      "server_errors",
    );
  }

  /** Environment for the MCP function (merge into mcp_server's `environment_variables`). */
  get functionEnvironment(): Record<EnvSetBy<"mcp_tenant_metering">, string> {
    return { METERING_TABLE_NAME: this.table.name };
  }
}
