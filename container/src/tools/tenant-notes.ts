/**
 * `tenant_notes`: short notes private to the caller's tenant, kept in the tenant data table
 * (`TENANT_DATA_TABLE_NAME`) through a DynamoDB client on credentials vended for that tenant
 * (`ctx.tenant.dynamodb()`, container/src/tenancy). Offered only when the token vending machine
 * and the table are configured (the composition root imports this file, and with it the DynamoDB
 * SDK, only then).
 *
 * Table (created by the user or the token vending machine example; container/README.md,
 * "Environment contract"): hash key `tenant_id` (S), range key `item_id` (S). A note is the item
 * `{ tenant_id: <tenant from the verified token>, item_id: "note#<note_id>", text (S), updated_at (N, epoch seconds) }`.
 * The partition key is always the verified tenant, never an argument: together with the tenant
 * role's `dynamodb:LeadingKeys = ${aws:PrincipalTag/tenant_id}` condition, a tenant can neither
 * name nor reach another tenant's items.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { z } from "zod";
import { TABLES } from "../contract/index.js";
import { isDependencyOutage, markUnavailable } from "../core/dependency.js";
import { defineTool, type ToolDefinition } from "../core/tools.js";
import { toolError, toolResult } from "./result.js";

/** Notes returned by one `list`. */
export const LIST_LIMIT = 50;
const { hashKey: TENANT_KEY, rangeKey: ITEM_KEY } = TABLES.tenantData;

/** Prefix of a note's `item_id`, so other item kinds can share the tenant's partition. */
export const NOTE_PREFIX = "note#";

const noteShape = z.object({
  note_id: z.string().describe("The note's id."),
  text: z.string().describe("The note's text."),
  updated_at: z.string().describe("When the note was last written, ISO 8601 (UTC)."),
});
type Note = z.infer<typeof noteShape>;

/** Built once as `z.object`s (the SDK would build an object schema from a raw shape on every request). */
const input = z.object({
  action: z
    .enum(["put", "get", "list", "delete"])
    .describe('"put" stores text under note_id (replacing it), "get" reads one note, "list" lists notes, "delete" removes one.'),
  note_id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "note_id must be 1-64 letters, digits, '_', '.' or '-'" })
    .optional()
    .describe('Id of the note, 1-64 of letters, digits, "_", ".", "-". Required for put, get and delete.'),
  text: z.string().min(1).max(2000).optional().describe("The note's text, 1-2000 characters. Required for put."),
});

const output = z.object({
  action: z.enum(["put", "get", "list", "delete"]),
  note: noteShape.nullable().optional().describe("put: the stored note; get: the note, or null when there is none."),
  notes: z.array(noteShape).optional().describe(`list: up to ${LIST_LIMIT} notes in note_id order.`),
  truncated: z.boolean().optional().describe("list: true when more notes exist than were returned."),
  deleted: z.boolean().optional().describe("delete: whether a note was removed."),
});

function noteOf(item: Record<string, AttributeValue>): Note {
  return {
    note_id: (item[ITEM_KEY]?.S ?? "").slice(NOTE_PREFIX.length),
    text: item.text?.S ?? "",
    updated_at: new Date(Number(item.updated_at?.N ?? 0) * 1000).toISOString(),
  };
}

export interface TenantNotesOptions {
  /** `TENANT_DATA_TABLE_NAME`. */
  readonly tableName: string;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * The `tenant_notes` tool. Without `ctx.tenant.dynamodb` (no token vending machine, or no
 * tenant) every call is a tool error. A temporary failure of STS or DynamoDB (timeout, refused
 * connection, throttling, 5xx) answers the whole request 503 + `Retry-After` (core/dependency.ts);
 * other failures (access denied, a missing table) are logged and answered as a generic tool error:
 * their messages are not for clients.
 */
export function tenantNotesTool(options: TenantNotesOptions): ToolDefinition<typeof input> {
  const now = options.now ?? Date.now;
  const table = options.tableName;
  return defineTool({
    name: "tenant_notes",
    config: {
      title: "Tenant notes",
      description:
        "Store and read short text notes that only your tenant (organisation) can see. Actions: put (note_id + text; " +
        "replaces an existing note), get (note_id), list (up to 50 notes), delete (note_id). Use it to remember facts " +
        "across sessions for this tenant. Notes are private to the tenant of your access token.",
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    handler: async ({ action, note_id, text }, ctx) => {
      const tenant = ctx.tenant;
      if (tenant?.dynamodb === undefined) return toolError("Tenant data is not available on this server.");
      if (action !== "list" && note_id === undefined) return toolError(`note_id is required for ${action}.`);
      if (action === "put" && text === undefined) return toolError("text is required for put.");
      const partition: AttributeValue = { S: tenant.tenantId };
      const key = { [TENANT_KEY]: partition, [ITEM_KEY]: { S: `${NOTE_PREFIX}${note_id}` } };
      try {
        const client = await tenant.dynamodb();
        switch (action) {
          case "put": {
            const item = { ...key, text: { S: text! }, updated_at: { N: String(Math.floor(now() / 1000)) } };
            await client.send(new PutItemCommand({ TableName: table, Item: item }));
            return toolResult({ action, note: noteOf(item) });
          }
          case "get": {
            const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
            return toolResult({ action, note: Item === undefined ? null : noteOf(Item) });
          }
          case "delete": {
            const { Attributes } = await client.send(new DeleteItemCommand({ TableName: table, Key: key, ReturnValues: "ALL_OLD" }));
            return toolResult({ action, deleted: Attributes !== undefined });
          }
          case "list": {
            const { Items, LastEvaluatedKey } = await client.send(
              new QueryCommand({
                TableName: table,
                KeyConditionExpression: `${TENANT_KEY} = :t AND begins_with(${ITEM_KEY}, :p)`,
                ExpressionAttributeValues: { ":t": partition, ":p": { S: NOTE_PREFIX } },
                Limit: LIST_LIMIT,
              }),
            );
            return toolResult({ action, notes: (Items ?? []).map(noteOf), truncated: LastEvaluatedKey !== undefined });
          }
        }
      } catch (error) {
        // STS or the table timed out, refused, throttled or failed: the whole request is answered 503 + Retry-After.
        if (isDependencyOutage(error)) markUnavailable(ctx, "tenant data", error);
        else ctx.logger.warn("tenant data request failed", { tool: "tenant_notes", action, error });
        return toolError("Tenant data is unavailable right now; try again later.");
      }
    },
  });
}
