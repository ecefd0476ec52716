import { TerraformIterator, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { countIf, ifElse, isToken, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import { ItemTable, TENANT_ID, TTL_ATTRIBUTE } from "../lib/item-table.js";

export { TENANT_ID };
/** TTL attribute of session records: expiry time, epoch seconds (DynamoDB guide, TTL). */
export const SESSION_TTL_ATTRIBUTE = TTL_ATTRIBUTE;

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
        { name: TENANT_ID, type: "S" },
        { name: "session_id", type: "S" },
      ],
      [{ name: "session_id", type: "S" }],
    );
    this.items = new ItemTable(this, "table", {
      address: "sessions",
      count: countIf(this.enabled),
      name: `${props.baseName}-sessions`,
      hashKey: ifElse(isolated, TENANT_ID, "session_id"),
      rangeKey: ifElse<string | undefined>(isolated, "session_id", undefined),
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

  /** The function's access: item reads and writes on this table and its indexes only (AC-6). */
  get statements(): PolicyStatement[] {
    return [
      this.items.grantItems(
        "SessionTableItems",
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
        { indexes: true },
      ),
    ];
  }
}

function attributes(keys: { name: string; type: string }[]): { name: string; type: string }[] | IResolvable {
  if (!isToken(keys)) return keys;
  const each = TerraformIterator.fromList(keys as unknown as string[]);
  return each.dynamic({ name: each.getString("name"), type: each.getString("type") });
}
