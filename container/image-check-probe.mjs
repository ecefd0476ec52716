// Runs inside the built image, under the image's own Node (container/image-check.sh copies it in):
// 1. every handler entry the image offers: each exported function of each ${LAMBDA_TASK_ROOT}/*.mjs
//    (except http.mjs) is called the way the Lambda runtime calls `<file>.<export>`, with the event
//    its probe below builds. An exported function without a probe fails the check (add one here).
// 2. the HTTP mode: `node ${LAMBDA_TASK_ROOT}/http.mjs` as a child process, GET /health, POST /mcp
//    tools/list carrying a platform-supplied Mcp-Session-Id (AgentCore Runtime), then SIGTERM and a
//    clean exit.
// Prints one JSON line per check; exits 1 when any check failed.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const root = process.env.LAMBDA_TASK_ROOT ?? "/var/task";
const functionArn = "arn:aws:lambda:us-east-1:123456789012:function:image-check";
let failed = false;
const report = (check, ok, detail) => {
  if (!ok) failed = true;
  console.log(JSON.stringify({ check, ok, ...detail }));
};
const host = "abc123.execute-api.us-east-1.amazonaws.com";
const toolsList = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
const mcpHeaders = { accept: "application/json, text/event-stream", "content-type": "application/json", "mcp-protocol-version": "2025-06-18" };
/** An API Gateway HTTP API payload 2.0 event (tools/list), with JWT authorizer claims when given. */
const httpApiEvent = (claims) => ({
  version: "2.0", routeKey: "POST /mcp", rawPath: "/mcp", rawQueryString: "",
  headers: { ...mcpHeaders, host },
  requestContext: {
    accountId: "123456789012", apiId: "abc123", domainName: host, domainPrefix: "abc123",
    http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "image-check" },
    requestId: `img-${Date.now()}`, routeKey: "POST /mcp", stage: "$default", time: new Date().toUTCString(), timeEpoch: Date.now(),
    ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
  },
  body: toolsList, isBase64Encoded: false,
});
const context = { awsRequestId: "img-1", getRemainingTimeInMillis: () => 29000 };
const toolNames = (text) => [...text.matchAll(/"name":"([A-Za-z0-9_.-]+)"/g)].map((m) => m[1]);
const bodyOf = (r) => (r.isBase64Encoded ? Buffer.from(r.body, "base64").toString() : (r.body ?? ""));
/** Runs `fn` with stdout silenced (the handlers log JSON lines and EMF documents there). */
const quiet = async (fn) => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try { return await fn(); } finally { process.stdout.write = write; }
};

/**
 * Stand-in for the Lambda Invoke API (the router's only AWS call), reached through
 * AWS_ENDPOINT_URL_LAMBDA: checks the request the SDK sent and answers with the image's own
 * index.handler, so the router is exercised end to end.
 */
const invokeSeen = [];
const lambdaApi = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    invokeSeen.push({ path: req.url, tenant: req.headers["x-amz-tenant-id"] });
    const event = JSON.parse(Buffer.concat(chunks).toString());
    const { handler } = await import(join(root, "index.mjs"));
    const result = await quiet(() => handler(event, { ...context, tenantId: req.headers["x-amz-tenant-id"] }));
    res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" }).end(JSON.stringify(result));
  });
});
await new Promise((resolve) => lambdaApi.listen(0, "127.0.0.1", resolve));
Object.assign(process.env, {
  MCP_SERVER_NAME: "image-check",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIAIMAGECHECK",
  AWS_SECRET_ACCESS_KEY: "image-check",
  MCP_TARGET_FUNCTION_ARN: functionArn,
  AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${lambdaApi.address().port}`,
});

/** One probe per handler entry ("<file>.<export>"): calls it and returns [ok, detail]. */
const probes = {
  "index.handler": async (fn) => {
    const r = await fn(httpApiEvent(), context);
    const tools = toolNames(bodyOf(r));
    return [r.statusCode === 200 && tools.length > 0, { status: r.statusCode, tools }];
  },
  "index.routerHandler": async (fn) => {
    const r = await fn(httpApiEvent({ tenant_id: "acme" }), context);
    const tools = toolNames(bodyOf(r));
    const seen = invokeSeen.at(-1);
    const ok = r.statusCode === 200 && tools.length > 0 && seen?.tenant === "acme" && seen.path === `/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`;
    return [ok, { status: r.statusCode, tools, invoke: seen }];
  },
};

// 1. Handler entries. Lambda sets _HANDLER to the configured entry before importing its file.
const files = readdirSync(root).filter((f) => f.endsWith(".mjs") && f !== "http.mjs").sort();
for (const file of files) {
  const name = file.slice(0, -".mjs".length);
  const mod = await quiet(() => import(join(root, file)));
  for (const [exported, fn] of Object.entries(mod)) {
    if (typeof fn !== "function") continue;
    const entry = `${name}.${exported}`;
    const probe = probes[entry];
    if (probe === undefined) {
      report(entry, false, { error: "no probe for this entry: add one to container/image-check-probe.mjs" });
      continue;
    }
    process.env._HANDLER = entry;
    try {
      const [ok, detail] = await quiet(() => probe(fn));
      report(entry, ok, detail);
    } catch (error) {
      report(entry, false, { error: String(error?.stack ?? error) });
    }
  }
}
for (const entry of Object.keys(probes)) {
  const [file, exported] = entry.split(".");
  if (!files.includes(`${file}.mjs`)) report(entry, false, { error: `${file}.mjs is missing`, exported });
}
lambdaApi.close();

// 2. HTTP mode, with the image's defaults (0.0.0.0:8000) unless IMAGE_CHECK_HTTP_PORT is set.
const port = Number(process.env.IMAGE_CHECK_HTTP_PORT || 8000);
const env = { ...process.env, PORT: String(port), LOG_LEVEL: "WARN" };
delete env.HOST;
delete env._HANDLER;
const started = performance.now();
const child = spawn(process.execPath, [join(root, "http.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
let output = "";
child.stdout.on("data", (c) => (output += c));
child.stderr.on("data", (c) => (output += c));
const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
const base = `http://127.0.0.1:${port}`;
let health;
for (const deadline = Date.now() + 20_000; Date.now() < deadline && child.exitCode === null; ) {
  try {
    health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
const ready = Math.round(performance.now() - started);
if (health === undefined) {
  report("http /health", false, { error: "no answer within 20 s", output: output.slice(-2000) });
} else {
  const body = await health.json();
  report("http /health", health.status === 200 && body.status === "ok", { status: health.status, body, ready_ms: ready });
  const sessionId = "agentcore-platform-session-0123456789abcdef";
  const r = await fetch(`${base}/mcp`, { method: "POST", headers: { ...mcpHeaders, "mcp-session-id": sessionId }, body: toolsList, signal: AbortSignal.timeout(10_000) });
  const tools = toolNames(await r.text());
  report("http POST /mcp tools/list (platform Mcp-Session-Id)", r.status === 200 && tools.length > 0, { status: r.status, tools, port });
}
const stopAt = performance.now();
child.kill("SIGTERM");
const exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ timeout: true }), 15_000))]);
if (exit.timeout) child.kill("SIGKILL");
report("http SIGTERM", exit.code === 0, { ...exit, stop_ms: Math.round(performance.now() - stopAt) });
process.exit(failed ? 1 : 0);
