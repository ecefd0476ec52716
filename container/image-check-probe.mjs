// Runs inside the built image, under the image's own Node (container/image-check.sh copies it in):
// 1. every handler entry the image offers: each exported function of each ${LAMBDA_TASK_ROOT}/*.mjs
//    (except http.mjs) is called the way the Lambda runtime calls `<file>.<export>`, with the event
//    its probe below builds. An exported function without a probe fails the check (add one here).
// 2. the HTTP mode: `node ${LAMBDA_TASK_ROOT}/http.mjs` as a child process, GET /health, POST /mcp
//    tools/list carrying a platform-supplied Mcp-Session-Id (AgentCore Runtime), then SIGTERM and a
//    clean exit.
// Prints one JSON line per check; exits 1 when any check failed.
import { spawn } from "node:child_process";
import { createSign, generateKeyPairSync } from "node:crypto";
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
const mcpHeaders = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": "2025-06-18",
};
/** An API Gateway HTTP API payload 2.0 event (tools/list), with JWT authorizer claims when given. */
const httpApiEvent = (claims) => ({
  version: "2.0",
  routeKey: "POST /mcp",
  rawPath: "/mcp",
  rawQueryString: "",
  headers: { ...mcpHeaders, host },
  requestContext: {
    accountId: "123456789012",
    apiId: "abc123",
    domainName: host,
    domainPrefix: "abc123",
    http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "image-check" },
    requestId: `img-${Date.now()}`,
    routeKey: "POST /mcp",
    stage: "$default",
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
    ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
  },
  body: toolsList,
  isBase64Encoded: false,
});
const context = { awsRequestId: "img-1", getRemainingTimeInMillis: () => 29000 };
const toolNames = (text) => [...text.matchAll(/"name":"([A-Za-z0-9_.-]+)"/g)].map((m) => m[1]);
const bodyOf = (r) => (r.isBase64Encoded ? Buffer.from(r.body, "base64").toString() : (r.body ?? ""));
/** Runs `fn` with stdout silenced (the handlers log JSON lines and EMF documents there). */
const quiet = async (fn) => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
};

/** An RS256 access token signed with this probe's key (served as the issuer's JWKS below). */
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] };
const b64url = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const accessToken = (issuer, claims) => {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64url({ alg: "RS256", kid: "k1", typ: "JWT" })}.${b64url({ iss: issuer, sub: "image-check-user", client_id: "image-check", token_use: "access", scope: "mcp/invoke", iat: now, exp: now + 300, ...claims })}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
};

/**
 * One local stand-in for what the entries call, reached through AWS_ENDPOINT_URL_* and the issuer
 * URL: the issuer's JWKS; the Lambda Invoke API (the router's call), answered with the image's own
 * index.handler so the router is exercised end to end; DynamoDB and Cognito (the triggers' calls),
 * answered with empty results. Every request is recorded for the probes to check.
 */
const seen = [];
const aws = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const text = Buffer.concat(chunks).toString();
    seen.push({ path: req.url, target: req.headers["x-amz-target"], tenant: req.headers["x-amz-tenant-id"], body: text });
    if (req.url === "/.well-known/jwks.json") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
    if (req.url.startsWith("/2015-03-31/functions/")) {
      const { handler } = await import(join(root, "index.mjs"));
      const result = await quiet(() => handler(JSON.parse(text), { ...context, tenantId: req.headers["x-amz-tenant-id"] }));
      return res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" }).end(JSON.stringify(result));
    }
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end("{}");
  });
});
await new Promise((resolve) => aws.listen(0, "127.0.0.1", resolve));
const endpoint = `http://127.0.0.1:${aws.address().port}`;
Object.assign(process.env, {
  MCP_SERVER_NAME: "image-check",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIAIMAGECHECK",
  AWS_SECRET_ACCESS_KEY: "image-check",
  MCP_TARGET_FUNCTION_ARN: functionArn,
  MCP_JWT_ISSUER: endpoint,
  MCP_JWT_CLIENT_IDS: "image-check",
  TENANT_DIRECTORY_TABLE_NAME: "image-check-tenants",
  AWS_ENDPOINT_URL_LAMBDA: endpoint,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
});
/** The authorization server's settings (its upstream is never called by these probes). */
const oauthEnv = {
  OAUTH_ISSUER: "https://auth.example.com",
  OAUTH_RESOURCE: "https://mcp.example.com/mcp",
  OAUTH_UPSTREAM_ISSUER: "https://idp.example.com",
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: "https://idp.example.com/oauth2/authorize",
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: "https://idp.example.com/oauth2/token",
  OAUTH_UPSTREAM_JWKS_URI: "https://idp.example.com/.well-known/jwks.json",
  OAUTH_UPSTREAM_CLIENT_ID: "image-check-upstream",
  OAUTH_PUBLIC_KEYS: JSON.stringify([{ kid: "k1", alg: "RS256", pem: publicKey.export({ type: "spki", format: "pem" }) }]),
  OAUTH_TABLE_NAME: "image-check-oauth",
};
/** A payload 2.0 GET of `path`. */
const getEvent = (path) => {
  const e = httpApiEvent();
  e.rawPath = path;
  e.routeKey = `GET ${path}`;
  e.requestContext.http = { ...e.requestContext.http, method: "GET", path };
  e.headers = { accept: "application/json", host };
  delete e.body;
  return e;
};
/** A Cognito trigger event (common fields). */
const cognitoEvent = (triggerSource, request) => ({
  version: "2",
  region: "us-east-1",
  userPoolId: "us-east-1_imagechk",
  userName: "image-check-user",
  triggerSource,
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "image-check" },
  request,
  response: {},
});

