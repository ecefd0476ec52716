/**
 * Benchmarks of the MCP server (`npm run bench`). Everything runs on 127.0.0.1, bounded in time and
 * count; numbers depend on the machine (the reference numbers in container/README.md come from a
 * 2-core build machine).
 *
 * 1. cold start: a fresh Node process imports the bundled Lambda entry (dist/lambda/index.mjs and
 *    the chunks it loads, built here with container/build.ts): module load + config + handler
 *    construction, median of 11; then the first tools/call in that process; and the same import as
 *    the tenant router (`_HANDLER=index.routerHandler`). Bundle size: all files.
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
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { loadConfig } from "../container/src/config.js";
import { createTable, TABLE_KEYS, startDynamoDbLocal, type DynamoDbLocal } from "../test/container/support/dynamodb-local.js";
import { MCP_SCOPE, RESOURCE, startAuthorizationServer, type AuthorizationServer } from "../test/container/support/oidc.js";
import { startTarget } from "../test/container/support/servers.js";
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

/** Sum of the sizes of the files under `dir` that the image ships (no source maps), bytes. */
function shippedBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += shippedBytes(path);
    else if (!entry.name.endsWith(".map")) total += statSync(path).size;
  }
  return total;
}

function coldStart(): void {
  execFileSync(process.execPath, ["--import", "tsx", join(root, "container/build.ts")], { cwd: root, stdio: "ignore" });
  const bytes = shippedBytes(join(root, "dist/lambda"));
  report(
    "bundle: dist/lambda (index.mjs + chunks, no source maps)",
    `${(bytes / 1024).toFixed(0)} KiB (${(bytes / 1024 / 1024).toFixed(2)} MiB)`,
  );
  targets.push(["bundle <= 1.5 MB", `${(bytes / 1e6).toFixed(2)} MB`, bytes <= 1.5e6]);
  const script =
    `const t=performance.now();const m=await import(${JSON.stringify(join(root, "dist/lambda/index.mjs"))});const imported=performance.now()-t;` +
    `const body=${JSON.stringify(CALL)};const h="abc123.execute-api.us-east-1.amazonaws.com";` +
    `const ev={version:"2.0",routeKey:"$default",rawPath:"/mcp",rawQueryString:"",headers:{accept:${JSON.stringify(ACCEPT)},"content-type":"application/json",host:h,"mcp-protocol-version":"2025-06-18"},requestContext:{accountId:"1",apiId:"a",domainName:h,domainPrefix:"a",http:{method:"POST",path:"/mcp",protocol:"HTTP/1.1",sourceIp:"203.0.113.1",userAgent:"b"},requestId:"cold",routeKey:"$default",stage:"$default",time:"",timeEpoch:0},body,isBase64Encoded:false};` +
    `const w=process.stdout.write.bind(process.stdout);process.stdout.write=()=>true;const t2=performance.now();const r=await m.handler(ev,{awsRequestId:"cold"});const first=performance.now()-t2;process.stdout.write=w;` +
    `if(r.statusCode!==200)throw new Error("status "+r.statusCode);process.stdout.write(JSON.stringify({imported,first}));`;
  const imports: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, LOG_LEVEL: "silent", AWS_REGION: "us-east-1" },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`cold start run failed: ${run.stderr}`);
    const { imported, first } = JSON.parse(run.stdout) as { imported: number; first: number };
    imports.push(imported);
    firsts.push(first);
  }
  imports.sort((a, b) => a - b);
  firsts.sort((a, b) => a - b);
  const median = percentile(imports, 50);
  report(`cold start: import bundled Lambda entry (median of ${COLD_RUNS})`, `${median.toFixed(0)} ms`);
  report(`cold start: first tools/call after the import (median of ${COLD_RUNS})`, `${percentile(firsts, 50).toFixed(1)} ms`);
  targets.push(["bundled import <= 100 ms", `${median.toFixed(0)} ms`, median <= 100]);

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
coldStart();
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
