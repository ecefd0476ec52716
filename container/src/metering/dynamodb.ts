/**
 * Tenant usage counters in DynamoDB: the `UsageMeter` of the core's metering stage.
 *
 * Table (the `mcp_tenant_metering` module creates it; container/README.md, "Environment contract"):
 * hash key `tenant_id` (S), range key `period` (S), GSI `by_period` (hash `period`, range
 * `tenant_id`), TTL attribute `expires_at` (N, epoch seconds). Two kinds of item:
 *
 * | item | `period` | attributes |
 * |---|---|---|
 * | usage counter shard | `YYYY-MM#NN` (UTC month, shard `00`-`15`) | `requests` (N), `tool_calls` (N), `tool#<name>` (N) per tool, `updated_at` (N, epoch seconds); no `expires_at` (kept) |
 * | idempotency marker | `request#<request id>` | `created_at` (N), `expires_at` (N): deleted by TTL after `markerTtlSeconds` |
 *
 * Write-sharded counters (DynamoDB Developer Guide, "Using write sharding to distribute workloads
 * evenly"): a tenant's month is split over {@link COUNTER_SHARDS} items and each request adds to one
 * of them, chosen from its request id. DynamoDB cancels a transaction that touches an item another
 * transaction is writing (`TransactionCanceledException`, reason `TransactionConflict`; DynamoDB
 * Developer Guide, "Transaction conflict handling"), and the SDK does not retry that; with one item
 * per tenant and month a busy tenant's concurrent requests would cancel each other. With shards they
 * rarely meet, and a conflict that does happen is retried (bounded, with full jitter, on the next
 * shard). The monthly total is the sum of the shards: {@link readMonthlyUsage}.
 *
 * Each request is one `TransactWriteItems` (DynamoDB Developer Guide, "Amazon DynamoDB
 * Transactions"): a `Put` of the marker with `attribute_not_exists(tenant_id)` and an `Update` of one
 * counter shard with `ADD` (atomic increments that create missing attributes at 0: DynamoDB Developer
 * Guide, "Update expressions", ADD). Both or neither apply, so a retry of the same request id (a
 * duplicate invocation of the same event) fails the condition and counts nothing: `duplicate`.
 *
 * Per-tool counters are top-level attributes `tool#<name>` rather than a map `tools.<name>`: `ADD` on a
 * nested path fails when the map does not exist yet, and there is no single expression that creates
 * the map and increments one key. Tool names are the server's own (the metering stage drops names it
 * does not offer), so the attribute count stays bounded.
 *
 * Cost per metered request: one transaction of two items (2 x 2 write units for items up to 1 KB),
 * plus the `by_period` index writes of both items; a retried conflict costs one more transaction.
 * Reading a month costs one `Query` of at most {@link COUNTER_SHARDS} items.
 */
