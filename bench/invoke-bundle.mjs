// Child process of bench/run.ts: imports the bundled Lambda entry (dist/lambda/index.mjs) and calls its
// handler in-process with an HTTP API payload 2.0 event, sequentially. Prints one JSON line of stats.
// argv: <bundle path> <invocations> <warm-up invocations> <"tools/call" | "initialize">
const [bundle, count, warmup, kind] = process.argv.slice(2);
const { handler } = await import(bundle);
const message =
  kind === "initialize"
    ? {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
      }
    : { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/16" } } };
const body = JSON.stringify(message);
const host = "abc123.execute-api.us-east-1.amazonaws.com";
const event = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/mcp",
  rawQueryString: "",
  headers: {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "content-length": String(body.length),
    host,
    "mcp-protocol-version": "2025-06-18",
  },
  requestContext: {
    accountId: "123456789012",
    apiId: "abc123",
    domainName: host,
    domainPrefix: "abc123",
    http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "bench" },
    requestId: "bench",
    routeKey: "$default",
    stage: "$default",
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  body,
  isBase64Encoded: false,
};
// The bundle publishes one EMF line per request on stdout: keep stdout for the result line only.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
for (let i = 0; i < Number(warmup); i++) await handler(event, { awsRequestId: "warm" });
const samples = [];
const start = performance.now();
for (let i = 0; i < Number(count); i++) {
  const t = performance.now();
  const result = await handler(event, { awsRequestId: `r${i}` });
  samples.push(performance.now() - t);
  if (result.statusCode !== 200) throw new Error(`status ${result.statusCode}`);
}
const total = performance.now() - start;
samples.sort((a, b) => a - b);
const at = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
process.stdout.write = write;
process.stdout.write(
  `${JSON.stringify({ p50: at(50), p90: at(90), p99: at(99), mean: total / samples.length, perSecond: (samples.length / total) * 1000 })}\n`,
);
