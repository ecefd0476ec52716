import { Fn, Op, Token, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { and, countIf, firstInstanceAttr, ifElse, isToken, join, local, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import { policyDocument, type PolicyStatement } from "../lib/iam.js";
import { validateLiteralProps, withDefaults } from "../lib/module-spec.js";
import { currentRegion, iamNamePrefix, naming } from "../lib/naming.js";
import { TENANT_ID, type EnvSetBy } from "../../container/src/contract/index.js";
import { TVM_INPUTS } from "./inputs.js";
import type { TokenVendingMachineProps } from "./props.js";

/** The tenant's id as IAM sees it in a tagged role session (IAM guide, reference_policies_variables). */
export const PRINCIPAL_TENANT = "${aws:PrincipalTag/tenant_id}";

/**
 * The tenant tag a role session must carry: present, non-empty, and the only session tag
 * (STS guide, id_session-tags; IAM guide, condition keys aws:RequestTag and aws:TagKeys).
 */
const TENANT_TAG_REQUIRED = {
  StringLike: { [`aws:RequestTag/${TENANT_ID}`]: "?*" },
  "ForAllValues:StringEquals": { "aws:TagKeys": [TENANT_ID] },
};

/**
 * Only the tenant's own partition: every partition key of the request equals the session's
 * tenant tag. `ForAllValues` is also true when the key is absent (a Scan names no partition), so
 * the `Null` guard requires it, and requires the session to carry the tag at all
 * (IAM guide, reference_policies_multi-value-conditions; DynamoDB guide, specifying-conditions).
 */
const OWN_PARTITION_ONLY = {
  "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [PRINCIPAL_TENANT] },
  Null: { "dynamodb:LeadingKeys": "false", [`aws:PrincipalTag/${TENANT_ID}`]: "false" },
};

/** What a tenant session must never do, whatever policies are attached to its role. */
const PRIVILEGE_ESCALATION = [
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:CreateRole",
  "iam:CreateUser",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PassRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateLoginProfile",
  "sts:AssumeRole",
  "sts:GetFederationToken",
  "sts:TagSession",
];

/**
 * The token vending machine: tenant-scoped AWS credentials for the MCP function, with the
 * tenant carried as an STS session tag (the SaaS "token vending machine" pattern).
 *
 * The function assumes a tenant role with the session tag `tenant_id` (STS AssumeRole +
 * TagSession); everything the session may touch is pinned to that tag:
 * - on the function's role, `sts:AssumeRole`/`sts:TagSession` only on roles matching the pattern
 *   and only with a `tenant_id` tag (and no other tag);
 * - a permission boundary for tenant roles: the allowed DynamoDB item actions only within the
 *   tenant's partition, KMS only through DynamoDB, and an explicit deny of IAM/STS escalation;
 * - a template tenant role trusted by the function's role only, requiring the tag;
 * - a tenant data policy on the given tables with `dynamodb:LeadingKeys` = the tenant tag.
 */
export class TokenVendingMachine extends Construct {
  readonly tenantRole: IamRole;
  readonly boundary: IamPolicy;
  readonly dataPolicy: IamPolicy;
  /** Lifetime of vended credentials, seconds. */
  readonly credentialDurationSeconds: number;
  readonly createsTenantRole: Bool;

  constructor(scope: Construct, id: string, given: TokenVendingMachineProps) {
    super(scope, id);
    const props = withDefaults(TVM_INPUTS, given);
    validateLiteralProps("TokenVendingMachine", TVM_INPUTS, [], props, isToken);
    const actions = props.tenantAllowedActions;
    const tables = props.tenantDataTableArns;
    this.credentialDurationSeconds = props.credentialDurationSeconds;
    const createRole: Bool = props.createTenantRole;
    this.createsTenantRole = createRole;
    const hasTables: Bool = local(
      this,
      "has_tenant_tables",
      isToken(tables) ? (Op.gte(Fn.lengthOf(tables), 1) as IResolvable) : tables.length > 0,
    );
    const { prefix: baseName, tags } = naming(this, props);
    // Managed policies and roles are global per account: their names carry the Region.
    const prefix = iamNamePrefix(this, baseName, props.iamNamePrefix, currentRegion(this));
    // A KMS key is regional, so "DynamoDB of any Region" is DynamoDB of the key's Region; the
    // wildcard keeps the policies plain JSON (no data source) that a simulator can read.
    const viaDynamoDb = { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } };

    stableName(
      new IamRolePolicy(this, "assume", {
        name: join(prefix, "-assume-tenant-roles"),
        role: props.lambdaRoleName,
        policy: policyDocument([
          {
            when: true,
            statements: [
              {
                Sid: "AssumeTenantRolesWithTenantTag",
                Effect: "Allow",
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Resource: props.tenantRoleArnPattern,
                Condition: TENANT_TAG_REQUIRED,
              },
            ],
          },
        ]),
      }),
      "assume_tenant_roles",
    );

    this.boundary = stableName(
      new IamPolicy(this, "boundary", {
        name: join(prefix, "-tenant-boundary"),
        description: "Permission boundary of MCP tenant roles: own DynamoDB partition only, no privilege escalation",
        policy: policyDocument([
          {
            when: true,
            statements: [
              { Sid: "OwnPartitionItemsOnly", Effect: "Allow", Action: actions, Resource: "*", Condition: OWN_PARTITION_ONLY },
              {
                Sid: "KeyOnlyThroughDynamoDb",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                Resource: props.kmsKeyArn,
                Condition: viaDynamoDb,
              },
              { Sid: "DenyPrivilegeEscalation", Effect: "Deny", Action: PRIVILEGE_ESCALATION, Resource: "*" },
            ],
          },
        ]),
        tags,
      }),
      "tenant_boundary",
    );

    const dataStatements: PolicyStatement[] = [
      {
        Sid: "OwnPartitionOfTenantTables",
        Effect: "Allow",
        Action: actions,
        Resource: isToken(tables)
          ? (Token.asAny(Fn.concat([tables, Fn.formatlist("%s/index/*", [tables])])) as unknown as string[])
          : [...tables, ...tables.map((t) => `${t}/index/*`)],
        Condition: OWN_PARTITION_ONLY,
      },
      {
        Sid: "KeyOnlyThroughDynamoDb",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: props.kmsKeyArn,
        Condition: viaDynamoDb,
      },
    ];
    this.dataPolicy = stableName(
      new IamPolicy(this, "data", {
        count: countIf(hasTables),
        name: join(prefix, "-tenant-data"),
        description: "MCP tenant sessions: their own partition of the tenant data tables",
        policy: policyDocument([{ when: true, statements: dataStatements }]),
        tags,
      }),
      "tenant_data",
    );

    this.tenantRole = stableName(
      new IamRole(this, "tenant-role", {
        count: countIf(createRole),
        name: tenantRoleName(props.tenantRoleArnPattern, prefix),
        description: "MCP tenant role: assumed by the MCP function with a tenant_id session tag",
        // A role's maximum session must cover the credentials it vends (at least 3600 s).
        maxSessionDuration: isToken(this.credentialDurationSeconds)
          ? Token.asNumber(Fn.max([3600, this.credentialDurationSeconds]))
          : Math.max(3600, this.credentialDurationSeconds),
        permissionsBoundary: this.boundary.arn,
        assumeRolePolicy: policyDocument([
          {
            when: true,
            statements: [
              {
                Sid: "McpFunctionWithTenantTag",
                Effect: "Allow",
                Principal: { AWS: props.lambdaRoleArn },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: TENANT_TAG_REQUIRED,
              },
            ],
          },
        ]),
        tags,
      }),
      "tenant",
    );
    stableName(
      new IamRolePolicyAttachment(this, "data-attachment", {
        count: countIf(local(this, "attach_tenant_data", and(createRole, hasTables))),
        role: firstInstanceAttr(this.tenantRole, "name"),
        policyArn: firstInstanceAttr(this.dataPolicy, "arn"),
      }),
      "tenant_data",
    );
  }

  /** The template tenant role's ARN, or null without one. */
  get tenantRoleArn(): string {
    return optionalAttr(this.tenantRole, "arn");
  }

  /** Environment for the MCP function (merge into mcp_server's `environment_variables`). */
  get functionEnvironment(): Record<EnvSetBy<"mcp_token_vending_machine">, string> {
    return {
      TVM_TENANT_ROLE_ARN: ifElse(this.createsTenantRole, this.tenantRoleArn, ""),
      TVM_CREDENTIAL_DURATION_SECONDS: isToken(this.credentialDurationSeconds)
        ? Fn.tostring(this.credentialDurationSeconds)
        : String(this.credentialDurationSeconds),
    };
  }
}

/**
 * The template role's name: the pattern's name with the `*` replaced by `<name>-<environment>`,
 * or the exact name when the pattern has no `*`. IAM role names are at most 64 characters.
 */
function tenantRoleName(pattern: string, prefix: string): string {
  if (!isToken(pattern) && !isToken(prefix)) {
    const roleName = pattern.split(":role/")[1]!;
    return roleName.endsWith("*") ? `${roleName.slice(0, -1)}${prefix}` : roleName;
  }
  const roleName = Fn.element(Fn.split(":role/", pattern), 1);
  return Token.asString(Fn.conditional(Fn.endswith(roleName, "*"), Fn.join("", [Fn.trimsuffix(roleName, "*"), prefix]), roleName));
}
