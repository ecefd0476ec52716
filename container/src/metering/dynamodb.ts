/**
 * Tenant usage counters in DynamoDB (issue 4, metering): the `UsageMeter` of the core's metering stage.
 *
 * Table (the `mcp_tenant_metering` module creates it; container/README.md, "Environment contract"):
 * hash key `tenant_id` (S), range key `period` (S), GSI `by_period` (hash `period`, range
 * `tenant_id`), TTL attribute `expires_at` (N, epoch seconds). Two kinds of item:
 *
 * | item | `period` | attributes |
 * |---|---|---|
 * | usage counter | `YYYY-MM` (UTC month) | `requests` (N), `tool_calls` (N), `tool#<name>` (N) per tool, `updated_at` (N, epoch seconds); no `expires_at` (kept) |
 * | idempotency marker | `request#<request id>` | `created_at` (N), `expires_at` (N): deleted by TTL after `markerTtlSeconds` |
 *
 * Each request is one `TransactWriteItems` (DynamoDB Developer Guide, "Amazon DynamoDB
 * Transactions"): a `Put` of the marker with `attribute_not_exists(tenant_id)` and an `Update` of the
 * counter with `ADD` (atomic increments that create missing attributes at 0: DynamoDB Developer Guide,
 * "Update expressions", ADD). Both or neither apply, so a retry of the same request id (a duplicate
 * invocation of the same event) fails the condition and counts nothing: `duplicate`.
 *
 * Per-tool counters are top-level attributes `tool#<name>` rather than a map `tools.<name>`: `ADD` on a
 * nested path fails when the map does not exist yet, and there is no single expression that creates
 * the map and increments one key. Tool names are the server's own (the metering stage drops names it
 * does not offer), so the attribute count stays bounded.
 *
 * Cost per metered request: one transaction of two items (2 x 2 write units for items up to 1 KB),
 * plus the `by_period` index writes of both items.
 */
import {
  TransactWriteItemsCommand,
  type TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { createHash } from "node:crypto";
import { TABLES } from "../contract/index.js";
import type { MeteredRequest, MeterOutcome, UsageMeter } from "../core/observability.js";

const { hashKey: TENANT, rangeKey: PERIOD, ttlAttribute: EXPIRES_AT } = TABLES.usage;

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
  return /^[\x21-\x7e]{1,200}$/.test(requestId) ? `request#${requestId}` : `request#sha256:${createHash("sha256").update(requestId).digest("hex")}`;
}

export interface DynamoDbUsageMeterOptions {
  readonly client: DynamoDBClient;
  /** `METERING_TABLE_NAME`. */
  readonly tableName: string;
  /** Lifetime of an idempotency marker, seconds: retries of a request id later than this count again. @default 86400 */
  readonly markerTtlSeconds?: number;
  /** Clock for `updated_at` and marker expiry, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * Creates the meter. `record` resolves `counted` or `duplicate`.
 * @throws (from `record`) any other DynamoDB error (missing table, throttling, access denied); the
 *   metering stage logs it and the MCP answer is unaffected
 */
export function createDynamoDbUsageMeter(options: DynamoDbUsageMeterOptions): UsageMeter {
  const { client, tableName } = options;
  const ttl = options.markerTtlSeconds ?? 86_400;
  const now = options.now ?? Date.now;
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
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { [TENANT]: tenant, [PERIOD]: { S: markerKey(request.requestId) }, created_at: { N: String(seconds) }, [EXPIRES_AT]: { N: String(seconds + ttl) } },
                  ConditionExpression: `attribute_not_exists(${TENANT})`,
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: { [TENANT]: tenant, [PERIOD]: { S: usagePeriod(request.at) } },
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
        if ((error as Error).name === "TransactionCanceledException" && reasons?.[0]?.Code === "ConditionalCheckFailed") return "duplicate";
        throw error;
      }
    },
  };
}
