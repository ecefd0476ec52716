import { Fn, Op, ref, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { ifElse, join, stableName } from "../lib/expr.js";
import { policyDocument } from "../lib/iam.js";
import type { ResolvedMcpServerProps } from "./defaults.js";

export interface McpFunctionProps {
  readonly server: ResolvedMcpServerProps;
  /** `<name>-<environment>`: function, role and log group names derive from it. */
  readonly baseName: string;
  /** Environment variables the module owns (`MCP_*`), merged over the user's. */
  readonly moduleEnvironment: Record<string, string>;
  readonly tags: Record<string, string>;
}

/**
 * The MCP function: a container-image Lambda function in the VPC, its execution role with
 * least privilege (FedRAMP AC-6), and its KMS-encrypted log group (AU-2, SC-28).
 */
export class McpFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: McpFunctionProps) {
    super(scope, id);
    const p = props.server;

    this.logGroup = stableName(
      new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/lambda/${props.baseName}`,
        retentionInDays: p.logRetentionDays,
        kmsKeyId: p.kmsKeyArn,
        tags: props.tags,
      }),
      "lambda",
    );

    this.role = stableName(
      new IamRole(this, "role", {
        name: `${props.baseName}-lambda`,
        description: `Execution role of the ${props.baseName} MCP server function`,
        assumeRolePolicy: Token.asString(
          Fn.jsonencode({
            Version: "2012-10-17",
            Statement: [
              { Sid: "LambdaAssumeRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
            ],
          }),
        ),
        tags: props.tags,
      }),
      "lambda",
    );

    const policy = stableName(
      new IamRolePolicy(this, "policy", {
        name: "mcp-server",
        role: this.role.id,
        policy: policyDocument([
          {
            when: true,
            statements: [
              {
                // Only this function's log group; the module creates the group, so no CreateLogGroup.
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: join(this.logGroup.arn, ":*"),
              },
              {
                // Lambda manages the function's network interfaces with the execution role. EC2
                // Describe* calls have no resource-level permissions, so these take "*"
                // (same actions as AWSLambdaVPCAccessExecutionRole; Lambda guide, configuration-vpc).
                Sid: "ManageVpcNetworkInterfaces",
                Effect: "Allow",
                Action: [
                  "ec2:CreateNetworkInterface",
                  "ec2:DescribeNetworkInterfaces",
                  "ec2:DescribeSubnets",
                  "ec2:DeleteNetworkInterface",
                  "ec2:AssignPrivateIpAddresses",
                  "ec2:UnassignPrivateIpAddresses",
                ],
                Resource: "*",
              },
              {
                Sid: "DecryptEnvironment",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: p.kmsKeyArn,
              },
            ],
          },
          {
            when: p.enableXrayTracing,
            statements: [
              {
                // X-Ray has no resource-level permissions (X-Ray guide, security_iam_service-with-iam).
                Sid: "WriteTraces",
                Effect: "Allow",
                Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                Resource: "*",
              },
            ],
          },
        ]),
      }),
      "lambda",
    );

    const environment = mergeMaps(p.environmentVariables, props.moduleEnvironment);

    this.function = stableName(
      new LambdaFunction(this, "function", {
        functionName: props.baseName,
        description: `MCP server ${p.name} (${p.environment})`,
        role: this.role.arn,
        packageType: "Image",
        imageUri: p.imageUri,
        memorySize: p.memorySize,
        timeout: p.timeout,
        reservedConcurrentExecutions: p.reservedConcurrentExecutions,
        kmsKeyArn: p.kmsKeyArn,
        environment: { variables: environment },
        vpcConfig: { subnetIds: p.vpcSubnetIds, securityGroupIds: p.vpcSecurityGroupIds },
        tracingConfig: { mode: ifElse(p.enableXrayTracing, "Active", "PassThrough") },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        // The log group must exist first, or Lambda creates it on first invoke without
        // encryption or retention. CreateFunction with a VPC config checks the role's EC2
        // permissions, so the inline policy must be attached first too.
        dependsOn: [this.logGroup, policy],
        lifecycle: {
          postcondition: [
            {
              condition: Op.eq(ref("self.vpc_config[0].vpc_id"), p.vpcId),
              errorMessage: "vpc_subnet_ids and vpc_security_group_ids must belong to vpc_id.",
            },
          ],
        },
        tags: props.tags,
      }),
      "this",
    );
  }
}

/** `merge(a, b)`: keys of `b` win. Folds to a plain object when both are literals. */
export function mergeMaps(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  if (!Token.isUnresolved(a) && !Token.isUnresolved(b)) return { ...a, ...b };
  return Token.asStringMap(Fn.merge([a, b]));
}
