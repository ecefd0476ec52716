import { Construct } from "constructs";
import { countIf, ifElse, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import { ItemTable } from "../lib/item-table.js";
import { TABLES } from "../../container/src/contract/index.js";

const KEYS = TABLES.toolCache;

export interface McpToolCacheProps {
  /** Create the table (`enable_tool_cache`). */
  readonly enabled: Bool;
  readonly kmsKeyArn: string;
  readonly baseName: string;
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
}

/**
 * The tool-result cache (`enableToolCache`), an {@link ItemTable} keyed by `tool_name` +
 * `params_hash`. The function caches only tools it declares cacheable, and only successful
 * results.
 */
export class McpToolCache extends Construct {
  readonly enabled: Bool;
  readonly items: ItemTable;

  constructor(scope: Construct, id: string, props: McpToolCacheProps) {
    super(scope, id);
    this.enabled = props.enabled;
    this.items = new ItemTable(this, "table", {
      address: "tool_cache",
      count: countIf(this.enabled),
      name: `${props.baseName}-tool-cache`,
      hashKey: KEYS.hashKey,
      rangeKey: KEYS.rangeKey,
      attribute: [
        { name: KEYS.hashKey, type: "S" },
        { name: KEYS.rangeKey, type: "S" },
      ],
      kmsKeyArn: props.kmsKeyArn,
      isProd: props.isProd,
      tags: props.tags,
    });
  }

  /** Table name for the function's environment, `""` when there is no cache. */
  get nameOrEmpty(): string {
    return ifElse(this.enabled, this.items.name, "");
  }

  /** The function reads and writes cache items, nothing else (AC-6). */
  get statements(): PolicyStatement[] {
    return [this.items.grantItems("ToolCacheItems", ["dynamodb:GetItem", "dynamodb:PutItem"])];
  }
}
