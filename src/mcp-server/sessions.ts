import { TerraformIterator, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { countIf, ifElse, isToken, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import { ItemTable } from "../lib/item-table.js";
import { TABLES } from "../../container/src/contract/index.js";

const { sessions: PLAIN, tenantSessions: TENANT_KEYED } = TABLES;

export interface McpSessionTableProps {
  /** Create the table (`enable_session_table`). */
  readonly enabled: Bool;
  /** Key sessions by `tenant_id` + `session_id` (`enable_tenant_isolation`). */
  readonly tenantIsolation: Bool;
  readonly kmsKeyArn: string;
  readonly baseName: string;
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
}

/**
 * The MCP session table (`enableSessionTable`), an {@link ItemTable}. The key is `session_id`,
 * or `tenant_id` + `session_id` with tenant isolation, so a tenant-scoped role can be limited to
 * its partition with `dynamodb:LeadingKeys`.
 */
export class McpSessionTable extends Construct {
  readonly enabled: Bool;
  readonly items: ItemTable;

  constructor(scope: Construct, id: string, props: McpSessionTableProps) {
    super(scope, id);
    this.enabled = props.enabled;
    const isolated = props.tenantIsolation;
    const keys = ifElse(
      isolated,
      [
        { name: TENANT_KEYED.hashKey, type: "S" },
        { name: TENANT_KEYED.rangeKey, type: "S" },
      ],
      [{ name: PLAIN.hashKey, type: "S" }],
    );
    this.items = new ItemTable(this, "table", {
      address: "sessions",
      count: countIf(this.enabled),
      name: `${props.baseName}-sessions`,
      hashKey: ifElse<string>(isolated, TENANT_KEYED.hashKey, PLAIN.hashKey),
      rangeKey: ifElse<string | undefined>(isolated, TENANT_KEYED.rangeKey, undefined),
      attribute: attributes(keys),
      kmsKeyArn: props.kmsKeyArn,
      isProd: props.isProd,
      tags: props.tags,
    });
  }

  /** Table name for the function's environment, `""` when there is no table. */
  get nameOrEmpty(): string {
    return ifElse(this.enabled, this.items.name, "");
  }

  /**
   * The function's access: the item reads and writes of its session store on this table only
   * (AC-6). The table has no index and the store reads one item by key, so no `Query`.
   */
  get statements(): PolicyStatement[] {
    return [
      this.items.grantItems("SessionTableItems", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]),
    ];
  }
}

function attributes(keys: { name: string; type: string }[]): { name: string; type: string }[] | IResolvable {
  if (!isToken(keys)) return keys;
  const each = TerraformIterator.fromList(keys as unknown as string[]);
  return each.dynamic({ name: each.getString("name"), type: each.getString("type") });
}
