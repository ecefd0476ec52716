/**
 * {@link OAuthStore} on DynamoDB: table `pk` (S) + `sk` (S), TTL attribute `expires_at`, GSI
 * `by_subject` (`gsi1pk`, `gsi1sk`, KEYS_ONLY). Conditions are DynamoDB condition expressions, so
 * single use and rotation hold across concurrent Lambda instances.
 *
 * Source: DynamoDB Developer Guide, "Condition expressions" and "Working with items: TTL" (expired
 * items may be read until deleted, hence `expires_at > :now` in every condition and read).
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue as DynamoValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { AttributeValue, OAuthStore, StoredItem } from "./types.js";

/** Name of the GSI that finds a user's grants. */
export const SUBJECT_INDEX = "by_subject";

function toDynamo(value: AttributeValue): DynamoValue {
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") return { N: String(value) };
  if (typeof value === "boolean") return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamo) };
  return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDynamo(v as AttributeValue)])) };
}

function fromDynamo(value: DynamoValue): AttributeValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map(fromDynamo);
  if (value.M !== undefined) return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, fromDynamo(v)]));
  throw new Error("unsupported DynamoDB attribute type");
}

const toItem = (item: Readonly<Record<string, AttributeValue>>) =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toDynamo(v)]));
const fromItem = (item: Record<string, DynamoValue>) =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromDynamo(v)])) as unknown as StoredItem;

export interface DynamoDbStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export function createDynamoDbStore({ client, tableName }: DynamoDbStoreOptions): OAuthStore {
  const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
  const conditionFailed = (error: unknown) =>
    error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === "ConditionalCheckFailedException";
  return {
    async get(pk, sk, now) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(pk, sk), ConsistentRead: true }));
      if (Item === undefined) return undefined;
      const item = fromItem(Item);
      return item.expires_at > now ? item : undefined;
    },
    async put(item, { ifAbsent, now }) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem(item),
            ...(ifAbsent
              ? {
                  ConditionExpression: "attribute_not_exists(pk) OR expires_at <= :now",
                  ExpressionAttributeValues: { ":now": { N: String(now) } },
                }
              : {}),
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
    async update(pk, sk, set, { expected, now }) {
      const names: Record<string, string> = {};
      const values: Record<string, DynamoValue> = { ":now": { N: String(now) } };
      const sets: string[] = [];
      const removes: string[] = [];
      const conditions = ["attribute_exists(pk)", "expires_at > :now"];
      let i = 0;
      for (const [name, value] of Object.entries(set)) {
        const n = `#s${i}`;
        names[n] = name;
        if (value === null) removes.push(n);
        else {
          values[`:s${i}`] = toDynamo(value);
          sets.push(`${n} = :s${i}`);
        }
        i += 1;
      }
      i = 0;
      for (const [name, value] of Object.entries(expected)) {
        const n = `#e${i}`;
        names[n] = name;
        if (value === null) conditions.push(`attribute_not_exists(${n})`);
        else {
          values[`:e${i}`] = toDynamo(value);
          conditions.push(`${n} = :e${i}`);
        }
        i += 1;
      }
      const update = [sets.length > 0 ? `SET ${sets.join(", ")}` : "", removes.length > 0 ? `REMOVE ${removes.join(", ")}` : ""]
        .filter((s) => s !== "")
        .join(" ");
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(pk, sk),
            UpdateExpression: update,
            ConditionExpression: conditions.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
          }),
        );
        return Attributes === undefined ? undefined : fromItem(Attributes);
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
    },
    async delete(pk, sk) {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(pk, sk) }));
    },
    async increment(pk, sk, limit, expiresAt, now) {
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(pk, sk),
            // A counter whose window has passed (expired, not yet deleted) starts again from 1.
            UpdateExpression: "SET #c = if_not_exists(#c, :zero) + :one, expires_at = if_not_exists(expires_at, :exp)",
            ConditionExpression: "attribute_not_exists(#c) OR #c < :limit",
            ExpressionAttributeNames: { "#c": "count" },
            ExpressionAttributeValues: {
              ":zero": { N: "0" },
              ":one": { N: "1" },
              ":limit": { N: String(limit) },
              ":exp": { N: String(expiresAt) },
            },
            ReturnValues: "UPDATED_NEW",
          }),
        );
        void now;
        return Number(Attributes?.count?.N ?? "1");
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
    },
    async grantsOf(sub) {
      const out: string[] = [];
      let start: Record<string, DynamoValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: SUBJECT_INDEX,
            KeyConditionExpression: "gsi1pk = :p",
            ExpressionAttributeValues: { ":p": { S: `sub#${sub}` } },
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        for (const item of page.Items ?? []) if (item.pk?.S !== undefined) out.push(item.pk.S);
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return out;
    },
  };
}
