import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { countIf, ifElse, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import type { ResolvedMcpServerProps } from "./inputs.js";
import { SESSION_TTL_ATTRIBUTE } from "./sessions.js";

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
        hashKey: "tool_name",
        rangeKey: "params_hash",
        attribute: [
          { name: "tool_name", type: "S" },
          { name: "params_hash", type: "S" },
        ],
        ttl: { attributeName: SESSION_TTL_ATTRIBUTE, enabled: true },
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
