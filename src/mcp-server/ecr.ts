import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository/index.js";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy/index.js";
import { countIf, firstInstanceAttr, join, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import { policyDocument } from "../lib/iam.js";

/** Tagged images kept per repository; older ones expire. */
export const ECR_KEEP_TAGGED_IMAGES = 30;
/** Days an untagged image (a superseded layer set) is kept. */
export const ECR_UNTAGGED_EXPIRY_DAYS = 7;

export interface McpEcrRepositoryProps {
  readonly enabled: Bool;
  readonly name: string;
  readonly imageTagMutability: string;
  readonly scanOnPush: Bool;
  readonly kmsKeyArn: string;
  /** Account that owns the functions allowed to pull (Lambda guide, images-create: ECR permissions). */
  readonly accountId: string;
  readonly partition: string;
  readonly tags: Record<string, string>;
}

/**
 * ECR repository for the server image: KMS-encrypted (SC-28), scan on push, tag immutability,
 * a lifecycle policy (keep the last {@link ECR_KEEP_TAGGED_IMAGES} tagged images, expire
 * untagged after {@link ECR_UNTAGGED_EXPIRY_DAYS} days), and a repository policy that lets
 * Lambda functions of this account pull (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`).
 */
export class McpEcrRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: McpEcrRepositoryProps) {
    super(scope, id);
    const count = countIf(props.enabled);
    this.repository = stableName(
      new EcrRepository(this, "repository", {
        count,
        name: props.name,
        imageTagMutability: props.imageTagMutability,
        imageScanningConfiguration: { scanOnPush: props.scanOnPush },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
        tags: props.tags,
      }),
      "this",
    );
    const repositoryName = firstInstanceAttr(this.repository, "name");
    stableName(
      new EcrLifecyclePolicy(this, "lifecycle", {
        count,
        repository: repositoryName,
        policy: Token.asString(
          Fn.jsonencode({
            rules: [
              {
                rulePriority: 1,
                description: `Expire untagged images after ${ECR_UNTAGGED_EXPIRY_DAYS} days`,
                selection: {
                  tagStatus: "untagged",
                  countType: "sinceImagePushed",
                  countUnit: "days",
                  countNumber: ECR_UNTAGGED_EXPIRY_DAYS,
                },
                action: { type: "expire" },
              },
              {
                rulePriority: 2,
                description: `Keep the last ${ECR_KEEP_TAGGED_IMAGES} tagged images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: ECR_KEEP_TAGGED_IMAGES },
                action: { type: "expire" },
              },
            ],
          }),
        ),
      }),
      "this",
    );
    stableName(
      new EcrRepositoryPolicy(this, "policy", {
        count,
        repository: repositoryName,
        policy: policyDocument([
          {
            when: true,
            statements: [
              {
                Sid: "LambdaPullOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Condition: {
                  StringLike: { "aws:sourceArn": join("arn:", props.partition, ":lambda:*:", props.accountId, ":function:*") },
                },
              },
            ],
          },
        ]),
      }),
      "this",
    );
  }

  /** Repository URL for `docker push`; null without a repository. */
  get url(): string {
    return optionalAttr(this.repository, "repository_url");
  }
}
