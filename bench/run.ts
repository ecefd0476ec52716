/**
 * Benchmarks of the MCP server (`npm run bench`). Everything runs on 127.0.0.1, bounded in time and
 * count; numbers depend on the machine (the reference numbers in container/README.md come from a
 * 2-core build machine).
 *
 * 1. cold start: fresh Node processes import the bundled Lambda entry (dist/lambda/index.mjs and
 *    the chunks it loads, built here with container/build.ts, with the compile cache the image
 *    ships) alternately with the bare MCP SDK's handler bundled the same way (bench/cold), on this
 *    Node and on Node 22: module load + config + handler construction, median of 11, wall clock and
 *    CPU time, the init split, then the first tools/call in that process; and the same import as
 *    the tenant router (`_HANDLER=index.routerHandler`). Bundle size: per handler, the files it can
 *    load (bench/bundle-size.ts).
 * 2. in-process invoke: the bundled Lambda handler (with Powertools metrics on) called directly with
 *    a payload 2.0 event (no network) in a fresh process, sequential, 2000 calls after 300 warm-up
 *    calls: tools/call and initialize; p50 / p90 / p99 / mean (bench/invoke-bundle.mjs).
 * 3. warm tools/call through the Lambda adapter, in-process, interleaved with the bare SDK transport:
 *    p50 / p99 per configuration, the overhead ratio, and DynamoDB / STS calls per request
 *    (bench/warm.ts).
 * 3b. the usage meter's write: one counter item against 16 write shards, and with conflicts injected
 *    and retried (bench/metering.ts).
 * 4. HTTP load with autocannon (10 connections, 5 s each) against the local server:
 *    GET /health; stateless tools/call; tools/call with in-function JWT verification + tenant +
 *    in-memory sessions; and the same through the Lambda adapter (HTTP API shim) with sessions in
 *    DynamoDB Local.
 *
 * 5. interactive sign-in (bench/oauth.ts): MCP request cost with this origin's token vs a Cognito
 *    token, warm `/authorize` and `/token` without the upstream call, cold start of the OAuth entries.
 *
 * At the end, the targets with their measured values.
 *
 * Flags: --quick (1 s per load run, 300 invokes, fewer warm rounds) for a smoke run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { loadConfig } from "../container/src/config.js";
import { COMPILE_CACHE_DIR } from "../container/src/lambda/compile-cache.js";
import { INIT_MARKS } from "../container/src/lambda/runtime.js";
import { createTable, TABLE_KEYS, startDynamoDbLocal, type DynamoDbLocal } from "../test/container/support/dynamodb-local.js";
import { MCP_SCOPE, RESOURCE, startAuthorizationServer, type AuthorizationServer } from "../test/container/support/oidc.js";
import { node22 } from "../test/container/support/node22.js";
import { startTarget } from "../test/container/support/servers.js";
import { entryClosures } from "./bundle-size.js";
import { bareSdkBundle, coldImports } from "./cold/import.js";
import { meteringBench, summary } from "./metering.js";
import { oauthBench } from "./oauth.js";
import { warmRuns, type WarmResult } from "./warm.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const LOAD_SECONDS = quick ? 1 : 5;
/** Fresh processes per cold-start measurement (the median is reported: single runs vary by +-20% on a shared VM). */
const COLD_RUNS = 11;
const INVOKES = quick ? 300 : 2000;
const ACCEPT = "application/json, text/event-stream";
const CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/16" } },
});
const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
});

const rows: Array<[string, string]> = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  process.stdout.write(`${name.padEnd(72)} ${value}\n`);
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
// The AWS SDK warns once that it will need Node 22 in 2027; the Lambda runtime is Node 22.
process.env.NODE_NO_WARNINGS = "1";

const targets: Array<[string, string, boolean]> = [];

