import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { countIf, ifElse, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import { TABLES } from "../../container/src/contract/index.js";
import type { ResolvedMcpServerProps } from "./defaults.js";

const KEYS = TABLES.toolCache;

export interface McpToolCacheProps {
  readonly server: ResolvedMcpServerProps;
  readonly baseName: string;
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
}

/**
 * The tool-result cache of seed 003 (`enableToolCache`): key `tool_name` + `params_hash`, TTL on
 * `expires_at`, on-demand, point-in-time recovery, KMS (SC-28). The function caches only tools it
 * declares cacheable, and only successful results.
 */
export class McpToolCache extends Construct {
  readonly enabled: Bool;
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: McpToolCacheProps) {
    super(scope, id);
    const p = props.server;
    this.enabled = p.enableToolCache;
    this.table = stableName(
      new DynamodbTable(this, "table", {
        count: countIf(this.enabled),
        name: `${props.baseName}-tool-cache`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: KEYS.hashKey,
        rangeKey: KEYS.rangeKey,
        attribute: [
          { name: KEYS.hashKey, type: "S" },
          { name: KEYS.rangeKey, type: "S" },
        ],
        ttl: { attributeName: KEYS.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: p.kmsKeyArn },
        deletionProtectionEnabled: props.isProd,
        tags: props.tags,
      }),
      "tool_cache",
    );
  }

  /** Table name for the function's environment, `""` when there is no cache. */
  get nameOrEmpty(): string {
    return ifElse(this.enabled, optionalAttr(this.table, "name"), "");
  }

  /** The function reads and writes cache items, nothing else (AC-6). */
  get statements(): PolicyStatement[] {
    return [
      {
        Sid: "ToolCacheItems",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
        Resource: optionalAttr(this.table, "arn"),
      },
    ];
  }
}
