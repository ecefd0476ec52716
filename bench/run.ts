/**
 * Benchmarks of the MCP server (`npm run bench`). Everything runs on 127.0.0.1, bounded in time and
 * count; numbers depend on the machine (the reference numbers in container/README.md come from a
 * 2-core build machine).
 *
 * 1. cold start: a fresh Node process imports the bundled Lambda entry (dist/lambda/index.mjs, built
 *    here with container/build.ts): module load + config + handler construction. Median of 5.
 * 2. in-process invoke: the bundled Lambda handler (with Powertools metrics on) called directly with
 *    a payload 2.0 event (no network) in a fresh process, sequential, 2000 calls after 300 warm-up
 *    calls: tools/call and initialize; p50 / p90 / p99 / mean (bench/invoke-bundle.mjs).
 * 3. HTTP load with autocannon (10 connections, 5 s each) against the local server:
 *    GET /health; stateless tools/call; tools/call with in-function JWT verification + tenant +
 *    in-memory sessions; and the same through the Lambda adapter (HTTP API shim) with sessions in
 *    DynamoDB Local.
 *
 * Flags: --quick (1 s per load run, 300 invokes) for a smoke run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { loadConfig } from "../container/src/config.js";
import { createTable, startDynamoDbLocal } from "../test/container/support/dynamodb-local.js";
import { MCP_SCOPE, startAuthorizationServer } from "../test/container/support/oidc.js";
import { startTarget } from "../test/container/support/servers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const LOAD_SECONDS = quick ? 1 : 5;
const INVOKES = quick ? 300 : 2000;
const ACCEPT = "application/json, text/event-stream";
const CALL = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/16" } } });
const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } });

const rows: Array<[string, string]> = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  process.stdout.write(`${name.padEnd(72)} ${value}\n`);
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
// The AWS SDK warns once that it will need Node 22 in 2027; the Lambda runtime is Node 22.
process.env.NODE_NO_WARNINGS = "1";

function coldStart(): void {
  execFileSync(process.execPath, ["--import", "tsx", join(root, "container/build.ts")], { cwd: root, stdio: "ignore" });
  const script = `const t=performance.now();await import(${JSON.stringify(join(root, "dist/lambda/index.mjs"))});process.stdout.write(String(performance.now()-t));`;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, LOG_LEVEL: "silent", AWS_REGION: "us-east-1" }, encoding: "utf8" });
    times.push(Number(run.stdout));
  }
  times.sort((a, b) => a - b);
  report("cold start: import bundled Lambda entry (median of 5)", `${percentile(times, 50).toFixed(0)} ms`);
}

function inProcess(): void {
  for (const kind of ["tools/call", "initialize"]) {
    const run = spawnSync(process.execPath, [join(root, "bench/invoke-bundle.mjs"), join(root, "dist/lambda/index.mjs"), String(INVOKES), "300", kind], {
      env: { ...process.env, LOG_LEVEL: "silent", AWS_REGION: "us-east-1", NODE_NO_WARNINGS: "1" },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`invoke-bundle failed: ${run.stderr}`);
    const stats = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    report(
      `in-process invoke of the bundled handler, ${kind} (${INVOKES} sequential)`,
      `p50 ${stats.p50!.toFixed(2)} ms, p90 ${stats.p90!.toFixed(2)} ms, p99 ${stats.p99!.toFixed(2)} ms, mean ${stats.mean!.toFixed(2)} ms`,
    );
  }
}

async function load(label: string, url: URL, options: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {}): Promise<void> {
  const result = await autocannon({ url: url.href, connections: 10, duration: LOAD_SECONDS, method: options.method ?? "POST", headers: options.headers ?? {}, ...(options.body === undefined ? {} : { body: options.body }) });
  const bad = result.non2xx + result.errors + result.timeouts;
  report(
    `HTTP ${label} (10 conns, ${LOAD_SECONDS}s)`,
    `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${bad > 0 ? `, ${bad} failed` : ""}`,
  );
  if (bad > 0) process.exitCode = 1;
}

async function httpLoad(): Promise<void> {
  const open = await startTarget("local", loadConfig({ LOG_LEVEL: "silent" }));
  try {
    await load("GET /health, local server", new URL("/health", open.url), { method: "GET" });
    await load("tools/call, stateless, no auth, local server", open.url, { headers: { accept: ACCEPT, "content-type": "application/json" }, body: CALL });
  } finally {
    await open.close();
  }

  const [as, ddb] = await Promise.all([startAuthorizationServer([{ clientId: "bench", secret: "s", tenantId: "tenant-bench" }]), startDynamoDbLocal()]);
  try {
    await createTable(ddb.client, "sessions", [
      { name: "tenant_id", type: "HASH" },
      { name: "session_id", type: "RANGE" },
    ]);
    const token = await as.token("bench");
    const env = {
      LOG_LEVEL: "silent",
      MCP_AUTH_ENABLED: "true",
      MCP_JWT_ISSUER: as.issuer,
      MCP_JWT_CLIENT_IDS: "bench",
      MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
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
        await load(label, server.url, { headers: { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" }, body: CALL });
      } finally {
        await server.close();
      }
    }
  } finally {
    await Promise.all([as.close(), ddb.stop()]);
  }
}

process.stdout.write(`node ${process.version}, ${quick ? "quick" : "full"} run\n`);
coldStart();
inProcess();
await httpLoad();