/** The compile cache the image ships (container/Dockerfile): an empty directory filled by one import with `node`. */
function warmCompileCache(node: string): void {
  mkdirSync(join(root, "dist/lambda", COMPILE_CACHE_DIR), { recursive: true });
  const run = spawnSync(node, ["--input-type=module", "-e", `await import(${JSON.stringify(join(root, "dist/lambda/index.mjs"))})`], {
    env: { ...process.env, LOG_LEVEL: "silent", AWS_REGION: "us-east-1" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`compile cache run failed: ${run.stderr}`);
}

async function coldStart(): Promise<void> {
  execFileSync(process.execPath, ["--import", "tsx", join(root, "container/build.ts")], { cwd: root, stdio: "ignore" });
  const closures = entryClosures(root);
  for (const c of closures) report(`bundle: what ${c.name} can load`, `${c.files} files, ${(c.bytes / 1e6).toFixed(2)} MB`);
  const mcp = closures[0]!;
  targets.push(["bundle: what index.handler can load <= 1.5 MB", `${(mcp.bytes / 1e6).toFixed(2)} MB`, mcp.bytes <= 1.5e6]);

  const bundles = { bare: await bareSdkBundle(), ours: join(root, "dist/lambda/index.mjs") };
  const nodes = [process.execPath];
  try {
    const n22 = node22();
    if (n22 !== process.execPath) nodes.push(n22);
  } catch (error) {
    process.stdout.write(`(no Node 22 run: ${(error as Error).message})\n`);
  }
  for (const node of nodes) {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    warmCompileCache(node);
    const results = coldImports(node, bundles, COLD_RUNS);
    const ours = results.ours!;
    const bare = results.bare!;
    const mark = (name: string) => ours.marks[name] ?? Number.NaN;
    report(
      `cold start, node ${version}: import of index.handler vs the bare SDK's (median of ${COLD_RUNS}, alternating)`,
      `${ours.imported.toFixed(0)} ms vs ${bare.imported.toFixed(0)} ms (${(ours.imported / bare.imported).toFixed(2)}x); CPU ${ours.cpu.toFixed(0)} vs ${bare.cpu.toFixed(0)} ms (${(ours.cpu / bare.cpu).toFixed(2)}x)`,
    );
    report(
      `  init split: modules / config / app built (ms since the import began)`,
      `${mark(INIT_MARKS.modules).toFixed(0)} / ${mark(INIT_MARKS.config).toFixed(1)} / ${mark(INIT_MARKS.app).toFixed(1)}`,
    );
    report(`  first tools/call after the import`, `${ours.first.toFixed(1)} ms (bare SDK ${bare.first.toFixed(1)} ms)`);
    targets.push([
      `cold import <= 1.0x the bare SDK's, node ${version} (wall; CPU)`,
      `${(ours.imported / bare.imported).toFixed(2)}x; ${(ours.cpu / bare.cpu).toFixed(2)}x`,
      ours.imported <= bare.imported,
    ]);
    targets.push([`bundled import <= 100 ms, node ${version}`, `${ours.imported.toFixed(0)} ms`, ours.imported <= 100]);
  }

  // The same image as the tenant router (image command index.routerHandler).
  const routerScript = `const t=performance.now();await import(${JSON.stringify(join(root, "dist/lambda/index.mjs"))});process.stdout.write(String(performance.now()-t));`;
  const routerTimes: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", routerScript], {
      env: {
        ...process.env,
        LOG_LEVEL: "silent",
        AWS_REGION: "us-east-1",
        _HANDLER: "index.routerHandler",
        MCP_TARGET_FUNCTION_ARN: "arn:aws:lambda:us-east-1:123456789012:function:bench",
        // The router verifies tokens itself: it needs the issuer and client ids the module sets.
        MCP_JWT_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench",
        MCP_JWT_CLIENT_IDS: "bench-client",
      },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`router cold start run failed: ${run.stderr}`);
    routerTimes.push(Number(run.stdout));
  }
  routerTimes.sort((a, b) => a - b);
  report(
    `cold start: import as the tenant router (_HANDLER=index.routerHandler, median of ${COLD_RUNS})`,
    `${percentile(routerTimes, 50).toFixed(0)} ms`,
  );
}

function inProcess(): void {
  for (const kind of ["tools/call", "initialize"]) {
    const run = spawnSync(
      process.execPath,
      [join(root, "bench/invoke-bundle.mjs"), join(root, "dist/lambda/index.mjs"), String(INVOKES), "300", kind],
      {
        env: { ...process.env, LOG_LEVEL: "silent", AWS_REGION: "us-east-1", NODE_NO_WARNINGS: "1" },
        encoding: "utf8",
      },
    );
    if (run.status !== 0) throw new Error(`invoke-bundle failed: ${run.stderr}`);
    const stats = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    report(
      `in-process invoke of the bundled handler, ${kind} (${INVOKES} sequential)`,
      `p50 ${stats.p50!.toFixed(2)} ms, p90 ${stats.p90!.toFixed(2)} ms, p99 ${stats.p99!.toFixed(2)} ms, mean ${stats.mean!.toFixed(2)} ms`,
    );
  }
}

