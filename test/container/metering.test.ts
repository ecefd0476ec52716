/**
 * Tenant metering against DynamoDB Local (started here): exact per-tenant and per-tool counters under
 * concurrency, idempotency per request id, and a failing meter that never fails the MCP call. The
 * usage and metrics stages' own rules (what is counted, how long the answer waits) with recording meters.
 */
import { GetItemCommand, ScanCommand, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { readParsedBody } from "../../container/src/core/body.js";
import { createRequestContext } from "../../container/src/core/context.js";
import type { MeteredRequest, RequestUsage, UsageMeter } from "../../container/src/core/observability.js";
import { metricsStage } from "../../container/src/core/stages/metrics.js";
import { usageStage } from "../../container/src/core/stages/usage.js";
import {
  COUNTER_SHARDS,
  counterKey,
  createDynamoDbUsageMeter,
  markerKey,
  readMonthlyUsage,
  shardOf,
  usagePeriod,
} from "../../container/src/metering/dynamodb.js";
import { createTable, localClient, TABLE_KEYS, startDynamoDbLocal, type DynamoDbLocal } from "./support/dynamodb-local.js";
import { MCP_HEADERS, memoryLogger, postAs, TENANT_ENV, tenantTokenVerifier, toolCall } from "./support/tenants.js";

let ddb: DynamoDbLocal;
beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  for (const name of ["usage", "usage-concurrent"]) {
    await createTable(ddb.client, name, TABLE_KEYS.usage);
  }
});
afterAll(async () => {
  await ddb?.stop();
});

const NOV = Date.UTC(2026, 10, 30, 23, 59, 59, 999);
const DEC = Date.UTC(2026, 11, 1, 0, 0, 0);

async function usageItem(table: string, tenant: string, period: string) {
  const { Item } = await ddb.client.send(
    new GetItemCommand({ TableName: table, Key: { tenant_id: { S: tenant }, period: { S: period } }, ConsistentRead: true }),
  );
  return Item;
}
/** A tenant's month as the README's read side computes it (sum of the counter shards), in the attribute names of the items; undefined when nothing was counted. */
async function usageTotals(table: string, tenant: string, period: string): Promise<Record<string, number> | undefined> {
  const usage = await readMonthlyUsage(ddb.client, table, tenant, period);
  if (usage.updatedAt === undefined) return undefined;
  return {
    requests: usage.requests,
    tool_calls: usage.toolCalls,
    ...Object.fromEntries(Object.entries(usage.tools).map(([tool, n]) => [`tool#${tool}`, n])),
  };
}
/** The counters of an item as numbers (`updated_at` left out). */
function counters(item: Record<string, { N?: string }> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(item ?? {})) if (value.N !== undefined && name !== "updated_at") out[name] = Number(value.N);
  return out;
}

