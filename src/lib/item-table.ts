/**
 * The DynamoDB tables of this project's modules (sessions, tool cache, usage): one shape, so
 * every table gets the same protections and every grant the same least-privilege form.
 */
import { Construct } from "constructs";
import {
  DynamodbTable,
  type DynamodbTableAttribute,
  type DynamodbTableGlobalSecondaryIndex,
} from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import type { IResolvable } from "cdktf";
import { join, optionalAttr, stableName, type Bool } from "./expr.js";
import type { PolicyStatement } from "./iam.js";

import { TENANT_ID, TTL_ATTRIBUTE } from "../../container/src/contract/index.js";
import { defined } from "./defined.js";

export { TENANT_ID, TTL_ATTRIBUTE };

/** DynamoDB item actions (DynamoDB API reference); never `Scan`, never a wildcard. */
export type ItemAction =
  | "dynamodb:GetItem"
  | "dynamodb:BatchGetItem"
  | "dynamodb:Query"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:BatchWriteItem"
  | "dynamodb:ConditionCheckItem";

export interface ItemTableProps {
  /** Stable address of the table (`aws_dynamodb_table.<address>`): never changes, so state never moves. */
  readonly address: string;
  /** Table name, `<name>-<environment>-<purpose>`. */
  readonly name: string;
  /** `count` for an optional table (0 or 1). @default always present */
  readonly count?: number;
  /** Partition key attribute (a literal, or an expression for keys chosen at plan). */
  readonly hashKey: string;
  /** Sort key attribute. @default none */
  readonly rangeKey?: string | undefined;
  /** Key attributes (`S`, `N` or `B`): every key of the table and its indexes. */
  readonly attribute: DynamodbTableAttribute[] | IResolvable;
  /** Global secondary indexes. @default none */
  readonly globalSecondaryIndex?: DynamodbTableGlobalSecondaryIndex[];
  /** Customer managed KMS key for server-side encryption (FedRAMP SC-28). */
  readonly kmsKeyArn: string;
  /** Turns on deletion protection (prod). */
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
}

/**
 * A DynamoDB table as every module here creates it: on-demand capacity, TTL on
 * {@link TTL_ATTRIBUTE}, point-in-time recovery, KMS encryption with the module's key (SC-28)
 * and deletion protection in `prod`. {@link ItemTable.grantItems} gives the IAM statement for
 * item access to this table only (AC-6).
 */
export class ItemTable extends Construct {
  readonly table: DynamodbTable;
  private readonly hasIndexes: boolean;
  private readonly counted: boolean;

  constructor(scope: Construct, id: string, props: ItemTableProps) {
    super(scope, id);
    this.counted = props.count !== undefined;
    this.hasIndexes = (props.globalSecondaryIndex ?? []).length > 0;
    this.table = stableName(
      new DynamodbTable(
        this,
        "table",
        defined({
          count: props.count,
          name: props.name,
          billingMode: "PAY_PER_REQUEST",
          hashKey: props.hashKey,
          rangeKey: props.rangeKey,
          attribute: props.attribute,
          globalSecondaryIndex: props.globalSecondaryIndex,
          ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
          pointInTimeRecovery: { enabled: true },
          serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
          deletionProtectionEnabled: props.isProd,
          tags: props.tags,
        }),
      ),
      props.address,
    );
  }

  /** The table's ARN, or null when `count = 0`. */
  get arn(): string {
    return this.counted ? optionalAttr(this.table, "arn") : this.table.arn;
  }

  /** The table's name, or null when `count = 0`. */
  get name(): string {
    return this.counted ? optionalAttr(this.table, "name") : this.table.name;
  }

  /**
   * The IAM statement allowing `actions` on this table's items, and on its indexes when it has
   * any (or `indexes: true`): nothing else, so a role holding it can touch no other table.
   */
  grantItems(sid: string, actions: readonly ItemAction[], options: { indexes?: boolean } = {}): PolicyStatement {
    const indexes = options.indexes ?? this.hasIndexes;
    return { Sid: sid, Effect: "Allow", Action: [...actions], Resource: indexes ? [this.arn, join(this.arn, "/index/*")] : this.arn };
  }
}
