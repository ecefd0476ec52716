/**
 * Per-environment settings for the stacks `cdktf deploy` manages. Every literal the stacks use
 * lives here, typed, so an environment is one object to read and review.
 *
 * The IDs below are placeholders shaped like real ones: replace them with your account's VPC,
 * subnets, security group, KMS key and image before deploying.
 */
import type { McpServerProps } from "../mcp-server/props.js";

/** S3 state backend (Terraform docs, backend "s3"); `use_lockfile` needs Terraform >= 1.10. */
export interface StateBackend {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

export interface EnvironmentSettings {
  /** Stack name and the module's `environment`. */
  readonly environment: "dev" | "staging" | "prod";
  /** AWS Region of every resource in the stack. */
  readonly region: string;
  readonly backend: StateBackend;
  /** The server, minus `environment` (taken from above). */
  readonly server: Omit<McpServerProps, "environment">;
}

const account = "123456789012";
const image = `${account}.dkr.ecr.us-east-1.amazonaws.com/mcp-server`;

export const ENVIRONMENTS: readonly EnvironmentSettings[] = [
  {
    environment: "dev",
    region: "us-east-1",
    backend: { bucket: "example-tfstate-123456789012", key: "mcp-server/dev.tfstate", region: "us-east-1" },
    server: {
      name: "mcp-tools",
      imageUri: `${image}:1.0.0`,
      vpcId: "vpc-0a1b2c3d4e5f60718",
      vpcSubnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"],
      vpcSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"],
      kmsKeyArn: `arn:aws:kms:us-east-1:${account}:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`,
      memorySize: 512,
      logRetentionDays: 30,
      tags: { Team: "platform" },
    },
  },
  {
    environment: "prod",
    region: "us-east-1",
    backend: { bucket: "example-tfstate-123456789012", key: "mcp-server/prod.tfstate", region: "us-east-1" },
    server: {
      name: "mcp-tools",
      imageUri: `${image}:1.0.0`,
      vpcId: "vpc-0b1c2d3e4f5a60718",
      vpcSubnetIds: ["subnet-0b1c2d3e4f5a60718", "subnet-0c1d2e3f4a5b60718", "subnet-0d1e2f3a4b5c60718"],
      vpcSecurityGroupIds: ["sg-0b1c2d3e4f5a60718"],
      kmsKeyArn: `arn:aws:kms:us-east-1:${account}:key/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0`,
      memorySize: 1024,
      timeout: 29,
      reservedConcurrentExecutions: 50,
      throttleRateLimit: 200,
      throttleBurstLimit: 100,
      routeThrottleOverrides: { "POST /mcp": { throttlingRateLimit: 150, throttlingBurstLimit: 75 } },
      corsAllowedOrigins: ["https://app.example.com"],
      logRetentionDays: 365,
      environmentVariables: { LOG_LEVEL: "info" },
      tags: { Team: "platform", CostCenter: "ai-infra" },
    },
  },
];
