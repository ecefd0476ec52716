/**
 * End to end on one local server (`npm run start:oauth`'s composition): the MCP SDK client discovers
 * the authorization server, registers (RFC 7591), signs in at the development identity provider,
 * consents, exchanges the code and calls a tool; then refreshes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startOAuthLocalServer, type OAuthLocalServer } from "../../container/src/local/oauth-server.js";
import { MemoryClientProvider, ScriptedBrowser, signIn } from "./support/flow.js";

const USER = { username: "alice@example.com", password: "correct horse", tenantId: "acme", groups: [] };
const auditLines: string[] = [];
const silent = {
  debug() {},
  info(_m: string, a?: Record<string, unknown>) {
    auditLines.push(JSON.stringify(a ?? {}));
  },
  warn() {},
  error() {},
  child() {
    return silent;
  },
};

let server: OAuthLocalServer;
beforeAll(async () => {
  server = await startOAuthLocalServer({ port: 0, user: USER, logger: silent, env: {} });
});
afterAll(async () => {
  await server?.close();
});

async function authorizeWithSdk(provider: MemoryClientProvider, browser = new ScriptedBrowser()) {
  expect(await auth(provider, { serverUrl: server.url })).toBe("REDIRECT");
  const signedIn = await signIn(browser, provider.authorizationUrl!.href, USER, provider.redirect);
  const code = signedIn.redirect.searchParams.get("code");
  expect(code).toBeTruthy();
  expect(await auth(provider, { serverUrl: server.url, authorizationCode: code! })).toBe("AUTHORIZED");
  return { signedIn, browser };
}

describe("interactive sign-in with dynamic client registration", () => {
  it("registers, signs in, consents, exchanges the code and calls a tool (AT-05)", async () => {
    const provider = new MemoryClientProvider("http://127.0.0.1:51234/callback");
    const { signedIn } = await authorizeWithSdk(provider);
    expect(provider.info?.client_id).toMatch(/^mcp_[a-z2-7]{26}$/);
    expect(signedIn.consentHtml).toContain("alice@example.com");
    expect(signedIn.redirect.searchParams.getAll("iss")).toEqual([server.issuer]);
    expect(signedIn.redirect.searchParams.get("state")).toBeTruthy();

    const access = provider.saved!.access_token;
    expect(decodeProtectedHeader(access)).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    expect(decodeJwt(access)).toMatchObject({
      iss: server.issuer,
      aud: server.url.href,
      client_id: provider.info!.client_id,
      scope: "mcp/invoke",
      tenant_id: "acme",
      sub: server.idp.sub,
    });
    expect(provider.saved!.refresh_token).toMatch(/^mcp_rt_/);

    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
    const result = await client.callTool({ name: "parse_arn", arguments: { arn: "arn:aws:s3:::my-bucket" } });
    expect(result.isError).not.toBe(true);
    await client.close();

    // One audit line per decision, none with a token, code or secret.
    const audit = auditLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => typeof l.event === "string" && String(l.event).startsWith("oauth."));
    expect(audit.map((l) => l.event)).toEqual(
      expect.arrayContaining(["oauth.register", "oauth.authorize", "oauth.callback", "oauth.consent", "oauth.token"]),
    );
    const all = auditLines.join("\n");
    for (const secret of [access, provider.saved!.refresh_token!, signedIn.redirect.searchParams.get("code")!, provider.verifier])
      expect(all).not.toContain(secret);
  });

  it("refreshes with rotation: the new token works, the SDK's refresh path succeeds (AT-10)", async () => {
    const provider = new MemoryClientProvider("http://localhost:40111/callback");
    await authorizeWithSdk(provider);
    const first = provider.saved!;
    // The SDK refreshes when it holds a refresh token and auth() is called again.
    expect(await auth(provider, { serverUrl: server.url })).toBe("AUTHORIZED");
    const second = provider.saved!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});

describe("on DynamoDB Local with the KMS signer (KMS itself not exercised: a mocked client signs with node:crypto)", () => {
  it("completes registration, sign-in, exchange, tools/call and refresh with state in DynamoDB", async () => {
    const { generateKeyPairSync, sign } = await import("node:crypto");
    const { mockClient } = await import("aws-sdk-client-mock");
    const { KMSClient, SignCommand } = await import("@aws-sdk/client-kms");
    const { ScanCommand } = await import("@aws-sdk/client-dynamodb");
    const { startDynamoDbLocal } = await import("../container/support/dynamodb-local.js");
    const { createOAuthTable } = await import("./support/table.js");
    const { createDynamoDbStore } = await import("../../handlers/oauth/src/core/store/dynamodb.js");
    const { createKmsSigner } = await import("../../handlers/oauth/src/core/tokens/kms-signer.js");

    const ddb = await startDynamoDbLocal();
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kms = mockClient(KMSClient);
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array; KeyId: string }) => {
      if (input.KeyId !== "alias/mcp-oauth-k1") throw new Error("wrong key");
      return { Signature: new Uint8Array(sign("sha256", input.Message, privateKey)) };
    });
    const signer = {
      ...createKmsSigner({ client: new KMSClient({ region: "us-east-1" }), keyId: "alias/mcp-oauth-k1", kid: "k1" }),
      publicKey: { kid: "k1", alg: "RS256" as const, pem: publicKey.export({ format: "pem", type: "spki" }).toString() },
    };
    let onDynamo: OAuthLocalServer | undefined;
    try {
      await createOAuthTable(ddb.client, "mcp-test-oauth");
      onDynamo = await startOAuthLocalServer({
        port: 0,
        user: USER,
        logger: silent,
        env: {},
        signer,
        store: createDynamoDbStore({ client: ddb.client, tableName: "mcp-test-oauth" }),
      });
      const local = onDynamo;
      const provider = new MemoryClientProvider("http://127.0.0.1:51999/callback");
      expect(await auth(provider, { serverUrl: local.url })).toBe("REDIRECT");
      const signedIn = await signIn(new ScriptedBrowser(), provider.authorizationUrl!.href, USER, provider.redirect);
      expect(await auth(provider, { serverUrl: local.url, authorizationCode: signedIn.redirect.searchParams.get("code")! })).toBe(
        "AUTHORIZED",
      );
      const client = new Client({ name: "e2e", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(local.url, { authProvider: provider }));
      expect((await client.callTool({ name: "parse_arn", arguments: { arn: "arn:aws:s3:::b" } })).isError).not.toBe(true);
      await client.close();
      expect(await auth(provider, { serverUrl: local.url })).toBe("AUTHORIZED");
      expect(kms.commandCalls(SignCommand)).toHaveLength(2);

      // What is stored: hashes, never the codes or tokens themselves.
      const { Items = [] } = await ddb.client.send(new ScanCommand({ TableName: "mcp-test-oauth" }));
      const kinds = Items.map((i) => i.pk!.S!.split("#")[0]).sort();
      expect(new Set(kinds)).toEqual(new Set(["client", "code", "consent", "grant", "rl"]));
      const dump = JSON.stringify(Items);
      expect(dump).not.toContain(provider.saved!.refresh_token!);
      expect(dump).not.toContain(signedIn.redirect.searchParams.get("code")!);
    } finally {
      kms.restore();
      await onDynamo?.close();
      await ddb.stop();
    }
  });
});
