import {
  ENVIRONMENT_INPUT,
  iamNamePrefixInput,
  kmsKeyArnInput,
  lambdaRoleNameInput,
  NAME_INPUT,
  TAGS_INPUT,
} from "../lib/common-inputs.js";
import { integer, listOf, moduleInputs, oneOf, pattern } from "../lib/module-spec.js";
import { ENV } from "../../container/src/contract/index.js";
import type { TokenVendingMachineProps } from "./props.js";

/** The function reads the duration as `TVM_CREDENTIAL_DURATION_SECONDS`: one range on both sides. */
const DURATION = ENV.TVM_CREDENTIAL_DURATION_SECONDS;

/**
 * DynamoDB actions a tenant session may be granted. All are item-level, so each request names
 * its partition keys and `dynamodb:LeadingKeys` can pin them to the tenant. Scan is not here: it
 * names no partition, so it could never be limited to one tenant.
 */
export const TENANT_ITEM_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
/** A role name prefix of 3+ characters then `*`, or an exact role name; no path. */
const ROLE_PATTERN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_-]{3,63}\*?$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

export const TVM_INPUTS = moduleInputs<TokenVendingMachineProps>()(
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  iamNamePrefixInput<TokenVendingMachineProps>(
    "managed policies (<prefix>-tenant-boundary, <prefix>-tenant-data) and the template tenant role (the pattern's * replaced by the prefix)",
  ),
  {
    name: "lambda_role_arn",
    prop: "lambdaRoleArn",
    type: "string",
    description: "ARN of the MCP function's execution role (mcp_server's lambda_role_arn): the only principal tenant roles trust",
    nullable: false,
    rules: [
      pattern(ROLE_ARN, "an IAM role ARN, arn:aws:iam::<account>:role/<name>", {
        rejects: ["mcp-tools-dev-lambda", "arn:aws:iam::123456789012:user/alice"],
      }),
    ],
  },
  lambdaRoleNameInput<TokenVendingMachineProps>(
    "Name of the MCP function's execution role (mcp_server's lambda_role_name): it receives the assume-role policy",
  ),
  {
    name: "tenant_role_arn_pattern",
    prop: "tenantRoleArnPattern",
    type: "string",
    description: "ARN pattern of the tenant roles the function may assume, e.g. arn:aws:iam::123456789012:role/mcp-tenant-*",
    nullable: false,
    rules: [
      pattern(
        ROLE_PATTERN,
        "arn:aws:iam::<account>:role/<prefix>* with a role-name prefix of at least 3 characters (or one exact role ARN)",
        {
          reason: "role/* would let the function assume any role",
          rejects: [
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::123456789012:role/ab*",
            "arn:aws:iam::*:role/mcp-tenant-*",
            "mcp-tenant-*",
          ],
        },
      ),
    ],
  },
  kmsKeyArnInput<TokenVendingMachineProps>(
    "ARN of the KMS key of the tenant data tables; tenant sessions may use it only through DynamoDB",
  ),
  {
    name: "tenant_allowed_actions",
    prop: "tenantAllowedActions",
    type: "list(string)",
    description: "DynamoDB item actions tenant sessions may use, always within their own partition (the permission boundary's ceiling)",
    default: [...TENANT_ITEM_ACTIONS],
    nullable: false,
    rules: [
      listOf(oneOf(TENANT_ITEM_ACTIONS, { rejects: ["dynamodb:Scan", "dynamodb:*", "s3:GetObject"] }), {
        min: 1,
        allows: `a non-empty subset of ${TENANT_ITEM_ACTIONS.join(", ")}`,
        reason: "item-level actions only, so dynamodb:LeadingKeys can pin every request to the tenant (Scan and wildcards cannot be)",
      }),
    ],
  },
  {
    name: "tenant_data_table_arns",
    prop: "tenantDataTableArns",
    type: "list(string)",
    description: "ARNs of DynamoDB tables whose partition key is tenant_id that tenant sessions may use",
    default: [],
    nullable: false,
    rules: [
      listOf(pattern(TABLE_ARN, "a DynamoDB table ARN", { rejects: ["my-table", "arn:aws:dynamodb:us-east-1:123456789012:table/*"] }), {
        allows: "a list of DynamoDB table ARNs (arn:aws:dynamodb:<region>:<account>:table/<name>)",
      }),
    ],
  },
  {
    name: "credential_duration_seconds",
    prop: "credentialDurationSeconds",
    type: "number",
    description: "Lifetime of vended tenant credentials, in seconds (STS AssumeRole DurationSeconds)",
    default: DURATION.default,
    nullable: false,
    rules: [integer({ min: DURATION.min, max: DURATION.max, unit: "seconds", reason: "(STS AssumeRole limits)" })],
  },
  {
    name: "create_tenant_role",
    prop: "createTenantRole",
    type: "bool",
    description:
      "Create a tenant role matching tenant_role_arn_pattern, trusted by the function's role only, under the permission boundary",
    default: true,
    nullable: false,
  },
);
