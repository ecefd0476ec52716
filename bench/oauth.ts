/**
 * Benchmarks of interactive sign-in (`npm run bench`, or alone: `tsx bench/oauth.ts [--quick]`).
 * Everything runs on 127.0.0.1 or in process, bounded in count.
 *
 * 1. MCP request cost: warm `tools/call` through the MCP core with the verifier by issuer, interleaved:
 *    a Cognito-style machine token (remote JWKS, oidc-provider stand-in) vs this origin's own access
 *    token (inline public key). p50 / p99 each, the ratio (target: ours adds at most 10%), and the
 *    authorization server's DynamoDB and KMS calls during those requests (target: 0): its store and
 *    signer are counted while the MCP requests run.
 * 2. Authorization server, warm, in process, upstream excluded (a stand-in answers the Cognito leg at
 *    once): `GET /authorize` (client lookup, transaction write, 302) and `POST /token` (code grant:
 *    code consumed, grant written, token signed; refresh grant: rotation), on the in-memory store and
 *    on DynamoDB Local, signing with a local RSA key (KMS `Sign` adds its network latency on AWS).
 *    Target (AT-29): warm `/token` p50 < 50 ms.
 * 3. Cold start: a fresh Node process imports the image's authorization-server entry
 *    (`dist/lambda/oauth.mjs` with `_HANDLER=oauth.frontHandler` / `oauth.tokenHandler`, which builds
 *    the handler at import, as Lambda's init phase does), median of 11, target < 1 s.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { createApp } from "../container/src/app.js";
import { loadConfig } from "../container/src/config.js";
import { settingsWithDefaults } from "../handlers/oauth/src/core/config.js";
import { createOAuthHandler } from "../handlers/oauth/src/core/router.js";
import { createDynamoDbStore } from "../handlers/oauth/src/core/store/dynamodb.js";
import { createMemoryStore } from "../handlers/oauth/src/core/store/memory.js";
import type { OAuthStore } from "../handlers/oauth/src/core/store/types.js";
import { createLocalSigner } from "../handlers/oauth/src/core/tokens/local-signer.js";
import { signAccessToken, type Signer } from "../handlers/oauth/src/core/tokens/signer.js";
import type { Upstream } from "../handlers/oauth/src/core/upstream.js";
import { startDynamoDbLocal } from "../test/container/support/dynamodb-local.js";
import { MCP_SCOPE, startAuthorizationServer } from "../test/container/support/oidc.js";
import { createOAuthTable } from "../test/oauth/support/table.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ISSUER = "https://mcp.example.com";
const RESOURCE = `${ISSUER}/mcp`;
const COLD_RUNS = 11;
const CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "cidr_info", arguments: { cidr: "10.0.0.0/16" } },
});
const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

export interface BenchOutput {
  readonly rows: Array<[string, string]>;
  readonly targets: Array<[string, string, boolean]>;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};
const ms = (value: number) => `${value.toFixed(3)} ms`;

/** A store that counts every call (each would be one DynamoDB request on AWS). */
function countedStore(store: OAuthStore): { store: OAuthStore; calls: () => number } {
  let calls = 0;
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls: () => calls };
}

/** A signer that counts its calls (each would be one KMS `Sign` on AWS). */
function countedSigner(signer: Signer): { signer: Signer; calls: () => number } {
  let calls = 0;
  return {
    signer: {
      kid: signer.kid,
      sign: (input) => {
        calls += 1;
        return signer.sign(input);
      },
    },
    calls: () => calls,
  };
}

/** Stands in for Cognito: answers the callback's code exchange and refreshes at once. */
function instantUpstream(onAuthorize: (state: string) => void): Upstream {
  return {
    authorizationUrl: ({ state }) => {
      onAuthorize(state);
      return `https://auth.example.com/oauth2/authorize?state=${state}`;
    },
    exchange: async () => ({
      sub: "user-1",
      claims: { sub: "user-1", email: "bench@example.com", "custom:tenant_id": "acme", "cognito:groups": [] },
      refreshToken: "upstream-refresh",
      authTime: Math.floor(Date.now() / 1000),
    }),
    refresh: async () => ({}),
  };
}