async function load(
  label: string,
  url: URL,
  options: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {},
): Promise<void> {
  const result = await autocannon({
    url: url.href,
    connections: 10,
    duration: LOAD_SECONDS,
    method: options.method ?? "POST",
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  report(
    `HTTP ${label} (10 conns, ${LOAD_SECONDS}s)`,
    `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${bad > 0 ? `, ${bad} failed` : ""}`,
  );
  if (bad > 0) process.exitCode = 1;
}

function warmReport(results: readonly WarmResult[]): void {
  for (const r of results) {
    const calls = Object.entries(r.dynamoDbCalls).map(([name, n]) => `${name.replace(/Command$/, "")} ${n.toFixed(2)}`);
    report(`warm tools/call: ${r.label}`, `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, mean ${r.mean.toFixed(2)} ms`);
    if (calls.length > 0 || r.stsCalls > 0)
      report("  AWS calls per request", `DynamoDB: ${calls.join(", ") || "none"}; STS AssumeRole: ${r.stsCalls.toFixed(3)}`);
  }
  const bare = results[0]!;
  const authed = results.find((r) => r.label.startsWith("Lambda handler: auth (JWT"))!;
  const ratio = authed.p50 / bare.p50;
  report(
    "overhead: auth on, sessions off vs bare SDK transport (p50 / p50; mean / mean)",
    `${ratio.toFixed(2)}x; ${(authed.mean / bare.mean).toFixed(2)}x`,
  );
  targets.push(["warm overhead, auth on / sessions off <= 1.3x bare SDK (p50)", `${ratio.toFixed(2)}x`, ratio <= 1.3]);
  targets.push(["warm tools/call p50, JWT auth on <= 0.35x bare SDK (one server per environment)", `${ratio.toFixed(2)}x`, ratio <= 0.35]);
  const full = results.find((r) => r.label.includes("metering") && !r.label.includes("TVM"))!;
  const reads = (full.dynamoDbCalls.GetItemCommand ?? 0) + (full.dynamoDbCalls.QueryCommand ?? 0);
  const writes = Object.entries(full.dynamoDbCalls)
    .filter(([name]) => /Put|Update|Delete|TransactWrite/.test(name))
    .reduce((sum, [, n]) => sum + n, 0);
  targets.push([
    "<= 1 DynamoDB read + 1 write per tools/call (auth + tenant + sessions + metering)",
    `${reads.toFixed(2)} read + ${writes.toFixed(2)} write; STS ${full.stsCalls.toFixed(0)}`,
    reads <= 1 && writes <= 1,
  ]);
}

async function httpLoad(as: AuthorizationServer, ddb: DynamoDbLocal): Promise<void> {
  const open = await startTarget("local", loadConfig({ LOG_LEVEL: "silent" }));
  try {
    await load("GET /health, local server", new URL("/health", open.url), { method: "GET" });
    await load("tools/call, stateless, no auth, local server", open.url, {
      headers: { accept: ACCEPT, "content-type": "application/json" },
      body: CALL,
    });
  } finally {
    await open.close();
  }

  {
    await createTable(ddb.client, "sessions", TABLE_KEYS.tenantSessions);
    const token = await as.token("bench");
    const env = {
      LOG_LEVEL: "silent",
      MCP_AUTH_ENABLED: "true",
      MCP_JWT_ISSUER: as.issuer,
      MCP_JWT_CLIENT_IDS: "bench",
      MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
      MCP_RESOURCE_URL: RESOURCE,
      MCP_TENANT_ISOLATION: "true",
    };
    for (const [label, target, extra] of [
      ["tools/call, JWT + tenant + memory sessions, local server", "local", { MCP_SESSION_STORE: "memory" }],
      ["tools/call, JWT + tenant + DynamoDB Local sessions, Lambda adapter", "lambda", { MCP_SESSION_TABLE_NAME: "sessions" }],
    ] as const) {
      const server = await startTarget(target, loadConfig({ ...env, ...extra }), { dynamoDb: ddb.client });
      try {
        const headers = { accept: ACCEPT, "content-type": "application/json", authorization: `Bearer ${token}` };
        const init = await fetch(server.url, { method: "POST", headers, body: INIT });
        const session = init.headers.get("mcp-session-id");
        if (init.status !== 200 || session === null) throw new Error(`initialize failed: ${init.status}`);
        await load(label, server.url, {
          headers: { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" },
          body: CALL,
        });
      } finally {
        await server.close();
      }
    }
  }
}

process.stdout.write(`node ${process.version}, ${quick ? "quick" : "full"} run\n`);
await coldStart();
inProcess();
const [as, ddb] = await Promise.all([
  startAuthorizationServer([{ clientId: "bench", secret: "s", tenantId: "tenant-bench" }]),
  startDynamoDbLocal(),
]);
try {
  warmReport(await warmRuns(as, ddb, quick ? { rounds: 3, perRound: 50, warmup: 50 } : { rounds: 10, perRound: 150, warmup: 200 }));
  const metering = await meteringBench(ddb, quick ? 50 : 300);
  report("metering write, one counter item per tenant and month (DynamoDB Local)", summary(metering.single));
  report("metering write, 16 counter shards (DynamoDB Local)", summary(metering.sharded));
  report(
    "metering write, 16 shards, 10% TransactionConflict injected and retried",
    `${summary(metering.conflicted)}; ${metering.transactionsPerRequest.toFixed(2)} transactions per request`,
  );
  await httpLoad(as, ddb);
} finally {
  await Promise.all([as.close(), ddb.stop()]);
}
const oauth = await oauthBench(quick);
for (const [name, value] of oauth.rows) report(name, value);
targets.push(...oauth.targets);
process.stdout.write("\ntargets\n");
for (const [name, value, met] of targets) process.stdout.write(`  ${met ? "met    " : "MISSED "} ${name.padEnd(82)} ${value}\n`);
