/**
 * Acceptance tests of the interactive sign-in that concern the MCP endpoint, on `npm run start:oauth`'s
 * composition (one process: MCP endpoint, authorization server, development identity provider).
 *
 * Where each acceptance test of the design lives:
 * | test | file |
 * |---|---|
 * | AT-01 401 challenge and protected resource metadata | here |
 * | AT-02, AT-03 metadata documents, `Host` ignored | security.test.ts ("discovery") |
 * | AT-04, AT-07 official conformance suite | conformance.test.ts |
 * | AT-05 SDK client, DCR, sign-in, consent, tools/call | e2e.test.ts |
 * | AT-06 SDK client with a Client ID Metadata Document | cimd.test.ts |
 * | AT-09 headless Chromium | browser.test.ts |
 * | AT-10 refresh after expiry (test clock) | here; rotation in e2e.test.ts |
 * | AT-11, AT-12, AT-19 redirect rules | security.test.ts, redirect.test.ts |
 * | AT-13, AT-23 PKCE, codes, `iss` | security.test.ts |
 * | AT-14 resource indicators | security.test.ts |
 * | AT-15 foreign audience, issuer, `typ`, algorithms, keys | verifier.test.ts, security.test.ts |
 * | AT-16 Cognito machine tokens beside ours | mcp-function.test.ts, test/container/auth.test.ts |
 * | AT-17 refresh rotation, reuse, upstream disabled | security.test.ts |
 * | AT-18 registration caps | security.test.ts |
 * | AT-20 CIMD fetch guard | cimd.test.ts |
 * | AT-21, AT-22 consent, CSRF, browser binding | security.test.ts, browser.test.ts |
 * | AT-24 CORS for browser clients, `/mcp` Origin check kept | here; authorization server in security.test.ts |
 * | AT-25 step-up for a tool needing another scope | here |
 * | AT-26 tenant required | security.test.ts |
 * | AT-27 terraform test of the module | test/terraform |
 * | AT-28 IAM simulation of the roles | test/iam |
 * | AT-29 no DynamoDB or KMS call per MCP request | here; timings in bench/oauth.ts |
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startOAuthLocalServer, type OAuthLocalServer } from "../../container/src/local/oauth-server.js";
import { defineTool } from "../../container/src/core/tools.js";
import { tools as defaultTools } from "../../container/src/tools/index.js";
import { exchange, registerClient, runFlow } from "./support/client.js";
import { MemoryClientProvider, ScriptedBrowser, signIn } from "./support/flow.js";

const ADMIN_SCOPE = "mcp/admin";
/** A tool that needs a scope beyond the one every request needs. */
const adminTool = defineTool({
  name: "rotate_secret",
  config: { description: "Rotates a secret (administrators only).", inputSchema: z.object({ name: z.string() }) },
  requiredScopes: [ADMIN_SCOPE],
  handler: ({ name }) => ({ content: [{ type: "text", text: `rotated ${name}` }] }),
});
const TOOLS = [...defaultTools, adminTool];
const settings = { groupScopes: { admins: [ADMIN_SCOPE] } };

const ADMIN = { username: "admin@example.com", password: "admin password", tenantId: "acme", groups: ["admins"] };
const MEMBER = { username: "member@example.com", password: "member password", tenantId: "acme", groups: [] };

/** Seconds added to the authorization server's clock (AT-10 moves it). */
let clockOffset = 0;
let admins: OAuthLocalServer;
let members: OAuthLocalServer;
beforeAll(async () => {
  const common = { port: 0, env: { LOG_LEVEL: "silent" }, tools: TOOLS, settings };
  [admins, members] = await Promise.all([
    startOAuthLocalServer({ ...common, user: ADMIN, now: () => Math.floor(Date.now() / 1000) + clockOffset }),
    startOAuthLocalServer({ ...common, user: MEMBER }),
  ]);
});
afterAll(async () => {
  await Promise.all([admins?.close(), members?.close()]);
});

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const toolCall = (name: string, args: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });

/** Parses `Bearer k="v", ...` into its parameters. */
function challengeParams(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer /);
  return Object.fromEntries([...header!.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** A registered client's flow through sign-in and consent, then the code exchange; returns the access token. */
async function tokenFor(server: OAuthLocalServer, user: { username: string; password: string }, scope: string): Promise<string> {
  const redirectUri = "http://127.0.0.1:45123/callback";
  const registered = await registerClient(server.issuer, {
    client_name: `Scope test ${scope}`,
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: "none",
  });
  const flow = await runFlow(server.issuer, user, { clientId: String(registered.body.client_id), redirectUri, extra: { scope } });
  const tokens = await exchange(server.issuer, flow);
  expect(tokens.status).toBe(200);
  return String(tokens.body.access_token);
}

describe("discovery from the MCP endpoint (AT-01)", () => {
  it("challenges with resource_metadata; both metadata URLs name this resource and issuer, never offline_access", async () => {
    const response = await fetch(admins.url, { method: "POST", headers: MCP_HEADERS, body: toolCall("parse_arn", { arn: "x" }) });
    expect(response.status).toBe(401);
    const params = challengeParams(response.headers.get("www-authenticate"));
    expect(params.resource_metadata).toBe(`${admins.issuer}/.well-known/oauth-protected-resource/mcp`);
    expect(params.error).toBeUndefined();
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const prm = (await (await fetch(`${admins.issuer}${path}`)).json()) as Record<string, unknown>;
      expect(prm, path).toMatchObject({ resource: admins.url.href, authorization_servers: [admins.issuer] });
      expect(JSON.stringify(prm.scopes_supported ?? [])).not.toContain("offline_access");
    }
  });
});

describe("browser clients (AT-24)", () => {
  it("answers the metadata and its preflight to any Origin with CORS *, while POST /mcp from a foreign Origin stays 403", async () => {
    for (const origin of ["http://localhost:6274", "https://inspector.example"]) {
      const prm = await fetch(`${admins.issuer}/.well-known/oauth-protected-resource/mcp`, {
        headers: { origin, "mcp-protocol-version": "2025-11-25" },
      });
      expect(prm.status, origin).toBe(200);
      expect(prm.headers.get("access-control-allow-origin")).toBe("*");
      expect(prm.headers.get("access-control-allow-credentials")).toBeNull();
      const preflight = await fetch(`${admins.issuer}/.well-known/oauth-protected-resource/mcp`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "mcp-protocol-version" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");
      const as = await fetch(`${admins.issuer}/.well-known/oauth-authorization-server`, { headers: { origin } });
      expect(as.headers.get("access-control-allow-origin")).toBe("*");
    }
    const foreign = await fetch(admins.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, origin: "https://evil.example" },
      body: toolCall("parse_arn", { arn: "x" }),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("step-up for a tool that needs another scope (AT-25)", () => {
  it("answers 403 insufficient_scope with the needed scopes; a member of the mapped group re-authorizes and passes", async () => {
    const basic = await tokenFor(admins, ADMIN, "mcp/invoke offline_access");
    const authorized = { ...MCP_HEADERS, authorization: `Bearer ${basic}` };
    // Tools without an extra scope work with the basic token.
    const ok = await fetch(admins.url, { method: "POST", headers: authorized, body: toolCall("parse_arn", { arn: "arn:aws:s3:::b" }) });
    expect(ok.status).toBe(200);
    const refused = await fetch(admins.url, { method: "POST", headers: authorized, body: toolCall(adminTool.name, { name: "db" }) });
    expect(refused.status).toBe(403);
    const params = challengeParams(refused.headers.get("www-authenticate"));
    expect(params).toMatchObject({
      error: "insufficient_scope",
      scope: `mcp/invoke ${ADMIN_SCOPE}`,
      resource_metadata: `${admins.issuer}/.well-known/oauth-protected-resource/mcp`,
    });
    const body = (await refused.json()) as { error?: { message?: string } };
    expect(body.error?.message).toContain(ADMIN_SCOPE);

    // Re-authorization with the challenged scopes (what the client does with the challenge).
    const elevated = await tokenFor(admins, ADMIN, params.scope!);
    const passed = await fetch(admins.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${elevated}` },
      body: toolCall(adminTool.name, { name: "db" }),
    });
    expect(passed.status).toBe(200);
    expect(await passed.text()).toContain("rotated db");
  });

  it("a user outside the group gets a token without the scope and keeps getting 403: no server-side loop", async () => {
    const token = await tokenFor(members, MEMBER, `mcp/invoke ${ADMIN_SCOPE}`);
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { scope: string };
    expect(payload.scope.split(" ")).not.toContain(ADMIN_SCOPE);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await fetch(members.url, {
        method: "POST",
        headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
        body: toolCall(adminTool.name, { name: "db" }),
      });
      expect(refused.status).toBe(403);
      expect(challengeParams(refused.headers.get("www-authenticate")).error).toBe("insufficient_scope");
    }
  });

  it("lists the tool to every caller (a client learns of the scope only by calling)", async () => {
    const token = await tokenFor(members, MEMBER, "mcp/invoke");
    const listed = await fetch(members.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain(adminTool.name);
  });
});

describe("refresh after the access token expired (AT-10)", () => {
  it("the SDK's transport gets 401, refreshes, and the next tools/call succeeds with a new token", async () => {
    const provider = new MemoryClientProvider("http://127.0.0.1:47001/callback");
    // Tokens issued now are already past their lifetime (900 s) for the MCP endpoint's clock.
    clockOffset = -1000;
    try {
      expect(await auth(provider, { serverUrl: admins.url })).toBe("REDIRECT");
      const signedIn = await signIn(new ScriptedBrowser(), provider.authorizationUrl!.href, ADMIN, provider.redirect);
      expect(await auth(provider, { serverUrl: admins.url, authorizationCode: signedIn.redirect.searchParams.get("code")! })).toBe(
        "AUTHORIZED",
      );
    } finally {
      clockOffset = 0;
    }
    const expired = provider.saved!.access_token;
    const direct = await fetch(admins.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${expired}` },
      body: toolCall("parse_arn", { arn: "arn:aws:s3:::b" }),
    });
    expect(direct.status).toBe(401);
    expect(challengeParams(direct.headers.get("www-authenticate")).error_description).toBe("token expired");

    const client = new Client({ name: "refresh", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(admins.url, { authProvider: provider }));
    const result = await client.callTool({ name: "parse_arn", arguments: { arn: "arn:aws:s3:::b" } });
    expect(result.isError).not.toBe(true);
    expect(provider.saved!.access_token).not.toBe(expired);
    await client.close();
  });
});

describe("an MCP request with this server's token costs no DynamoDB and no KMS call (AT-29)", () => {
  it("counts the authorization server's DynamoDB Local and KMS calls: some while signing in, none per tools/call", async () => {
    const { generateKeyPairSync, sign } = await import("node:crypto");
    const { mockClient } = await import("aws-sdk-client-mock");
    const { KMSClient, SignCommand } = await import("@aws-sdk/client-kms");
    const { startDynamoDbLocal } = await import("../container/support/dynamodb-local.js");
    const { createOAuthTable } = await import("./support/table.js");
    const { createDynamoDbStore } = await import("../../handlers/oauth/src/core/store/dynamodb.js");
    const { createKmsSigner } = await import("../../handlers/oauth/src/core/tokens/kms-signer.js");

    const ddb = await startDynamoDbLocal();
    let dynamoCalls = 0;
    ddb.client.middlewareStack.add(
      (next) => (args) => {
        dynamoCalls += 1;
        return next(args);
      },
      { step: "initialize", name: "countCalls" },
    );
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kms = mockClient(KMSClient);
    kms
      .on(SignCommand)
      .callsFake((input: { Message: Uint8Array }) => ({ Signature: new Uint8Array(sign("sha256", input.Message, privateKey)) }));
    let server: OAuthLocalServer | undefined;
    try {
      await createOAuthTable(ddb.client, "mcp-at29-oauth");
      server = await startOAuthLocalServer({
        port: 0,
        user: ADMIN,
        env: { LOG_LEVEL: "silent" },
        store: createDynamoDbStore({ client: ddb.client, tableName: "mcp-at29-oauth" }),
        signer: {
          ...createKmsSigner({ client: new KMSClient({ region: "us-east-1" }), keyId: "alias/mcp-oauth-k1", kid: "k1" }),
          publicKey: { kid: "k1", alg: "RS256", pem: publicKey.export({ format: "pem", type: "spki" }).toString() },
        },
      });
      const token = await tokenFor(server, ADMIN, "mcp/invoke");
      expect(dynamoCalls).toBeGreaterThan(0);
      expect(kms.commandCalls(SignCommand)).toHaveLength(1);
      const [dynamoBefore, kmsBefore] = [dynamoCalls, kms.commandCalls(SignCommand).length];
      for (let i = 0; i < 5; i += 1) {
        const response = await fetch(server.url, {
          method: "POST",
          headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
          body: toolCall("parse_arn", { arn: `arn:aws:s3:::bucket-${i}` }),
        });
        expect(response.status).toBe(200);
        await response.text();
      }
      expect(dynamoCalls - dynamoBefore).toBe(0);
      expect(kms.commandCalls(SignCommand).length - kmsBefore).toBe(0);
    } finally {
      kms.restore();
      await server?.close();
      await ddb.stop();
    }
  });
});