describe("usage periods and marker keys", () => {
  it("uses the UTC month", () => {
    expect(usagePeriod(NOV)).toBe("2026-11");
    expect(usagePeriod(DEC)).toBe("2026-12");
    expect(usagePeriod(Date.UTC(2027, 0, 1) - 1)).toBe("2026-12");
  });

  it("keeps printable request ids and hashes others", () => {
    expect(markerKey("AbC123=")).toBe("request#AbC123=");
    expect(markerKey("x".repeat(201))).toMatch(/^request#sha256:[0-9a-f]{64}$/);
    expect(markerKey("with space")).toMatch(/^request#sha256:/);
    expect(markerKey("x".repeat(201))).not.toBe(markerKey("x".repeat(202)));
  });
});

describe("DynamoDB usage meter", () => {
  const lazyMeter = () => createDynamoDbUsageMeter({ client: ddb.client, tableName: "usage", now: () => NOV, markerTtlSeconds: 600 });

  it("adds requests, tool calls and per-tool counts atomically, in the request's month", async () => {
    const m = lazyMeter();
    expect(await m.record({ requestId: "r1", tenantId: "acme", at: NOV, requests: 1, toolCalls: ["parse_arn"] })).toBe("counted");
    expect(await m.record({ requestId: "r2", tenantId: "acme", at: NOV, requests: 2, toolCalls: ["parse_arn", "cidr_info"] })).toBe(
      "counted",
    );
    expect(await m.record({ requestId: "r3", tenantId: "acme", at: NOV, requests: 1, toolCalls: [] })).toBe("counted");
    expect(await m.record({ requestId: "r4", tenantId: "acme", at: DEC, requests: 1, toolCalls: ["cidr_info"] })).toBe("counted");
    expect(await usageTotals("usage", "acme", "2026-11")).toEqual({ requests: 4, tool_calls: 3, "tool#parse_arn": 2, "tool#cidr_info": 1 });
    expect(await usageTotals("usage", "acme", "2026-12")).toEqual({ requests: 1, tool_calls: 1, "tool#cidr_info": 1 });
    expect((await readMonthlyUsage(ddb.client, "usage", "acme", "2026-11")).updatedAt).toBe(Math.floor(NOV / 1000));
    // Each request added to the shard its request id names.
    expect(counters(await usageItem("usage", "acme", counterKey("2026-12", shardOf("r4"))))).toEqual({
      requests: 1,
      tool_calls: 1,
      "tool#cidr_info": 1,
    });
  });

  it("applies one request id at most once: a retry of the same request id counts nothing", async () => {
    const m = lazyMeter();
    const request: MeteredRequest = { requestId: "retried-request", tenantId: "idem", at: NOV, requests: 1, toolCalls: ["parse_arn"] };
    expect(await m.record(request)).toBe("counted");
    expect(await m.record(request)).toBe("duplicate");
    // Even concurrently, and even when the retry lands in the next month.
    expect(await Promise.all([m.record(request), m.record({ ...request, at: DEC })])).toEqual(["duplicate", "duplicate"]);
    expect(await usageTotals("usage", "idem", "2026-11")).toEqual({ requests: 1, tool_calls: 1, "tool#parse_arn": 1 });
    expect(await usageTotals("usage", "idem", "2026-12")).toBeUndefined();
    // The marker: under the tenant, with a TTL.
    const marker = await usageItem("usage", "idem", "request#retried-request");
    expect(marker).toEqual({
      tenant_id: { S: "idem" },
      period: { S: "request#retried-request" },
      created_at: { N: String(Math.floor(NOV / 1000)) },
      expires_at: { N: String(Math.floor(NOV / 1000) + 600) },
    });
    // The same request id of another tenant is another request.
    expect(await m.record({ ...request, tenantId: "idem-2" })).toBe("counted");
  });

  it("retries transactions DynamoDB cancels for TransactionConflict (injected through the SDK middleware stack) and counts exactly", async () => {
    // DynamoDB Local does not reproduce conflicts: a middleware cancels the first two attempts of
    // every request id the way DynamoDB does (TransactionCanceledException, reason TransactionConflict
    // on the counter item, or on the marker for every fifth id), before anything is sent.
    const client = localClient(ddb.endpoint);
    const attempts = new Map<string, number>();
    const shardsTried = new Map<string, string[]>();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (
          args as {
            input: {
              TransactItems?: Array<{ Put?: { Item: Record<string, { S?: string }> }; Update?: { Key: Record<string, { S?: string }> } }>;
            };
          }
        ).input;
        if (context.commandName === "TransactWriteItemsCommand") {
          const marker = input.TransactItems![0]!.Put!.Item.period!.S!;
          const n = (attempts.get(marker) ?? 0) + 1;
          attempts.set(marker, n);
          shardsTried.set(marker, [...(shardsTried.get(marker) ?? []), input.TransactItems![1]!.Update!.Key.period!.S!]);
          if (n <= 2) {
            const onMarker = Number(marker.split("-").pop()) % 5 === 0;
            throw new TransactionCanceledException({
              message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]",
              $metadata: { httpStatusCode: 400 },
              CancellationReasons: onMarker
                ? [{ Code: "TransactionConflict" }, { Code: "None" }]
                : [{ Code: "None" }, { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }],
            });
          }
        }
        return next(args);
      },
      { step: "initialize", name: "injectTransactionConflicts" },
    );
    const m = createDynamoDbUsageMeter({ client, tableName: "usage", now: () => NOV, conflictBackoff: { baseMs: 1, capMs: 5 } });
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        m.record({
          requestId: `busy-${i}`,
          tenantId: "busy",
          at: NOV,
          requests: 1,
          toolCalls: i % 4 === 0 ? ["cidr_info"] : ["parse_arn"],
        }),
      ),
    );
    expect(outcomes).toEqual(Array(40).fill("counted"));
    expect(await usageTotals("usage", "busy", "2026-11")).toEqual({
      requests: 40,
      tool_calls: 40,
      "tool#parse_arn": 30,
      "tool#cidr_info": 10,
    });
    expect([...attempts.values()]).toEqual(Array(40).fill(3));
    // Each retry moved to the next shard.
    const tried = shardsTried.get("request#busy-1")!;
    const first = shardOf("busy-1");
    expect(tried).toEqual([0, 1, 2].map((k) => counterKey("2026-11", (first + k) % COUNTER_SHARDS)));
    // Retried requests stay idempotent.
    expect(await m.record({ requestId: "busy-3", tenantId: "busy", at: NOV, requests: 1, toolCalls: [] })).toBe("duplicate");
  });

  it("gives up after conflictAttempts conflicts, having counted nothing", async () => {
    const client = localClient(ddb.endpoint);
    let sent = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "TransactWriteItemsCommand") return next(args);
        sent++;
        throw new TransactionCanceledException({
          message: "Transaction cancelled",
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }],
        });
      },
      { step: "initialize", name: "alwaysConflict" },
    );
    const m = createDynamoDbUsageMeter({
      client,
      tableName: "usage",
      now: () => NOV,
      conflictAttempts: 4,
      conflictBackoff: { baseMs: 1, capMs: 5 },
    });
    await expect(m.record({ requestId: "hopeless", tenantId: "contended", at: NOV, requests: 1, toolCalls: [] })).rejects.toMatchObject({
      name: "TransactionCanceledException",
    });
    expect(sent).toBe(4);
    expect(await usageTotals("usage", "contended", "2026-11")).toBeUndefined();
  });

  it("rejects when the table does not exist", async () => {
    const m = createDynamoDbUsageMeter({ client: ddb.client, tableName: "no-such-table" });
    await expect(m.record({ requestId: "x", tenantId: "t", at: NOV, requests: 1, toolCalls: [] })).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });
});

