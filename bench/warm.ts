/**
 * Warm `tools/call` latency in-process (no network, no HTTP server), part of `npm run bench`:
 *
 * - the bare SDK transport: `McpServer` + `WebStandardStreamableHTTPServerTransport` (stateless, a new
 *   pair per request, the same tool, the same shared Ajv validator), a web `Request` in, the buffered
 *   body out: the floor any MCP server built on the SDK pays;
 * - this project's Lambda handler (`createLambdaHandler(await createApp(...))`, payload 2.0 event in,
 *   structured result out, Powertools metrics on) in several configurations, from none to the full
 *   multi-tenant one (JWT verified with jose against oidc-provider's JWKS, tenant, sessions and
 *   metering in DynamoDB Local, the token vending machine with tenant data).
 *
 * The configurations run interleaved, in rounds, so a background load slows them alike. DynamoDB and
 * STS calls are counted per configuration (SDK middleware on the DynamoDB clients; the STS stand-in
 * counts its AssumeRole calls: STS cannot run here).
 */
import { createHash } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { createApp } from "../container/src/app.js";
import { loadConfig } from "../container/src/config.js";
import { silentLogger } from "../container/src/core/logger.js";
import { createLambdaHandler, type HttpApiEvent, type HttpApiHandler } from "../container/src/lambda/adapter.js";
import { createPowertoolsMetricsSink } from "../container/src/observability/powertools.js";
import { registerTool } from "../container/src/core/tools.js";
import { cidrInfoTool } from "../container/src/tools/cidr-info.js";
import { createTable, TABLE_KEYS, localClient, type DynamoDbLocal } from "../test/container/support/dynamodb-local.js";
import { MCP_SCOPE, RESOURCE, type AuthorizationServer } from "../test/container/support/oidc.js";
import { fakeSts } from "../test/container/support/tenants.js";

const ACCEPT = "application/json, text/event-stream";
const CIDR_CALL = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/16" } } };
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
};
const HOST = "abc123.execute-api.us-east-1.amazonaws.com";

export interface WarmResult {
  readonly label: string;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  /** Per request, by DynamoDB operation (e.g. `GetItemCommand: 1`). */
  readonly dynamoDbCalls: Readonly<Record<string, number>>;
  /** STS AssumeRole calls per request. */
  readonly stsCalls: number;
}

/** A payload 2.0 event as API Gateway builds it. */
function event(body: unknown, headers: Record<string, string>, requestId: string): HttpApiEvent {
  const text = JSON.stringify(body);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/mcp",
    rawQueryString: "",
    headers: {
      accept: ACCEPT,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      host: HOST,
      ...headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: HOST,
      domainPrefix: "abc123",
      http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "bench" },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: text,
    isBase64Encoded: false,
  } as HttpApiEvent;
}

/** Counts the commands `client` sends, by name. */
function counted(client: DynamoDBClient, counts: Map<string, number>): DynamoDBClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? "?", (counts.get(context.commandName ?? "?") ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "benchCount" },
  );
  return client;
}

interface Case {
  readonly label: string;
  /** One warm request; resolves when the whole answer is read. */
  run(i: number): Promise<void>;
  readonly dynamoDb: Map<string, number>;
  readonly sts: () => number;
}

/** The bare SDK transport with the same tool (the baseline of the overhead ratio). */
function bareSdkCase(): Case {
  const jsonSchemaValidator = new AjvJsonSchemaValidator();
  const body = JSON.stringify(CIDR_CALL);
  return {
    label: "bare SDK transport (McpServer + WebStandardStreamableHTTPServerTransport, stateless)",
    dynamoDb: new Map(),
    sts: () => 0,
    async run() {
      const server = new McpServer({ name: "bare", version: "1" }, { jsonSchemaValidator });
      registerTool(server, cidrInfoTool, undefined as never);
      const transport = new WebStandardStreamableHTTPServerTransport({});
      await server.connect(transport);
      const request = new Request(`https://${HOST}/mcp`, {
        method: "POST",
        headers: { accept: ACCEPT, "content-type": "application/json", "mcp-protocol-version": "2025-06-18" },
        body,
      });
      const response = await transport.handleRequest(request);
      await response.arrayBuffer();
      await server.close();
      if (response.status !== 200) throw new Error(`bare SDK: status ${response.status}`);
    },
  };
}

