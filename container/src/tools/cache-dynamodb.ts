/**
 * The tool-result cache on DynamoDB (`MCP_TOOL_CACHE_TABLE_NAME`; see cache.ts for the behaviour).
 *
 * Table (created by the module; container/README.md, "Environment contract"): hash key `tool_name`
 * (S), range key `params_hash` (S) = hex SHA-256 of `<tenant>\0<canonical JSON of the arguments>`,
 * attribute `result` (S, the CallToolResult as JSON), TTL attribute `expires_at` (N, epoch seconds).
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolCache } from "./cache.js";
import { TABLES } from "../contract/index.js";

/** DynamoDB items are at most 400 KB; larger results are not cached. */
const MAX_CACHED_BYTES = 350 * 1024;

export interface DynamoDbToolCacheOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Default lifetime of an entry, seconds. */
  readonly ttlSeconds: number;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

const { hashKey: TOOL_NAME, rangeKey: PARAMS_HASH, ttlAttribute: EXPIRES_AT } = TABLES.toolCache;

/** A {@link ToolCache} on DynamoDB (strongly consistent reads are not needed: a miss only costs a tool run). */
export function createDynamoDbToolCache(options: DynamoDbToolCacheOptions): ToolCache {
  const now = () => Math.floor((options.now ?? Date.now)() / 1000);
  return {
    async get(toolName, hash) {
      const { Item } = await options.client.send(
        new GetItemCommand({ TableName: options.tableName, Key: { [TOOL_NAME]: { S: toolName }, [PARAMS_HASH]: { S: hash } } }),
      );
      if (Item?.result?.S === undefined || Number(Item[EXPIRES_AT]?.N ?? 0) <= now()) return undefined;
      return JSON.parse(Item.result.S) as CallToolResult;
    },
    async put(toolName, hash, result, ttlSeconds) {
      const text = JSON.stringify(result);
      if (Buffer.byteLength(text) > MAX_CACHED_BYTES) return;
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: {
            [TOOL_NAME]: { S: toolName },
            [PARAMS_HASH]: { S: hash },
            result: { S: text },
            [EXPIRES_AT]: { N: String(now() + (ttlSeconds ?? options.ttlSeconds)) },
          },
        }),
      );
    },
  };
}
