/**
 * `SessionStore` on DynamoDB, the store for Lambda (every request may reach another execution
 * environment). Table layout, created by the module (container/README.md, "Environment contract"):
 *
 * - tenant isolation off: hash key `session_id` (S)
 * - tenant isolation on:  hash key `tenant_id` (S), range key `session_id` (S), so every item of a
 *   tenant sits under its own partition key and an IAM `dynamodb:LeadingKeys` condition can confine
 *   a tenant-scoped role to it
 * - TTL attribute `expires_at` (N, epoch seconds). DynamoDB deletes expired items only eventually
 *   (typically within days: DynamoDB developer guide, "Using time to live (TTL)"), so reads compare
 *   `expires_at` with the clock themselves.
 *
 * Other attributes: `owner` (S), `created_at` (N), `protocol_version` (S, optional), and `tenant_id`
 * (S) on the non-isolated layout too. Reads are strongly consistent: a session created by one request
 * must be visible to the next, which may follow within milliseconds.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { TABLES, TENANT_ID } from "../contract/index.js";
import type { SessionKey, SessionRecord, SessionStore } from "../core/sessions/store.js";

/** Key and TTL attribute names, from the contract (the same for both key layouts). */
const SESSION_ID = TABLES.sessions.hashKey;
const EXPIRES_AT = TABLES.sessions.ttlAttribute;

export interface DynamoDbSessionStoreOptions {
  /** A client (Region and credentials from the environment; `AWS_ENDPOINT_URL_DYNAMODB` for DynamoDB Local). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Whether the table is keyed by `tenant_id` + `session_id` (tenant isolation) or `session_id` alone. */
  readonly tenantKeyed: boolean;
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * Creates the store. Errors from DynamoDB propagate; the session stage answers 503 + `Retry-After`
 * for a temporary condition (timeout, refused connection, throttling, 5xx) and 500 otherwise (access
 * denied, missing table), logged once by the error boundary. Give the client bounded time
 * (container/src/aws.ts, `awsClientConfig` and `withCallBudget`).
 */
export function createDynamoDbSessionStore(options: DynamoDbSessionStoreOptions): SessionStore {
  const { client, tableName, tenantKeyed } = options;
  const key = (k: SessionKey): Record<string, AttributeValue> =>
    tenantKeyed ? { [TENANT_ID]: s(k.tenantId), [SESSION_ID]: s(k.sessionId) } : { [SESSION_ID]: s(k.sessionId) };

  const fromItem = (item: Record<string, AttributeValue>): SessionRecord => ({
    tenantId: item[TENANT_ID]?.S ?? "-",
    sessionId: item[SESSION_ID]!.S!,
    owner: item.owner?.S ?? "",
    ...(item.protocol_version?.S === undefined ? {} : { protocolVersion: item.protocol_version.S }),
    createdAt: Number(item.created_at?.N ?? 0),
    expiresAt: Number(item[EXPIRES_AT]?.N ?? 0),
  });

  return {
    async create(record) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...key(record),
            [TENANT_ID]: s(record.tenantId),
            owner: s(record.owner),
            created_at: n(record.createdAt),
            [EXPIRES_AT]: n(record.expiresAt),
            ...(record.protocolVersion === undefined ? {} : { protocol_version: s(record.protocolVersion) }),
          },
          ConditionExpression: `attribute_not_exists(${SESSION_ID})`,
        }),
      );
    },
    async get(k, now) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(k), ConsistentRead: true }));
      if (Item === undefined) return undefined;
      const record = fromItem(Item);
      return record.expiresAt > now ? record : undefined;
    },
    async touch(k, expiresAt) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(k),
            UpdateExpression: `SET ${EXPIRES_AT} = :e`,
            ConditionExpression: `attribute_exists(${SESSION_ID})`,
            ExpressionAttributeValues: { ":e": n(expiresAt) },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    async delete(k, now) {
      const { Attributes } = await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(k), ReturnValues: "ALL_OLD" }));
      return Attributes !== undefined && fromItem(Attributes).expiresAt > now;
    },
  };
}
