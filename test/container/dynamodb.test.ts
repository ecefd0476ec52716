/**
 * Session stores and the tool-result cache against DynamoDB Local (started here on 127.0.0.1, in
 * memory, stopped after), with the table layouts the module creates; the same store contract against
 * the in-memory store.
 */
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { createMemorySessionStore, type SessionStore } from "../../container/src/core/sessions/store.js";
import { createDynamoDbSessionStore } from "../../container/src/sessions/dynamodb.js";
import { canonicalJson, paramsHash } from "../../container/src/tools/cache.js";
import { createDynamoDbToolCache } from "../../container/src/tools/cache-dynamodb.js";
import { createTable, TABLE_KEYS, startDynamoDbLocal, type DynamoDbLocal } from "./support/dynamodb-local.js";

let ddb: DynamoDbLocal;

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  await createTable(ddb.client, "sessions", TABLE_KEYS.sessions);
  await createTable(ddb.client, "sessions-tenant", TABLE_KEYS.tenantSessions);
  await createTable(ddb.client, "tool-cache", TABLE_KEYS.toolCache);
});
afterAll(async () => {
  await ddb?.stop();
});

const T0 = 1_800_000_000;
const record = (overrides: Partial<Parameters<SessionStore["create"]>[0]> = {}) => ({
  tenantId: "tenant-a",
  sessionId: `s-${Math.random().toString(36).slice(2)}`,
  owner: "client-a|client-a",
  protocolVersion: "2025-06-18",
  createdAt: T0,
  expiresAt: T0 + 3600,
  ...overrides,
});

const stores: Array<[string, () => SessionStore]> = [
  ["memory", () => createMemorySessionStore()],
  ["DynamoDB, session_id key", () => createDynamoDbSessionStore({ client: ddb.client, tableName: "sessions", tenantKeyed: false })],
  [
    "DynamoDB, tenant_id + session_id key",
    () => createDynamoDbSessionStore({ client: ddb.client, tableName: "sessions-tenant", tenantKeyed: true }),
  ],
];

describe.each(stores)("session store: %s", (_name, make) => {
  it("creates, reads, slides and deletes a session", async () => {
    const store = make();
    const r = record();
    await store.create(r);
    expect(await store.get(r, T0 + 1)).toEqual(r);
    await store.touch(r, T0 + 7200);
    expect(await store.get(r, T0 + 5000)).toMatchObject({ expiresAt: T0 + 7200 });
    expect(await store.delete(r, T0 + 5001)).toBe(true);
    expect(await store.get(r, T0 + 5002)).toBeUndefined();
    expect(await store.delete(r, T0 + 5003)).toBe(false);
  });

  it("treats a session past expires_at as absent, even while storage still holds it", async () => {
    const store = make();
    const r = record();
    await store.create(r);
    expect(await store.get(r, T0 + 3600)).toBeUndefined();
    expect(await store.delete(r, T0 + 3601)).toBe(false);
  });

  it("refuses to overwrite an existing session id", async () => {
    const store = make();
    const r = record();
    await store.create(r);
    await expect(store.create(r)).rejects.toThrow();
  });

  it("does not resurrect a deleted session on touch", async () => {
    const store = make();
    const r = record();
    await store.create(r);
    await store.delete(r, T0);
    await store.touch(r, T0 + 9999);
    expect(await store.get(r, T0 + 1)).toBeUndefined();
  });
});

describe("tenant-keyed table", () => {
  it("keeps the same session id apart per tenant (hash key tenant_id)", async () => {
    const store = createDynamoDbSessionStore({ client: ddb.client, tableName: "sessions-tenant", tenantKeyed: true });
    const a = record({ sessionId: "shared-id", tenantId: "tenant-a" });
    await store.create(a);
    expect(await store.get({ tenantId: "tenant-b", sessionId: "shared-id" }, T0)).toBeUndefined();
    const { Item } = await ddb.client.send(
      new GetItemCommand({ TableName: "sessions-tenant", Key: { tenant_id: { S: "tenant-a" }, session_id: { S: "shared-id" } } }),
    );
    expect(Item).toEqual({
      tenant_id: { S: "tenant-a" },
      session_id: { S: "shared-id" },
      owner: { S: "client-a|client-a" },
      protocol_version: { S: "2025-06-18" },
      created_at: { N: String(T0) },
      expires_at: { N: String(T0 + 3600) },
    });
  });
});