/** 1. MCP request cost by token kind. */
async function mcpRequestCost(rounds: number, perRound: number, out: BenchOutput): Promise<void> {
  const cognito = await startAuthorizationServer([{ clientId: "bench", secret: "s", tenantId: "acme" }]);
  try {
    const local = createLocalSigner("k1");
    const signer = countedSigner(local);
    const store = countedStore(createMemoryStore());
    // The authorization server exists beside the MCP endpoint, as deployed; its store and signer are counted.
    createOAuthHandler({
      settings: settingsWithDefaults({
        issuer: ISSUER,
        resource: RESOURCE,
        publicKeys: [local.publicKey],
        upstream: {
          issuer: "https://auth.example.com",
          authorizationEndpoint: "https://auth.example.com/a",
          tokenEndpoint: "https://auth.example.com/t",
          jwksUri: "https://auth.example.com/j",
          clientId: "c",
          scopes: ["openid"],
        },
      }),
      store: store.store,
      signer: signer.signer,
      upstream: instantUpstream(() => {}),
      now: () => Math.floor(Date.now() / 1000),
      audit: () => {},
    });
    const now = Math.floor(Date.now() / 1000);
    const ours = await signAccessToken(local, {
      iss: ISSUER,
      sub: "user-1",
      aud: RESOURCE,
      client_id: "mcp_benchclient",
      scope: MCP_SCOPE,
      iat: now,
      exp: now + 900,
    });
    const theirs = await cognito.token("bench");
    const handler = await createApp(
      loadConfig({
        LOG_LEVEL: "silent",
        MCP_AUTH_ENABLED: "true",
        MCP_JWT_ISSUER: cognito.issuer,
        MCP_JWT_CLIENT_IDS: "bench",
        MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
        MCP_RESOURCE_URL: RESOURCE,
        MCP_OAUTH_ISSUER: ISSUER,
        MCP_OAUTH_PUBLIC_KEYS: JSON.stringify([local.publicKey]),
        MCP_SESSION_STORE: "none",
      }),
      { logger: silentLogger },
    );
    const call = async (token: string) => {
      const t = performance.now();
      const response = await handler(
        new Request(RESOURCE, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            "mcp-protocol-version": "2025-06-18",
          },
          body: CALL,
        }),
      );
      await response.arrayBuffer();
      const elapsed = performance.now() - t;
      if (response.status !== 200) throw new Error(`tools/call answered ${response.status}`);
      return elapsed;
    };
    for (let i = 0; i < 200; i += 1) {
      await call(theirs);
      await call(ours);
    }
    const [storeBefore, signBefore] = [store.calls(), signer.calls()];
    const samples = { theirs: [] as number[], ours: [] as number[] };
    for (let round = 0; round < rounds; round += 1) {
      // Alternate which goes first, so neither always follows the other's garbage.
      const order = round % 2 === 0 ? (["theirs", "ours"] as const) : (["ours", "theirs"] as const);
      for (const kind of order) for (let i = 0; i < perRound; i += 1) samples[kind].push(await call(kind === "ours" ? ours : theirs));
    }
    const dynamo = store.calls() - storeBefore;
    const kms = signer.calls() - signBefore;
    const a = stats(samples.theirs);
    const b = stats(samples.ours);
    out.rows.push([`warm tools/call, Cognito-style token (remote JWKS), n=${a.n}`, `p50 ${ms(a.p50)}, p99 ${ms(a.p99)}`]);
    out.rows.push([`warm tools/call, this server's token (inline key), n=${b.n}`, `p50 ${ms(b.p50)}, p99 ${ms(b.p99)}`]);
    out.rows.push(["authorization server calls during those MCP requests", `${dynamo} store (DynamoDB), ${kms} sign (KMS)`]);
    const ratio = b.p50 / a.p50;
    out.targets.push(["own token adds <= 10% to warm tools/call p50 vs a Cognito token", `x${ratio.toFixed(3)}`, ratio <= 1.1]);
    out.targets.push(["own token: 0 DynamoDB and 0 KMS calls per MCP request", `${dynamo} / ${kms}`, dynamo === 0 && kms === 0]);
  } finally {
    await cognito.close();
  }
}