interface AdapterCaseOptions {
  readonly label: string;
  readonly env: Record<string, string>;
  readonly token?: string;
  readonly sessions?: boolean;
  readonly ddb?: DynamoDbLocal;
  readonly call?: unknown;
  readonly tenantData?: boolean;
}

/** This project's Lambda handler in one configuration (Powertools metrics on, as on Lambda). */
async function adapterCase(options: AdapterCaseOptions): Promise<Case> {
  const dynamoDb = new Map<string, number>();
  const sts = fakeSts(Date.now, 0);
  const config = loadConfig({ LOG_LEVEL: "silent", ...options.env });
  const handler: HttpApiHandler = createLambdaHandler(
    await createApp(config, {
      logger: silentLogger,
      metrics: createPowertoolsMetricsSink({ namespace: "Bench", serviceName: "bench", environment: "bench" }),
      ...(options.ddb === undefined
        ? {}
        : {
            dynamoDb: counted(localClient(options.ddb.endpoint), dynamoDb),
            sts: sts.sts,
            tenantDynamoDbConfig: { endpoint: options.ddb.endpoint, region: "us-east-1" },
            decorateClient: <C extends object>(client: C) =>
              "middlewareStack" in client ? (counted(client as unknown as DynamoDBClient, dynamoDb) as unknown as C) : client,
          }),
    }),
    silentLogger,
  );
  const headers: Record<string, string> = {
    "mcp-protocol-version": "2025-06-18",
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
  };
  if (options.sessions === true) {
    const init = await handler(event(INIT, headers, "init"), { awsRequestId: "init" });
    const session = init.headers?.["mcp-session-id"];
    if (init.statusCode !== 200 || typeof session !== "string") throw new Error(`${options.label}: initialize answered ${init.statusCode}`);
    headers["mcp-session-id"] = session;
  }
  if (options.tenantData === true) {
    const put = await handler(
      event(
        {
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "tenant_notes", arguments: { action: "put", note_id: "n1", text: "bench" } },
        },
        headers,
        "put",
      ),
      { awsRequestId: "put" },
    );
    if (put.statusCode !== 200 || put.body?.includes('"isError":true') === true)
      throw new Error(`${options.label}: tenant_notes put failed: ${put.body}`);
  }
  dynamoDb.clear();
  const stsBefore = sts.commands.length;
  const call = options.call ?? CIDR_CALL;
  // Distinct API Gateway request ids: metering counts each once (a repeated id would be a retry).
  const salt = createHash("sha256").update(options.label).digest("hex").slice(0, 8);
  // One event, built once; each request gets its own request id (API Gateway's per request).
  const base = event(call, headers, salt);
  return {
    label: options.label,
    dynamoDb,
    sts: () => sts.commands.length - stsBefore,
    async run(i) {
      const result = await handler({ ...base, requestContext: { ...base.requestContext, requestId: `${salt}-${i}` } } as HttpApiEvent, {
        awsRequestId: `r${i}`,
      });
      if (result.statusCode !== 200 || result.body?.includes('"isError":true') === true)
        throw new Error(`${options.label}: status ${result.statusCode} ${result.body?.slice(0, 200)}`);
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Runs every configuration `rounds` x `perRound` times after `warmup` requests each, interleaved by
 * round, and returns latency percentiles and calls per request.
 */
export async function warmRuns(
  as: AuthorizationServer,
  ddb: DynamoDbLocal,
  options: { rounds: number; perRound: number; warmup: number },
): Promise<WarmResult[]> {
  await createTable(ddb.client, "bench-sessions", TABLE_KEYS.tenantSessions);
  await createTable(ddb.client, "bench-usage", TABLE_KEYS.usage);
  await createTable(ddb.client, "bench-tenant-data", TABLE_KEYS.tenantData);
  const token = await as.token("bench");
  // Powertools metrics write one EMF line per request to stdout: keep stdout for the report.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await measure(as, token, ddb, options);
  } finally {
    process.stdout.write = write;
  }
}

async function measure(
  as: AuthorizationServer,
  token: string,
  ddb: DynamoDbLocal,
  options: { rounds: number; perRound: number; warmup: number },
): Promise<WarmResult[]> {
  const auth = {
    MCP_AUTH_ENABLED: "true",
    MCP_JWT_ISSUER: as.issuer,
    MCP_JWT_CLIENT_IDS: "bench",
    MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
    MCP_RESOURCE_URL: RESOURCE,
  };
  const tenant = { ...auth, MCP_TENANT_ISOLATION: "true" };
  const cases: Case[] = [
    bareSdkCase(),
    await adapterCase({ label: "Lambda handler: no auth, no sessions", env: {} }),
    await adapterCase({ label: "Lambda handler: auth (JWT + JWKS, jose), no sessions", env: auth, token }),
    await adapterCase({
      label: "Lambda handler: auth + tenant + sessions (DynamoDB Local)",
      env: { ...tenant, MCP_SESSION_TABLE_NAME: "bench-sessions" },
      token,
      sessions: true,
      ddb,
    }),
    await adapterCase({
      label: "Lambda handler: auth + tenant + sessions + metering (DynamoDB Local)",
      env: { ...tenant, MCP_SESSION_TABLE_NAME: "bench-sessions", METERING_TABLE_NAME: "bench-usage" },
      token,
      sessions: true,
      ddb,
    }),
    await adapterCase({
      label: "Lambda handler: all of the above + TVM, tenant_notes get (tenant data)",
      env: {
        ...tenant,
        MCP_SESSION_TABLE_NAME: "bench-sessions",
        METERING_TABLE_NAME: "bench-usage",
        TVM_TENANT_ROLE_ARN: "arn:aws:iam::123456789012:role/bench-tenant",
        TENANT_DATA_TABLE_NAME: "bench-tenant-data",
      },
      token,
      sessions: true,
      ddb,
      tenantData: true,
      call: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "tenant_notes", arguments: { action: "get", note_id: "n1" } } },
    }),
  ];
  // Two groups, each interleaved: the in-memory configurations (whose ratio is a target) apart from
  // the DynamoDB Local ones, whose garbage and Java neighbour would otherwise land on them.
  return [...(await interleaved(cases.slice(0, 3), options)), ...(await interleaved(cases.slice(3), options))];
}

/** Runs `cases` in rounds (each case `perRound` times per round) after `warmup` requests each. */
async function interleaved(cases: readonly Case[], options: { rounds: number; perRound: number; warmup: number }): Promise<WarmResult[]> {
  const samples = cases.map(() => [] as number[]);
  for (const c of cases) for (let i = 0; i < options.warmup; i++) await c.run(-1 - i);
  for (const c of cases) c.dynamoDb.clear();
  const stsAtStart = cases.map((c) => c.sts());
  let n = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, c] of cases.entries()) {
      for (let i = 0; i < options.perRound; i++) {
        const t = performance.now();
        await c.run(n++);
        samples[index]!.push(performance.now() - t);
      }
    }
  }
  const requests = options.rounds * options.perRound;
  return cases.map((c, index) => {
    const sorted = samples[index]!.sort((a, b) => a - b);
    return {
      label: c.label,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      dynamoDbCalls: Object.fromEntries([...c.dynamoDb].map(([name, count]) => [name, count / requests])),
      stsCalls: (c.sts() - stsAtStart[index]!) / requests,
    };
  });
}
