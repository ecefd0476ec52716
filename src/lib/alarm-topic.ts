import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";
import { countIf, firstInstanceAttr, ifElse, isNull, local, optionalAttr, stableName, type Bool } from "./expr.js";
import { policyDocument } from "./iam.js";

export interface AlarmTopicProps {
  /** Existing topic; unset creates one. */
  readonly topicArn: string | undefined;
  /** Known-at-plan switch; unset means "create when topicArn is unset". */
  readonly create: Bool | undefined;
  readonly name: string;
  readonly kmsKeyArn: string;
  readonly accountId: string;
  readonly tags: Record<string, string>;
}

/**
 * The SNS topic alarms notify (FedRAMP IR-4): the caller's, or one created KMS-encrypted (SC-28)
 * with a policy that lets this account's CloudWatch publish and refuses publishing without TLS
 * (SC-8). `aws_sns_topic.alarms` / `aws_sns_topic_policy.alarms`.
 */
export class AlarmTopic extends Construct {
  /** ARN of the topic the alarms notify. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    // Known at plan even when the given ARN is not (a topic created in the same apply).
    const create: Bool = local(this, "create_alarm_sns_topic", ifElse(isNull(props.create), isNull(props.topicArn), props.create as Bool));
    const topic = stableName(
      new SnsTopic(this, "topic", { count: countIf(create), name: props.name, kmsMasterKeyId: props.kmsKeyArn, tags: props.tags }),
      "alarms",
    );
    const createdArn = firstInstanceAttr(topic, "arn");
    stableName(
      new SnsTopicPolicy(this, "policy", {
        count: countIf(create),
        arn: createdArn,
        policy: policyDocument([
          {
            when: true,
            statements: [
              {
                Sid: "AllowCloudWatchAlarmsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: createdArn,
                Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
              },
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "sns:Publish",
                Resource: createdArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          },
        ]),
      }),
      "alarms",
    );
    this.arn = ifElse(create, optionalAttr(topic, "arn"), props.topicArn!);
  }
}