/** 2. `/authorize` and `/token`, warm, upstream excluded, on `store`. */
async function authorizationServer(label: string, store: OAuthStore, iterations: number, out: BenchOutput): Promise<void> {
  let lastState = "";
  const signer = createLocalSigner("k1");
  const handler = createOAuthHandler({
    settings: settingsWithDefaults({
      issuer: ISSUER,
      resource: RESOURCE,
      publicKeys: [signer.publicKey],
      upstream: {
        issuer: "https://auth.example.com",
        authorizationEndpoint: "https://auth.example.com/a",
        tokenEndpoint: "https://auth.example.com/t",
        jwksUri: "https://auth.example.com/j",
        clientId: "c",
        scopes: ["openid"],
      },
      dcrMaxPerIpPerHour: 10_000,
      dcrMaxPerHour: 10_000,
    }),
    store,
    signer,
    upstream: instantUpstream((state) => (lastState = state)),
    now: () => Math.floor(Date.now() / 1000),
    audit: () => {},
  });
  const redirectUri = "http://127.0.0.1:50000/callback";
  const registered = await handler(
    new Request(`${ISSUER}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_name: "Bench", redirect_uris: [redirectUri], token_endpoint_auth_method: "none" }),
    }),
    { sourceIp: "203.0.113.9" },
  );
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const verifier = "bench-verifier-0123456789-0123456789-0123456789";
  const challenge = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))).toString("base64url");
  const authorizeUrl = `${ISSUER}/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s",
    scope: "mcp/invoke offline_access",
  })}`;

  /** One sign-in up to the code; returns the time of `/authorize` alone. */
  const signIn = async (): Promise<{ authorizeMs: number; code: string }> => {
    const t = performance.now();
    const authorize = await handler(new Request(authorizeUrl));
    const authorizeMs = performance.now() - t;
    if (authorize.status !== 302) throw new Error(`/authorize answered ${authorize.status}`);
    const cookie = authorize.headers.get("set-cookie")!.split(";")[0]!;
    let answer = await handler(new Request(`${ISSUER}/oauth/callback?code=up&state=${lastState}`, { headers: { cookie } }));
    if (answer.status === 200) {
      const html = await answer.text();
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
      answer = await handler(
        new Request(`${ISSUER}/oauth/consent`, {
          method: "POST",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: ISSUER },
          body: new URLSearchParams({ txn: field("txn"), csrf: field("csrf"), decision: "approve" }),
        }),
      );
    }
    const location = answer.headers.get("location");
    const code = location === null ? null : new URL(location).searchParams.get("code");
    if (code === null) throw new Error(`no code: ${answer.status}`);
    return { authorizeMs, code };
  };
  const token = async (params: Record<string, string>) => {
    const t = performance.now();
    const response = await handler(
      new Request(`${ISSUER}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params),
      }),
    );
    const body = (await response.json()) as { refresh_token?: string };
    const elapsed = performance.now() - t;
    if (response.status !== 200) throw new Error(`/token answered ${response.status}: ${JSON.stringify(body)}`);
    return { elapsed, refresh: body.refresh_token! };
  };
  const authorizeTimes: number[] = [];
  const codeTimes: number[] = [];
  const refreshTimes: number[] = [];
  const warmup = Math.min(20, iterations);
  for (let i = 0; i < iterations + warmup; i += 1) {
    const { authorizeMs, code } = await signIn();
    const exchanged = await token({
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: clientId,
    });
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: exchanged.refresh, client_id: clientId });
    if (i < warmup) continue;
    authorizeTimes.push(authorizeMs);
    codeTimes.push(exchanged.elapsed);
    refreshTimes.push(refreshed.elapsed);
  }
  const a = stats(authorizeTimes);
  const c = stats(codeTimes);
  const r = stats(refreshTimes);
  out.rows.push([`warm GET /authorize (${label}, upstream excluded), n=${a.n}`, `p50 ${ms(a.p50)}, p99 ${ms(a.p99)}`]);
  out.rows.push([`warm POST /token, authorization_code (${label}, local RS256), n=${c.n}`, `p50 ${ms(c.p50)}, p99 ${ms(c.p99)}`]);
  out.rows.push([`warm POST /token, refresh_token (${label}, upstream excluded), n=${r.n}`, `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`]);
  out.targets.push([`warm /token p50 < 50 ms (${label}, upstream excluded)`, ms(Math.max(c.p50, r.p50)), Math.max(c.p50, r.p50) < 50]);
}

