import { TerraformIterator, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { countIf, ifElse, isToken, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import { TABLES } from "../../container/src/contract/index.js";
import type { ResolvedMcpServerProps } from "./defaults.js";

const { sessions: PLAIN, tenantSessions: TENANT_KEYED } = TABLES;

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
        { name: TENANT_KEYED.hashKey, type: "S" },
        { name: TENANT_KEYED.rangeKey, type: "S" },
      ],
      [{ name: PLAIN.hashKey, type: "S" }],
    );
    this.table = stableName(
      new DynamodbTable(this, "table", {
        count: countIf(this.enabled),
        name: `${props.baseName}-sessions`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: ifElse<string>(isolated, TENANT_KEYED.hashKey, PLAIN.hashKey),
        rangeKey: ifElse<string | undefined>(isolated, TENANT_KEYED.rangeKey, undefined),
        attribute: attributes(keys),
        ttl: { attributeName: PLAIN.ttlAttribute, enabled: true },
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

  /**
   * The function's access: the item reads and writes of its session store on this table only
   * (AC-6). The table has no index and the store reads one item by key, so no `Query`.
   */
  get statements(): PolicyStatement[] {
    return [
      {
        Sid: "SessionTableItems",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        Resource: optionalAttr(this.table, "arn"),
      },
    ];
  }
}

function attributes(keys: { name: string; type: string }[]): { name: string; type: string }[] | IResolvable {
  if (!isToken(keys)) return keys;
  const each = TerraformIterator.fromList(keys as unknown as string[]);
  return each.dynamic({ name: each.getString("name"), type: each.getString("type") });
}
