import { Fn, Op, ref, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction, type LambdaFunctionTenancyConfig } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { firstInstanceAttr, ifElse, isToken, join, stableName } from "../lib/expr.js";
import { jsonLength, LAMBDA_ENVIRONMENT_BYTES } from "./inputs.js";
import { policyDocument, type StatementGroup } from "../lib/iam.js";
import type { ResolvedMcpServerProps } from "./inputs.js";
import { defined } from "../lib/defined.js";

export interface McpFunctionProps {
  /** The server props this part reads (defaults applied). */
  readonly server: Pick<
    ResolvedMcpServerProps,
    | "enableXrayTracing"
    | "imageUri"
    | "kmsKeyArn"
    | "logRetentionDays"
    | "memorySize"
    | "reservedConcurrentExecutions"
    | "timeout"
    | "vpcId"
    | "vpcSecurityGroupIds"
    | "vpcSubnetIds"
  >;
  /** Function name; the log group is `/aws/lambda/<name>`. */
  readonly functionName: string;
  /** IAM role name (global per account: include the Region). */
  readonly roleName: string;
  readonly description: string;
  /** Stable address of the function (`this`, `router`); role, policy and log group use `roleAddress`. */
  readonly address: string;
  readonly roleAddress: string;
  /** `count` for an optional function. @default always present */
  readonly count?: number;
  /** Overrides the image's `CMD` (handler), e.g. `["index.routerHandler"]`. @default the image's */
  readonly command?: string[];
  /** Reserved concurrency, -1 for unreserved. @default the server's `reservedConcurrentExecutions` */
  readonly reservedConcurrentExecutions?: number;
  /** Memory, MB. @default the server's `memorySize` */
  readonly memorySize?: number;
  /** Timeout, seconds. @default the server's `timeout` */
  readonly timeout?: number;
  /** Environment variables (the caller merges user and module variables). */
  readonly environment: Record<string, string>;
  /** Permissions beyond logs, VPC networking, KMS decrypt and X-Ray. */
  readonly statements?: readonly StatementGroup[];
  /** `tenancy_config` (hashicorp/aws >= 6.23). @default none */
  readonly tenancyConfig?: LambdaFunctionTenancyConfig | undefined;
  readonly tags: Record<string, string>;
}

/**
 * A container-image function in the VPC with its execution role (least privilege, FedRAMP
 * AC-6) and its KMS-encrypted log group (AU-2, SC-28). Used for the MCP function, the tenant
 * router and the Cognito triggers.
 */
export class McpFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  private readonly counted: boolean;

  constructor(scope: Construct, id: string, props: McpFunctionProps) {
    super(scope, id);
    const p = props.server;
    this.counted = props.count !== undefined;
    const count = props.count;

    this.logGroup = stableName(
      new CloudwatchLogGroup(
        this,
        "log-group",
        defined({
          count,
          name: `/aws/lambda/${props.functionName}`,
          retentionInDays: p.logRetentionDays,
          kmsKeyId: p.kmsKeyArn,
          tags: props.tags,
        }),
      ),
      props.roleAddress,
    );

    this.role = stableName(
      new IamRole(
        this,
        "role",
        defined({
          count,
          name: props.roleName,
          description: `Execution role of ${props.functionName}`,
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
      ),
      props.roleAddress,
    );

    const policy = stableName(
      new IamRolePolicy(
        this,
        "policy",
        defined({
          count,
          name: "mcp-server",
          role: this.attr(this.role, "id"),
          policy: policyDocument([
            {
              when: true,
              statements: [
                {
                  // Only this function's log group; the module creates the group, so no CreateLogGroup.
                  Sid: "WriteOwnLogs",
                  Effect: "Allow",
                  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                  Resource: join(this.attr(this.logGroup, "arn"), ":*"),
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
                { Sid: "DecryptEnvironment", Effect: "Allow", Action: ["kms:Decrypt"], Resource: p.kmsKeyArn },
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
            ...(props.statements ?? []),
          ]),
        }),
      ),
      props.roleAddress,
    );

    this.function = stableName(
      new LambdaFunction(
        this,
        "function",
        defined({
          count,
          functionName: props.functionName,
          description: props.description,
          role: this.attr(this.role, "arn"),
          packageType: "Image",
          imageUri: p.imageUri,
          imageConfig: props.command ? { command: props.command } : undefined,
          memorySize: props.memorySize ?? p.memorySize,
          timeout: props.timeout ?? p.timeout,
          reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? p.reservedConcurrentExecutions,
          kmsKeyArn: p.kmsKeyArn,
          environment: { variables: props.environment },
          vpcConfig: { subnetIds: p.vpcSubnetIds, securityGroupIds: p.vpcSecurityGroupIds },
          tracingConfig: { mode: ifElse(p.enableXrayTracing, "Active", "PassThrough") },
          loggingConfig: { logFormat: "JSON", logGroup: this.attr(this.logGroup, "name") },
          tenancyConfig: props.tenancyConfig,
          // The log group must exist first, or Lambda creates it on first invoke without
          // encryption or retention. CreateFunction with a VPC config checks the role's EC2
          // permissions, so the inline policy must be attached first too.
          dependsOn: [this.logGroup, policy],
          lifecycle: defined({
            precondition: environmentSizeCheck(props.functionName, props.environment),
            postcondition: [
              {
                condition: Op.eq(ref("self.vpc_config[0].vpc_id"), p.vpcId),
                errorMessage: "vpc_subnet_ids and vpc_security_group_ids must belong to vpc_id.",
              },
            ],
          }),
          tags: props.tags,
        }),
      ),
      props.address,
    );
  }

  /** An attribute of one of this construct's resources, indexed when the function is optional. */
  attr(resource: CloudwatchLogGroup | IamRole | LambdaFunction, attribute: string): string {
    return this.counted ? firstInstanceAttr(resource, attribute) : Token.asString((resource as any)[camel(attribute)]);
  }
}

/**
 * Lambda refuses an environment over 4 KB (keys and values). Checked on the whole map the
 * function gets, at plan when its values are known: a precondition when any is a Terraform
 * expression, at synth when all are literals.
 * @throws Error at synth for a literal environment over the limit
 */
function environmentSizeCheck(functionName: string, environment: Record<string, string>) {
  if (!isToken(environment)) {
    if (jsonLength(environment) > LAMBDA_ENVIRONMENT_BYTES) {
      throw new Error(
        `${functionName}: the environment is ${jsonLength(environment)} bytes as JSON; Lambda allows ${LAMBDA_ENVIRONMENT_BYTES}.`,
      );
    }
    return undefined;
  }
  return [
    {
      condition: Op.lte(Fn.lengthOf(Fn.jsonencode(environment)), LAMBDA_ENVIRONMENT_BYTES),
      errorMessage: `The function's environment (environment_variables and the module's MCP_* variables) must be at most ${LAMBDA_ENVIRONMENT_BYTES} bytes as JSON (Lambda's limit): shorten environment_variables or cors_allowed_origins.`,
    },
  ];
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
