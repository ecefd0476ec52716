import { TerraformIterator, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { countIf, ifElse, isToken, join, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import type { ResolvedMcpServerProps } from "./inputs.js";

/** TTL attribute of session records: expiry time, epoch seconds (DynamoDB guide, TTL). */
export const SESSION_TTL_ATTRIBUTE = "expires_at";
/** The one tenant key, in tables, tags and claims alike. */
export const TENANT_ID = "tenant_id";

export interface McpSessionTableProps {
  readonly server: ResolvedMcpServerProps;
  readonly baseName: string;
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
}

/**
 * The MCP session table (`enableSessionTable`): on-demand, TTL on `expires_at`, point-in-time
 * recovery, server-side encryption with the module's KMS key (SC-28), deletion protection in
 * `prod`. The key is `session_id`, or `tenant_id` + `session_id` with tenant isolation, so a
 * tenant-scoped role can be limited to its partition with `dynamodb:LeadingKeys`.
 */
export class McpSessionTable extends Construct {
  readonly enabled: Bool;
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: McpSessionTableProps) {
    super(scope, id);
    const p = props.server;
    this.enabled = p.enableSessionTable;
    const isolated = p.enableTenantIsolation;
    const keys = ifElse(
      isolated,
      [
        { name: TENANT_ID, type: "S" },
        { name: "session_id", type: "S" },
      ],
      [{ name: "session_id", type: "S" }],
    );
    this.table = stableName(
      new DynamodbTable(this, "table", {
        count: countIf(this.enabled),
        name: `${props.baseName}-sessions`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: ifElse(isolated, TENANT_ID, "session_id"),
        rangeKey: ifElse<string | undefined>(isolated, "session_id", undefined),
        attribute: attributes(keys),
        ttl: { attributeName: SESSION_TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: p.kmsKeyArn },
        deletionProtectionEnabled: props.isProd,
        tags: props.tags,
      }),
      "sessions",
    );
  }

  /** Table name for the function's environment, `""` when there is no table. */
  get nameOrEmpty(): string {
    return ifElse(this.enabled, optionalAttr(this.table, "name"), "");
  }

  /** The function's access: item reads and writes on this table and its indexes only (AC-6). */
  get statements(): PolicyStatement[] {
    const arn = optionalAttr(this.table, "arn");
    return [
      {
        Sid: "SessionTableItems",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
        Resource: [arn, join(arn, "/index/*")],
      },
    ];
  }
}

function attributes(keys: { name: string; type: string }[]): { name: string; type: string }[] | IResolvable {
  if (!isToken(keys)) return keys;
  const each = TerraformIterator.fromList(keys as unknown as string[]);
  return each.dynamic({ name: each.getString("name"), type: each.getString("type") });
}