import {
  QueryCommand,
  TransactWriteItemsCommand,
  type TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { createHash } from "node:crypto";
import { TABLES } from "../contract/index.js";
import type { MeteredRequest, MeterOutcome, UsageMeter } from "../core/observability.js";

const { hashKey: TENANT, rangeKey: PERIOD, ttlAttribute: EXPIRES_AT } = TABLES.usage;

/** Counter items per tenant and month. */
export const COUNTER_SHARDS = 16;

/** Attempts of one transaction cancelled by `TransactionConflict`, first included. */
export const CONFLICT_ATTEMPTS = 5;

/** Range key of counter shard `shard` of `period`: `2026-11#07`. */
export function counterKey(period: string, shard: number): string {
  return `${period}#${String(shard).padStart(2, "0")}`;
}

/** The shard a request id adds to (first 4 bytes of its SHA-256, modulo `shards`): spread evenly, the same for a retried id. */
export function shardOf(requestId: string, shards: number = COUNTER_SHARDS): number {
  return createHash("sha256").update(requestId).digest().readUInt32BE(0) % shards;
}

/** Attribute name of the counter of one tool. */
export const toolAttribute = (tool: string): string => `tool#${tool}`;

/** The usage period of `epochMs`: its UTC month, `YYYY-MM` (e.g. `2026-11`). */
export function usagePeriod(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}

/**
 * The range key of the idempotency marker of `requestId`: `request#<id>`, or `request#sha256:<hex>`
 * when the id is longer than 200 characters or not printable ASCII (range keys are at most 1024 bytes).
 */
export function markerKey(requestId: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(requestId)
    ? `request#${requestId}`
    : `request#sha256:${createHash("sha256").update(requestId).digest("hex")}`;
}

export interface DynamoDbUsageMeterOptions {
  readonly client: DynamoDBClient;
  /** `METERING_TABLE_NAME`. */
  readonly tableName: string;
  /** Lifetime of an idempotency marker, seconds: retries of a request id later than this count again. @default 86400 */
  readonly markerTtlSeconds?: number;
  /** Clock for `updated_at` and marker expiry, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Counter items per tenant and month; readers must use the same number. @default COUNTER_SHARDS (16) */
  readonly shards?: number;
  /** Attempts of a transaction cancelled by `TransactionConflict`. @default CONFLICT_ATTEMPTS (5) */
  readonly conflictAttempts?: number;
  /** Backoff before retry n (1-based) is uniform in [0, min(capMs, baseMs * 2^n)) ("full jitter"), milliseconds. @default { baseMs: 10, capMs: 200 } */
  readonly conflictBackoff?: { readonly baseMs: number; readonly capMs: number };
}

/** Whether `error` is a transaction cancelled because another transaction was writing one of its items. */
function isConflict(error: unknown): boolean {
  const reasons = (error as Partial<TransactionCanceledException>).CancellationReasons;
  return (
    (error as Error).name === "TransactionCanceledException" && reasons?.some((reason) => reason.Code === "TransactionConflict") === true
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the meter. `record` resolves `counted` or `duplicate`.
 * @throws (from `record`) any other DynamoDB error (missing table, throttling, access denied); the
 *   metering stage logs it and the MCP answer is unaffected
 */
export function createDynamoDbUsageMeter(options: DynamoDbUsageMeterOptions): UsageMeter {
  const { client, tableName } = options;
  const ttl = options.markerTtlSeconds ?? 86_400;
  const now = options.now ?? Date.now;
  const shards = options.shards ?? COUNTER_SHARDS;
  const attempts = options.conflictAttempts ?? CONFLICT_ATTEMPTS;
  const backoff = options.conflictBackoff ?? { baseMs: 10, capMs: 200 };
  return {
    async record(request: MeteredRequest): Promise<MeterOutcome> {
      const seconds = Math.floor(now() / 1000);
      const tenant: AttributeValue = { S: request.tenantId };
      const perTool = new Map<string, number>();
      for (const tool of request.toolCalls) perTool.set(tool, (perTool.get(tool) ?? 0) + 1);

      const adds = ["requests :requests", "tool_calls :tool_calls"];
      const names: Record<string, string> = {};
      const values: Record<string, AttributeValue> = {
        ":requests": { N: String(request.requests) },
        ":tool_calls": { N: String(request.toolCalls.length) },
        ":now": { N: String(seconds) },
      };
      let i = 0;
      for (const [tool, count] of perTool) {
        names[`#t${i}`] = toolAttribute(tool);
        values[`:t${i}`] = { N: String(count) };
        adds.push(`#t${i} :t${i}`);
        i++;
      }
      const first = shardOf(request.requestId, shards);
      for (let attempt = 1; ; attempt++) {
        try {
          await client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: {
                      [TENANT]: tenant,
                      [PERIOD]: { S: markerKey(request.requestId) },
                      created_at: { N: String(seconds) },
                      [EXPIRES_AT]: { N: String(seconds + ttl) },
                    },
                    ConditionExpression: `attribute_not_exists(${TENANT})`,
                  },
                },
                {
                  Update: {
                    TableName: tableName,
                    // A retry after a conflict moves to the next shard, away from the item in contention.
                    Key: { [TENANT]: tenant, [PERIOD]: { S: counterKey(usagePeriod(request.at), (first + attempt - 1) % shards) } },
                    UpdateExpression: `ADD ${adds.join(", ")} SET updated_at = :now`,
                    ...(i === 0 ? {} : { ExpressionAttributeNames: names }),
                    ExpressionAttributeValues: values,
                  },
                },
              ],
            }),
          );
          return "counted";
        } catch (error) {
          // The marker is item 0: its condition failing means this request id was counted already.
          const reasons = (error as Partial<TransactionCanceledException>).CancellationReasons;
          if ((error as Error).name === "TransactionCanceledException" && reasons?.[0]?.Code === "ConditionalCheckFailed")
            return "duplicate";
          // Cancelled because another transaction held an item: nothing was applied, so try again.
          if (!isConflict(error) || attempt >= attempts) throw error;
          await sleep(Math.random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt));
        }
      }
    },
  };
}

/** A tenant's usage in one period, summed over the counter shards. */
export interface MonthlyUsage {
  /** JSON-RPC requests counted. */
  readonly requests: number;
  /** `tools/call` requests of offered tools. */
  readonly toolCalls: number;
  /** Calls per tool name. */
  readonly tools: Readonly<Record<string, number>>;
  /** Latest `updated_at` of the shards, epoch seconds; undefined when nothing was counted. */
  readonly updatedAt?: number;
}

/**
 * The read side: a tenant's total for `period` (`YYYY-MM`), one strongly consistent `Query`
 * (`tenant_id = :tenant AND begins_with(period, "<period>#")`) summed over the shards. For every
 * tenant of a month, query the `by_period` index once per shard key (`2026-11#00` ... `2026-11#15`)
 * and sum by `tenant_id` (container/README.md, "Behaviour decisions", Metering).
 */
export async function readMonthlyUsage(client: DynamoDBClient, tableName: string, tenantId: string, period: string): Promise<MonthlyUsage> {
  let requests = 0;
  let toolCalls = 0;
  let updatedAt: number | undefined;
  const tools: Record<string, number> = {};
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: `${TENANT} = :t AND begins_with(${PERIOD}, :p)`,
        ExpressionAttributeValues: { ":t": { S: tenantId }, ":p": { S: `${period}#` } },
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      requests += Number(item.requests?.N ?? 0);
      toolCalls += Number(item.tool_calls?.N ?? 0);
      if (item.updated_at?.N !== undefined) updatedAt = Math.max(updatedAt ?? 0, Number(item.updated_at.N));
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith("tool#") && value.N !== undefined) tools[name.slice(5)] = (tools[name.slice(5)] ?? 0) + Number(value.N);
      }
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { requests, toolCalls, tools, ...(updatedAt === undefined ? {} : { updatedAt }) };
}