describe("metering through the MCP server (DynamoDB Local)", () => {
  it("counts exactly what each tenant did, with two tenants calling tools concurrently", async () => {
    const handler = await createApp(loadConfig({ ...TENANT_ENV, METERING_TABLE_NAME: "usage-concurrent" }), {
      logger: memoryLogger().logger,
      verifier: tenantTokenVerifier,
      dynamoDb: ddb.client,
    });
    // 25 calls each, interleaved: tenant A alternates two tools, tenant B uses one tool and lists tools.
    const calls: Array<Promise<{ status: number }>> = [];
    for (let i = 0; i < 25; i++) {
      calls.push(
        postAs(
          handler,
          "tenant-a",
          i % 2 === 0 ? toolCall("parse_arn", { arn: `arn:aws:s3:::bucket-${i}` }, i) : toolCall("cidr_info", { cidr: "10.0.0.0/16" }, i),
        ),
      );
      calls.push(
        postAs(
          handler,
          "tenant-b",
          i % 5 === 0 ? { jsonrpc: "2.0", id: i, method: "tools/list" } : toolCall("cidr_info", { cidr: "10.1.0.0/24" }, i),
        ),
      );
    }
    // Not counted: a notification, and a call of a tool the server does not offer (a request, not a tool call).
    calls.push(postAs(handler, "tenant-a", { jsonrpc: "2.0", method: "notifications/initialized" }));
    calls.push(postAs(handler, "tenant-b", toolCall("no_such_tool", {}, 99)));
    const statuses = (await Promise.all(calls)).map((c) => c.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(51);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);

    // An answer waits at most 2 s for its write; on a busy machine DynamoDB Local (which runs
    // transactions one at a time) may still be writing. Each transaction writes its marker and its
    // counters together, so once all 51 markers exist every count is final.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const { Count } = await ddb.client.send(
        new ScanCommand({
          TableName: "usage-concurrent",
          ConsistentRead: true,
          Select: "COUNT",
          FilterExpression: "begins_with(period, :m)",
          ExpressionAttributeValues: { ":m": { S: "request#" } },
        }),
      );
      if (Count === 51) break;
    }
    const period = usagePeriod(Date.now());
    expect(await usageTotals("usage-concurrent", "tenant-a", period)).toEqual({
      requests: 25,
      tool_calls: 25,
      "tool#parse_arn": 13,
      "tool#cidr_info": 12,
    });
    expect(await usageTotals("usage-concurrent", "tenant-b", period)).toEqual({ requests: 26, tool_calls: 20, "tool#cidr_info": 20 });
    // One marker per counted request; the rest are counter shards of this month.
    const { Items } = await ddb.client.send(new ScanCommand({ TableName: "usage-concurrent", ConsistentRead: true }));
    expect(Items?.filter((item) => item.period!.S!.startsWith("request#"))).toHaveLength(51);
    const shards = Items!.filter((item) => !item.period!.S!.startsWith("request#"));
    expect(shards.every((item) => new RegExp(`^${period}#\\d{2}$`).test(item.period!.S!))).toBe(true);
    expect(shards.length).toBeGreaterThan(2);
    expect(shards.length).toBeLessThanOrEqual(2 * COUNTER_SHARDS);
  });

  it("counts a retried invocation (same API Gateway request id) once", async () => {
    const handler = await createApp(loadConfig({ ...TENANT_ENV, METERING_TABLE_NAME: "usage" }), {
      logger: memoryLogger().logger,
      verifier: tenantTokenVerifier,
      dynamoDb: ddb.client,
    });
    const call = toolCall("parse_arn", { arn: "arn:aws:s3:::b" });
    for (let i = 0; i < 3; i++) expect((await postAs(handler, "retry-tenant", call, { requestId: "apigw-request-1" })).status).toBe(200);
    await postAs(handler, "retry-tenant", call, { requestId: "apigw-request-2" });
    expect(await usageTotals("usage", "retry-tenant", usagePeriod(Date.now()))).toEqual({
      requests: 2,
      tool_calls: 2,
      "tool#parse_arn": 2,
    });
  });

  it("answers the MCP call when the metering write fails, and logs the failure", async () => {
    const { logger, lines } = memoryLogger();
    const handler = await createApp(loadConfig({ ...TENANT_ENV, METERING_TABLE_NAME: "missing-usage-table" }), {
      logger,
      verifier: tenantTokenVerifier,
      dynamoDb: ddb.client,
    });
    const { status, messages } = await postAs(handler, "tenant-a", toolCall("cidr_info", { cidr: "10.0.0.0/30" }));
    expect(status).toBe(200);
    expect((messages[0]!.result as { structuredContent: { total_addresses: number } }).structuredContent.total_addresses).toBe(4);
    expect(lines.filter((l) => l.level === "WARN")).toEqual([
      expect.objectContaining({
        message: "metering write failed; the request was answered but not counted",
        tenant_id: "tenant-a",
        tool_calls: 1,
        error: expect.objectContaining({ name: "ResourceNotFoundException" }),
      }),
    ]);
  });
});

