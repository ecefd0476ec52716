/**
 * Per-request cost of the usage meter's write (container/src/metering/dynamodb.ts) against DynamoDB
 * Local: one counter item per tenant and month (`shards: 1`, what a single counter would cost) against
 * the 16 write shards, interleaved; then the shards with a TransactionConflict injected through the
 * client's middleware stack on 10% of transactions (DynamoDB Local produces none), which the meter
 * retries. Sequential calls, so the numbers are latency per request, not throughput.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { createDynamoDbUsageMeter } from "../container/src/metering/dynamodb.js";
import { createTable, localClient, TABLE_KEYS, type DynamoDbLocal } from "../test/container/support/dynamodb-local.js";

export interface MeteringBench {
  readonly single: number[];
  readonly sharded: number[];
  readonly conflicted: number[];
  /** Transactions sent per request in the conflicted run. */
  readonly transactionsPerRequest: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** `p50 x ms, p99 y ms` of `values` (milliseconds). */
export const summary = (values: number[]) => `p50 ${percentile(values, 50).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms`;

export async function meteringBench(ddb: DynamoDbLocal, requests: number): Promise<MeteringBench> {
  await createTable(ddb.client, "bench-usage-shards", TABLE_KEYS.usage);
  const single = createDynamoDbUsageMeter({ client: ddb.client, tableName: "bench-usage-shards", shards: 1 });
  const sharded = createDynamoDbUsageMeter({ client: ddb.client, tableName: "bench-usage-shards" });
  const conflictClient = localClient(ddb.endpoint);
  let sent = 0;
  conflictClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand" && ++sent % 10 === 0) {
        throw new TransactionCanceledException({
          message: "Transaction cancelled",
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }],
        });
      }
      return next(args);
    },
    { step: "initialize", name: "benchConflicts" },
  );
  const conflicted = createDynamoDbUsageMeter({ client: conflictClient, tableName: "bench-usage-shards" });
  const times = { single: [] as number[], sharded: [] as number[], conflicted: [] as number[] };
  const at = Date.now();
  const run = async (name: keyof typeof times, meter: typeof single, i: number) => {
    const started = performance.now();
    await meter.record({ requestId: `${name}-${i}`, tenantId: "bench", at, requests: 1, toolCalls: ["cidr_info"] });
    times[name].push(performance.now() - started);
  };
  for (let i = 0; i < 20; i++) await run("single", single, -i - 1); // warm-up
  times.single.length = 0;
  for (let i = 0; i < requests; i++) {
    await run("single", single, i);
    await run("sharded", sharded, i);
    await run("conflicted", conflicted, i);
  }
  return { ...times, transactionsPerRequest: sent / requests };
}
