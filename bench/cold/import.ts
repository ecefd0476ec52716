/**
 * Cold import of the bundled Lambda entry next to the bare MCP SDK's, in the same run.
 *
 * `bareSdkBundle()` bundles bench/cold/bare-sdk-lambda.ts with the image's esbuild options
 * (container/bundle-options.ts) into dist/bench/bare-sdk/. `coldImports()` then starts fresh Node
 * processes that import one bundle each, alternating between the two so a background load slows both
 * alike, and reports per bundle the median import time (module load + the entry's init work, ms), the
 * first `tools/call` after it, and for this project's entry the init split from its User Timing marks
 * (container/src/lambda/runtime.ts): module graph, configuration, app built.
 */
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { LAMBDA_BUNDLE_OPTIONS } from "../../container/bundle-options.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Path of the bare SDK's bundled entry, built now. */
export async function bareSdkBundle(): Promise<string> {
  const outdir = join(root, "dist/bench/bare-sdk");
  await rm(outdir, { recursive: true, force: true });
  await build({ ...LAMBDA_BUNDLE_OPTIONS, entryPoints: { index: join(root, "bench/cold/bare-sdk-lambda.ts") }, outdir });
  return join(outdir, "index.mjs");
}

const CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/16" } },
});

/**
 * The child's script: import `bundle`, then one tools/call; prints `{ imported, first, marks }` (ms;
 * `cpu`: CPU time of the import; `marks`: the User Timing marks set during the import, relative to its start).
 */
function script(bundle: string): string {
  const host = "abc123.execute-api.us-east-1.amazonaws.com";
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/mcp",
    rawQueryString: "",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      host,
      "mcp-protocol-version": "2025-06-18",
    },
    requestContext: {
      accountId: "1",
      apiId: "a",
      domainName: host,
      domainPrefix: "a",
      http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "b" },
      requestId: "cold",
      routeKey: "$default",
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
    body: CALL,
    isBase64Encoded: false,
  };
  return (
    `const c=process.cpuUsage();const t=performance.now();const m=await import(${JSON.stringify(bundle)});const imported=performance.now()-t;` +
    `const u=process.cpuUsage(c);const cpu=(u.user+u.system)/1000;` +
    `const marks=Object.fromEntries(performance.getEntriesByType("mark").map((e)=>[e.name,e.startTime-t]));` +
    `const w=process.stdout.write.bind(process.stdout);process.stdout.write=()=>true;const t2=performance.now();` +
    `const r=await m.handler(${JSON.stringify(event)},{awsRequestId:"cold"});const first=performance.now()-t2;process.stdout.write=w;` +
    `if(r.statusCode!==200||!String(r.body).includes("10.0.0.0"))throw new Error("status "+r.statusCode+" "+r.body);` +
    `process.stdout.write(JSON.stringify({imported,cpu,first,marks}));`
  );
}

export interface ColdResult {
  /** Median import time, ms. */
  readonly imported: number;
  /** Median CPU time of the import (user + system), ms. */
  readonly cpu: number;
  /** Median first tools/call after the import, ms. */
  readonly first: number;
  /** Median time of each User Timing mark since the import started, ms. */
  readonly marks: Readonly<Record<string, number>>;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Imports each bundle in `runs` fresh processes of `node` (alternating) and returns the medians.
 * @param bundles name -> absolute path of a bundled entry exporting `handler`
 * @param env extra environment of the child processes
 */
export function coldImports(
  node: string,
  bundles: Readonly<Record<string, string>>,
  runs: number,
  env: Record<string, string> = {},
): Record<string, ColdResult> {
  const samples = Object.fromEntries(
    Object.keys(bundles).map((name) => [
      name,
      [] as Array<{ imported: number; cpu: number; first: number; marks: Record<string, number> }>,
    ]),
  );
  for (let i = 0; i < runs; i++) {
    for (const [name, bundle] of Object.entries(bundles)) {
      const run = spawnSync(node, ["--input-type=module", "-e", script(bundle)], {
        env: { ...process.env, LOG_LEVEL: "silent", AWS_REGION: "us-east-1", NODE_NO_WARNINGS: "1", ...env },
        encoding: "utf8",
        timeout: 60_000,
      });
      if (run.status !== 0) throw new Error(`cold import of ${name} failed: ${run.stderr}`);
      samples[name]!.push(JSON.parse(run.stdout));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => {
      const markNames = [...new Set(list.flatMap((s) => Object.keys(s.marks)))];
      return [
        name,
        {
          imported: median(list.map((s) => s.imported)),
          cpu: median(list.map((s) => s.cpu)),
          first: median(list.map((s) => s.first)),
          marks: Object.fromEntries(markNames.map((mark) => [mark, median(list.map((s) => s.marks[mark] ?? Number.NaN))])),
        },
      ];
    }),
  );
}

// `tsx bench/cold/import.ts [runs] [node...]`: this comparison alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 11);
  const nodes = process.argv.length > 3 ? process.argv.slice(3) : [process.execPath];
  const bundles = { bare: await bareSdkBundle(), ours: join(root, "dist/lambda/index.mjs") };
  for (const node of nodes) {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const results = coldImports(node, bundles, runs);
    const ratio = results.ours!.imported / results.bare!.imported;
    const cpuRatio = results.ours!.cpu / results.bare!.cpu;
    process.stdout.write(`node ${version}: ${JSON.stringify(results)} ratio ${ratio.toFixed(2)}, CPU ratio ${cpuRatio.toFixed(2)}\n`);
  }
}