describe("usage and metrics stages", () => {
  const recordingMeter = () => {
    const records: MeteredRequest[] = [];
    return { records, meter: { record: async (r) => (records.push(r), "counted") } satisfies UsageMeter };
  };
  const run = async (
    stage: ReturnType<typeof usageStage>,
    body: string,
    headers: Record<string, string> = {},
    next = async () => new Response("ok"),
  ) => {
    const ctx = createRequestContext(
      new Request("https://x/mcp", { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body }),
      { requestId: "req-1" },
      memoryLogger().logger,
    );
    ctx.tenant = { tenantId: "t1" };
    return { response: await stage(ctx, next), ctx };
  };

  it("meters JSON-RPC requests with the tools the server offers; not notifications, responses or unreadable bodies", async () => {
    const { records, meter } = recordingMeter();
    const stage = usageStage({ meter, knownTools: new Set(["parse_arn", "cidr_info"]) });
    await run(stage, JSON.stringify(toolCall("parse_arn", {})));
    await run(stage, JSON.stringify(toolCall("made_up_tool", {})));
    await run(stage, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    await run(stage, JSON.stringify({ jsonrpc: "2.0", id: 5, result: {} }));
    await run(stage, "{not json");
    // A 2025-03-26 batch: every request counts, every offered tool too.
    await run(
      stage,
      JSON.stringify([toolCall("cidr_info", {}, 1), toolCall("parse_arn", {}, 2), { jsonrpc: "2.0", method: "notifications/x" }]),
      { "mcp-protocol-version": "2025-03-26" },
    );
    expect(records.map((r) => [r.requestId, r.tenantId, r.requests, r.toolCalls])).toEqual([
      ["req-1", "t1", 1, ["parse_arn"]],
      ["req-1", "t1", 1, []],
      ["req-1", "t1", 2, ["cidr_info", "parse_arn"]],
    ]);
  });

  it("writes while the MCP call runs, and waits for the write at most meterWaitMs", async () => {
    const order: string[] = [];
    const slow: UsageMeter = { record: () => (order.push("meter started"), new Promise(() => undefined)) };
    const stage = usageStage({ meter: slow, meterWaitMs: 50 });
    const started = Date.now();
    const { logger, lines } = memoryLogger();
    const ctx = createRequestContext(
      new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(toolCall("x", {})) }),
      {},
      logger,
    );
    const response = await stage(ctx, async () => (order.push("mcp"), new Response("answer")));
    expect(await response.text()).toBe("answer");
    expect(order).toEqual(["meter started", "mcp"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lines.find((l) => l.message === "metering write still pending; answering without waiting for it")).toMatchObject({
      level: "WARN",
      wait_ms: 50,
    });
  });

  it("gives the metrics sink only offered tool names (no unbounded tool dimension)", async () => {
    const usages: RequestUsage[] = [];
    const stage = metricsStage({ sink: { record: (u) => usages.push(u) }, knownTools: new Set(["parse_arn"]) });
    for (const name of ["parse_arn", "x".repeat(100)]) {
      const ctx = createRequestContext(
        new Request("https://x/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(toolCall(name, {})) }),
        {},
        memoryLogger().logger,
      );
      // The MCP stage reads the body; the sink sees what it read.
      await stage(ctx, async () => (await readParsedBody(ctx), new Response("ok")));
    }
    expect(usages.map((u) => [u.method, u.tool])).toEqual([
      ["tools/call", "parse_arn"],
      ["tools/call", undefined],
    ]);
  });
});