describe("session stage with DynamoDB (the Lambda configuration)", () => {
  const HEADERS = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "mcp-protocol-version": "2025-06-18",
  };
  const INIT = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  };
  const LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" };

  it("issues Mcp-Session-Id on initialize, stores it, requires it, and ends it on DELETE", async () => {
    const config = loadConfig({ MCP_SESSION_TABLE_NAME: "sessions", MCP_SESSION_TTL_SECONDS: "600", LOG_LEVEL: "silent" });
    expect(config.sessionStore).toBe("dynamodb");
    const handler = await createApp(config, { logger: silentLogger, dynamoDb: ddb.client });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      handler(new Request("https://x/mcp", { method: "POST", headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) }));

    const init = await post(INIT);
    expect(init.status).toBe(200);
    const id = init.headers.get("mcp-session-id")!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { Item } = await ddb.client.send(
      new GetItemCommand({ TableName: "sessions", Key: { session_id: { S: id } }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ tenant_id: { S: "-" }, owner: { S: "anonymous" }, protocol_version: { S: "2025-06-18" } });
    expect(Number(Item!.expires_at!.N) - Number(Item!.created_at!.N)).toBe(600);

    expect((await post(LIST)).status).toBe(400);
    expect((await post(LIST, { "mcp-session-id": id })).status).toBe(200);
    const del = await handler(new Request("https://x/mcp", { method: "DELETE", headers: { "mcp-session-id": id } }));
    expect(del.status).toBe(204);
    expect((await post(LIST, { "mcp-session-id": id })).status).toBe(404);
    const { Items } = await ddb.client.send(
      new ScanCommand({ TableName: "sessions", FilterExpression: "session_id = :id", ExpressionAttributeValues: { ":id": { S: id } } }),
    );
    expect(Items).toEqual([]);
  });

  it("answers 500 (logged, generic body) when the table does not exist", async () => {
    const handler = await createApp(loadConfig({ MCP_SESSION_TABLE_NAME: "missing-table", LOG_LEVEL: "silent" }), {
      logger: silentLogger,
      dynamoDb: ddb.client,
    });
    const response = await handler(new Request("https://x/mcp", { method: "POST", headers: HEADERS, body: JSON.stringify(INIT) }));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null });
  });
});

describe("tool-result cache on DynamoDB", () => {
  const result: CallToolResult = { content: [{ type: "text", text: "cached" }] };

  it("hashes arguments canonically and per tenant", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 1 }] })).toBe('{"a":[{"c":1,"d":2}],"b":1}');
    expect(paramsHash({ a: 1, b: 2 }, "t")).toBe(paramsHash({ b: 2, a: 1 }, "t"));
    expect(paramsHash({ a: 1 }, "t1")).not.toBe(paramsHash({ a: 1 }, "t2"));
  });

  it("stores with expires_at and misses after it", async () => {
    let clock = T0 * 1000;
    const cache = createDynamoDbToolCache({ client: ddb.client, tableName: "tool-cache", ttlSeconds: 60, now: () => clock });
    await cache.put("parse_arn", "h1", result);
    expect(await cache.get("parse_arn", "h1")).toEqual(result);
    const { Item } = await ddb.client.send(
      new GetItemCommand({ TableName: "tool-cache", Key: { tool_name: { S: "parse_arn" }, params_hash: { S: "h1" } } }),
    );
    expect(Item?.expires_at).toEqual({ N: String(T0 + 60) });
    clock += 60_000;
    expect(await cache.get("parse_arn", "h1")).toBeUndefined();
  });

  it("answers a cacheable tool from the cache and leaves other tools alone", async () => {
    const config = loadConfig({ MCP_TOOL_CACHE_TABLE_NAME: "tool-cache", LOG_LEVEL: "silent" });
    const usages: Array<{ tool?: string; cacheHit?: boolean }> = [];
    const handler = await createApp(config, { logger: silentLogger, dynamoDb: ddb.client, metrics: { record: (u) => usages.push(u) } });
    const call = (name: string, args: Record<string, unknown>) =>
      handler(
        new Request("https://x/mcp", {
          method: "POST",
          headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
        }),
      );
    const arn = `arn:aws:s3:::bucket-${Date.now()}`;
    const first = await (await call("parse_arn", { arn })).text();
    const second = await (await call("parse_arn", { arn })).text();
    expect(second).toBe(first);
    expect(usages.map((u) => u.cacheHit)).toEqual([false, true]);
    // Errors are not cached.
    await call("parse_arn", { arn: "not-an-arn" });
    await call("parse_arn", { arn: "not-an-arn" });
    expect(usages.slice(2).map((u) => u.cacheHit)).toEqual([undefined, undefined]);
    const { Items } = await ddb.client.send(
      new ScanCommand({
        TableName: "tool-cache",
        FilterExpression: "tool_name = :t",
        ExpressionAttributeValues: { ":t": { S: "parse_arn" } },
      }),
    );
    expect(Items?.filter((item) => item.result?.S?.includes("not-an-arn"))).toEqual([]);
  });
});