/** One probe per handler entry ("<file>.<export>"): calls it and returns [ok, detail]. */
const probes = {
  "index.handler": async (fn) => {
    const r = await fn(httpApiEvent(), context);
    const tools = toolNames(bodyOf(r));
    return [r.statusCode === 200 && tools.length > 0, { status: r.statusCode, tools }];
  },
  "index.routerHandler": async (fn) => {
    const e = httpApiEvent();
    e.headers.authorization = `Bearer ${accessToken(endpoint, { tenant_id: "acme" })}`;
    const r = await fn(e, context);
    const tools = toolNames(bodyOf(r));
    const invoke = seen.filter((s) => s.path.startsWith("/2015-03-31/")).at(-1);
    const ok =
      r.statusCode === 200 &&
      tools.length > 0 &&
      invoke?.tenant === "acme" &&
      invoke.path === `/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`;
    return [ok, { status: r.statusCode, tools, invoke: invoke && { path: invoke.path, tenant: invoke.tenant } }];
  },
  "index.preTokenGenerationHandler": async (fn) => {
    const event = cognitoEvent("TokenGeneration_Authentication", {
      userAttributes: { sub: "image-check-user", "custom:tenant_id": "acme" },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
      scopes: [],
    });
    event.version = "3";
    const r = await fn(event);
    const claims = r?.response?.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride;
    return [claims?.tenant_id === "acme", { access_token_claims: claims }];
  },
  "oauth.frontHandler": async (fn) => {
    Object.assign(process.env, oauthEnv);
    delete process.env.OAUTH_UPSTREAM_CLIENT_SECRET; // the front function must not hold it
    const e = getEvent("/.well-known/oauth-authorization-server");
    const r = await fn(e, context);
    const body = JSON.parse(bodyOf(r) || "{}");
    return [
      r.statusCode === 200 && body.issuer === oauthEnv.OAUTH_ISSUER && typeof body.token_endpoint === "string",
      { status: r.statusCode, issuer: body.issuer },
    ];
  },
  "oauth.tokenHandler": async (fn) => {
    Object.assign(process.env, oauthEnv, { OAUTH_UPSTREAM_CLIENT_SECRET: "image-check-secret", OAUTH_SIGNING_KEY_ID: "alias/image-check" });
    const e = getEvent("/token");
    e.requestContext.http.method = "POST";
    e.headers = { ...e.headers, "content-type": "application/x-www-form-urlencoded" };
    e.body = "grant_type=refresh_token&refresh_token=unknown-token&client_id=image-check";
    const r = await fn(e, context);
    const body = JSON.parse(bodyOf(r) || "{}");
    // RFC 6749 section 5.2: an unknown client or grant is a 400/401 with an OAuth error code (after a DynamoDB lookup)
    return [(r.statusCode === 400 || r.statusCode === 401) && typeof body.error === "string", { status: r.statusCode, error: body.error }];
  },
  "index.postConfirmationHandler": async (fn) => {
    const before = seen.length;
    const event = cognitoEvent("PostConfirmation_ConfirmSignUp", {
      userAttributes: { sub: "image-check-user", email: "new@example.com", email_verified: "true" },
    });
    const r = await fn(event);
    const calls = seen.slice(before).map((s) => s.target);
    const ok = r === event && calls.length > 0 && seen.slice(before).every((s) => s.body.includes("image-check-tenants"));
    return [ok, { returned_event: r === event, directory_calls: calls }];
  },
};

// 1. Handler entries. Lambda sets _HANDLER to the configured entry before importing its file.
const files = readdirSync(root)
  .filter((f) => f.endsWith(".mjs") && f !== "http.mjs")
  .sort();
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
aws.close();

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
  const r = await fetch(`${base}/mcp`, {
    method: "POST",
    headers: { ...mcpHeaders, "mcp-session-id": sessionId },
    body: toolsList,
    signal: AbortSignal.timeout(10_000),
  });
  const tools = toolNames(await r.text());
  report("http POST /mcp tools/list (platform Mcp-Session-Id)", r.status === 200 && tools.length > 0, { status: r.status, tools, port });
}
const stopAt = performance.now();
child.kill("SIGTERM");
const exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ timeout: true }), 15_000))]);
if (exit.timeout) child.kill("SIGKILL");
report("http SIGTERM", exit.code === 0, { ...exit, stop_ms: Math.round(performance.now() - stopAt) });
process.exit(failed ? 1 : 0);
