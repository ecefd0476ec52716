/**
 * The two tools this server offers.
 *
 * - `slugify` (pure): turns a title into a URL slug.
 * - `count_tenant_items` (AWS): counts the caller's items in the tenant data table
 *   (`TENANT_DATA_TABLE_NAME`) with a DynamoDB client signed with credentials vended for the caller's
 *   tenant (`ctx.tenant.dynamodb()`; needs the token vending machine: `TVM_TENANT_ROLE_ARN`). The
 *   partition key is always the verified tenant, never an argument, so a tenant cannot name another's items.
 */
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { defineTool, toolError, toolResult } from "@mcp-server-aws/runtime";
import { z } from "zod";

export const slugify = defineTool({
  name: "slugify",
  config: {
    title: "Slugify",
    description: "Turns a title into a lower-case URL slug (letters, digits and single hyphens).",
    inputSchema: z.object({ title: z.string().min(1).max(500).describe("The text to turn into a slug.") }),
    outputSchema: z.object({ slug: z.string() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  cacheable: true,
  handler: ({ title }) => {
    const slug = title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    return slug === "" ? toolError("the title has no letters or digits") : toolResult({ slug });
  },
});

export const countTenantItems = defineTool({
  name: "count_tenant_items",
  config: {
    title: "Count my items",
    description: "Counts the caller's items in the tenant data table whose item_id starts with a prefix.",
    inputSchema: z.object({ prefix: z.string().max(64).default("").describe('item_id prefix, e.g. "note#"; empty counts every item.') }),
    outputSchema: z.object({ tenant_id: z.string(), prefix: z.string(), count: z.number().int() }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async ({ prefix }, ctx) => {
    const table = process.env.TENANT_DATA_TABLE_NAME;
    const dynamodb = ctx.tenant?.dynamodb;
    if (ctx.tenant === undefined || dynamodb === undefined || table === undefined) {
      return toolError("tenant data is not configured on this server (TVM_TENANT_ROLE_ARN and TENANT_DATA_TABLE_NAME)");
    }
    const client = await dynamodb();
    let count = 0;
    let start: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: prefix === "" ? "tenant_id = :t" : "tenant_id = :t AND begins_with(item_id, :p)",
          ExpressionAttributeValues: { ":t": { S: ctx.tenant.tenantId }, ...(prefix === "" ? {} : { ":p": { S: prefix } }) },
          Select: "COUNT",
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return toolResult({ tenant_id: ctx.tenant.tenantId, prefix, count });
  },
});

/** In `tools/list` order. */
export const tools = [slugify, countTenantItems];