/** The environment the module gives each function (the front function never holds the upstream secret). */
const OAUTH_ENV = (publicKeyPem: string, role: "front" | "token"): Record<string, string> => ({
  LOG_LEVEL: "silent",
  AWS_REGION: "us-east-1",
  OAUTH_ISSUER: ISSUER,
  OAUTH_RESOURCE: RESOURCE,
  OAUTH_TABLE_NAME: "bench-oauth",
  OAUTH_PUBLIC_KEYS: JSON.stringify([{ kid: "k1", alg: "RS256", pem: publicKeyPem }]),
  OAUTH_SIGNING_KEY_ID: "alias/bench-k1",
  OAUTH_UPSTREAM_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench",
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: "https://bench.auth.us-east-1.amazoncognito.com/oauth2/authorize",
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: "https://bench.auth.us-east-1.amazoncognito.com/oauth2/token",
  OAUTH_UPSTREAM_JWKS_URI: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench/.well-known/jwks.json",
  OAUTH_UPSTREAM_CLIENT_ID: "bench-client",
  ...(role === "token" ? { OAUTH_UPSTREAM_CLIENT_SECRET: "bench-secret" } : {}),
});

/** Median of `COLD_RUNS` fresh processes running `script` (which prints its own milliseconds). */
function coldMedian(script: string, env: Record<string, string>): number {
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i += 1) {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`cold start run failed: ${run.stderr.slice(-800)}`);
    times.push(Number(run.stdout.trim().split("\n").at(-1)));
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

/** 3. Cold start of the authorization-server entries. */
async function coldStart(out: BenchOutput): Promise<void> {
  const pem = createLocalSigner("k1").publicKey.pem;
  // The entry itself: the image's dedicated bundle when container/build.ts makes one, else bundled here.
  let entry = join(root, "dist/lambda/oauth.mjs");
  let temp: string | undefined;
  if (!existsSync(entry)) {
    temp = mkdtempSync(join(tmpdir(), "mcp-oauth-bundle-"));
    entry = join(temp, "oauth.mjs");
    await build({
      entryPoints: { oauth: join(root, "handlers/oauth/src/lambda.ts") },
      outdir: temp,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node22",
      // As container/build.ts: the ESM builds of dependencies.
      mainFields: ["module", "main"],
      minify: true,
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: "silent",
    });
  }
  try {
    const url = JSON.stringify(pathToFileURL(entry).href);
    for (const role of ["front", "token"] as const) {
      const script =
        `const t=performance.now();const m=await import(${url});` +
        `const create=m.createOAuthLambdaHandler??m.default?.createOAuthLambdaHandler;` +
        `if(create){await create(${JSON.stringify(role)});}else{const h=m.${role}Handler;if(typeof h!=="function")throw new Error("no ${role} handler export");}` +
        `process.stdout.write(String(performance.now()-t));`;
      // oauth.mjs builds the configured entry at import (Lambda's `_HANDLER`).
      const median = coldMedian(script, { ...OAUTH_ENV(pem, role), _HANDLER: `oauth.${role}Handler` });
      out.rows.push([
        `cold start: import ${temp === undefined ? "dist/lambda/oauth.mjs" : "bundled handlers/oauth/src/lambda.ts"} + build the ${role} handler (median of ${COLD_RUNS})`,
        `${median.toFixed(0)} ms`,
      ]);
      out.targets.push([`cold start of the OAuth ${role} entry < 1 s`, `${median.toFixed(0)} ms`, median < 1000]);
    }
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
}

/** Runs every measurement of this file. */
export async function oauthBench(quick: boolean): Promise<BenchOutput> {
  const out: BenchOutput = { rows: [], targets: [] };
  await mcpRequestCost(quick ? 4 : 10, quick ? 100 : 300, out);
  await authorizationServer("memory store", createMemoryStore(), quick ? 50 : 300, out);
  const ddb = await startDynamoDbLocal();
  try {
    await createOAuthTable(ddb.client, "bench-oauth");
    await authorizationServer(
      "DynamoDB Local",
      createDynamoDbStore({ client: ddb.client, tableName: "bench-oauth" }),
      quick ? 30 : 150,
      out,
    );
  } finally {
    await ddb.stop();
  }
  await coldStart(out);
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.NODE_NO_WARNINGS = "1";
  const { rows, targets } = await oauthBench(process.argv.includes("--quick"));
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(96)} ${value}\n`);
  process.stdout.write("\ntargets (interactive sign-in)\n");
  for (const [name, value, met] of targets) process.stdout.write(`  ${met ? "met    " : "MISSED "} ${name.padEnd(82)} ${value}\n`);
}
