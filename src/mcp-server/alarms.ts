import { Op, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { AlarmTopic } from "../lib/alarm-topic.js";
import { isToken, stableName } from "../lib/expr.js";
import type { ResolvedMcpServerProps } from "./inputs.js";
import { defined } from "../lib/defined.js";

/** Alarm period, seconds. */
const PERIOD_SECONDS = 300;

export interface McpAlarmsProps {
  /** The server props this part reads (defaults applied). */
  readonly server: Pick<
    ResolvedMcpServerProps,
    "alarmActionsEnabled" | "alarmSnsTopicArn" | "createAlarmSnsTopic" | "kmsKeyArn" | "timeout"
  >;
  readonly baseName: string;
  readonly accountId: string;
  readonly functionName: string;
  readonly apiId: string;
  readonly stageName: string;
  readonly tags: Record<string, string>;
}

/** One of the five alarms: name suffix, metric, statistic and threshold. */
interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly namespace: "AWS/Lambda" | "AWS/ApiGateway";
  readonly metricName: string;
  readonly statistic?: "Sum";
  readonly extendedStatistic?: "p99";
  readonly threshold: number;
  readonly evaluationPeriods: number;
}

/**
 * The module's five alarms (FedRAMP SI-4, IR-4): Lambda Errors, Duration p99 at 80% of the
 * timeout, Throttles, API 5xx and API Latency p99 at 90% of the timeout, all notifying one SNS
 * topic ({@link AlarmTopic}: the caller's, or one the module creates).
 */
export class McpAlarms extends Construct {
  /** ARN of the topic the alarms notify. */
  readonly topicArn: string;
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: McpAlarmsProps) {
    super(scope, id);
    const p = props.server;
    // Known at plan even when the given ARN is not (a topic created in the same apply).
    this.topicArn = new AlarmTopic(this, "topic", {
      topicArn: p.alarmSnsTopicArn,
      create: p.createAlarmSnsTopic,
      name: `${props.baseName}-alarms`,
      kmsKeyArn: p.kmsKeyArn,
      accountId: props.accountId,
      tags: props.tags,
    }).arn;

    const lambda = { FunctionName: props.functionName };
    const api = { ApiId: props.apiId, Stage: props.stageName };
    const specs: (AlarmSpec & { dimensions: Record<string, string> })[] = [
      {
        id: "lambda_errors",
        description: "The MCP server function returned errors (unhandled exceptions, timeouts).",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        statistic: "Sum",
        threshold: 0,
        evaluationPeriods: 1,
        dimensions: lambda,
      },
      {
        id: "lambda_duration",
        description: "p99 function duration is above 80% of the timeout: requests are close to timing out.",
        namespace: "AWS/Lambda",
        metricName: "Duration",
        extendedStatistic: "p99",
        threshold: milliseconds(p.timeout, 0.8),
        evaluationPeriods: 3,
        dimensions: lambda,
      },
      {
        id: "lambda_throttles",
        description: "Invocations were throttled: reserved or account concurrency is exhausted.",
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        statistic: "Sum",
        threshold: 0,
        evaluationPeriods: 1,
        dimensions: lambda,
      },
      {
        id: "api_5xx",
        description: "The HTTP API returned 5xx responses (function errors, integration timeouts).",
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        statistic: "Sum",
        threshold: 0,
        evaluationPeriods: 1,
        dimensions: api,
      },
      {
        id: "api_latency",
        description: "p99 API latency is above 90% of the timeout: clients are close to integration timeouts.",
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        extendedStatistic: "p99",
        threshold: milliseconds(p.timeout, 0.9),
        evaluationPeriods: 3,
        dimensions: api,
      },
    ];

    this.alarms = specs.map((s) =>
      stableName(
        new CloudwatchMetricAlarm(
          this,
          s.id,
          defined({
            alarmName: `${props.baseName}-${s.id.replace(/_/g, "-")}`,
            alarmDescription: s.description,
            namespace: s.namespace,
            metricName: s.metricName,
            dimensions: s.dimensions,
            statistic: s.statistic,
            extendedStatistic: s.extendedStatistic,
            period: PERIOD_SECONDS,
            evaluationPeriods: s.evaluationPeriods,
            threshold: s.threshold,
            comparisonOperator: "GreaterThanThreshold",
            // No traffic is not an incident.
            treatMissingData: "notBreaching",
            actionsEnabled: p.alarmActionsEnabled,
            alarmActions: [this.topicArn],
            okActions: [this.topicArn],
            tags: props.tags,
          }),
        ),
        s.id,
      ),
    );
  }
}

/** `fraction` of `seconds`, in milliseconds (CloudWatch's unit for Duration and Latency). */
function milliseconds(seconds: number, fraction: number): number {
  return isToken(seconds) ? Token.asNumber(Op.mul(seconds, 1000 * fraction)) : seconds * 1000 * fraction;
}
