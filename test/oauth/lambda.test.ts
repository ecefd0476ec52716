/**
 * The two Lambda functions of the authorization server behind the HTTP API shim (payload 2.0), with
 * state in DynamoDB Local and a mocked KMS client (KMS itself not exercised): configuration errors
 * name the variable; each function serves only its own routes; cookies cross the adapter both ways;
 * the CloudFront origin secret is enforced.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { KMSClient } from "@aws-sdk/client-kms";
import { startHttpApiShim, type HttpApiShim } from "../../container/src/local/http-api-shim.js";
import { createOAuthLambdaHandler } from "../../handlers/oauth/src/lambda.js";
import { startDynamoDbLocal, type DynamoDbLocal } from "../container/support/dynamodb-local.js";
import { createOAuthTable } from "./support/table.js";
import { pkce } from "./support/client.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "pem", type: "spki" }).toString();
const base = {
  OAUTH_ISSUER: "https://mcp.example.com",
  OAUTH_RESOURCE: "https://mcp.example.com/mcp",
  OAUTH_UPSTREAM_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST",
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: "https://auth.example.auth.us-east-1.amazoncognito.com/oauth2/authorize",
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: "https://auth.example.auth.us-east-1.amazoncognito.com/oauth2/token",
  OAUTH_UPSTREAM_JWKS_URI: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST/.well-known/jwks.json",
  OAUTH_UPSTREAM_CLIENT_ID: "cognito-client",
  OAUTH_PUBLIC_KEYS: JSON.stringify([{ kid: "k1", alg: "RS256", pem }]),
  OAUTH_TABLE_NAME: "mcp-lambda-oauth",
};
const silent = { info() {} };

describe("configuration", () => {
  it("names each invalid or missing variable", async () => {
    await expect(
      createOAuthLambdaHandler("front", { ...base, OAUTH_ISSUER: "https://mcp.example.com/path/", OAUTH_DCR_MODE: "sometimes" }),
    ).rejects.toThrow(/OAUTH_ISSUER="https:\/\/mcp.example.com\/path\/": must be an origin[\s\S]*OAUTH_DCR_MODE="sometimes"/);
    await expect(createOAuthLambdaHandler("front", { ...base, OAUTH_ISSUER: "http://mcp.example.com" })).rejects.toThrow(
      /OAUTH_ISSUER=.*https URL \(http only on a loopback host\)/,
    );
    await expect(createOAuthLambdaHandler("token", base)).rejects.toThrow(
      /OAUTH_SIGNING_KEY_ID=undefined[\s\S]*OAUTH_UPSTREAM_CLIENT_SECRET=undefined/,
    );
    await expect(createOAuthLambdaHandler("front", { ...base, OAUTH_UPSTREAM_CLIENT_SECRET: "s" })).rejects.toThrow(
      /must not be given to the front function/,
    );
    await expect(createOAuthLambdaHandler("front", { ...base, OAUTH_TABLE_NAME: undefined })).rejects.toThrow(
      /OAUTH_TABLE_NAME=undefined: required on Lambda/,
    );
  });
});

describe("behind the HTTP API shim", () => {
  let ddb: DynamoDbLocal;
  let front: HttpApiShim;
  let token: HttpApiShim;
  const kms = mockClient(KMSClient);
  beforeAll(async () => {
    ddb = await startDynamoDbLocal();
    await createOAuthTable(ddb.client, base.OAUTH_TABLE_NAME);
    front = await startHttpApiShim({
      handler: await createOAuthLambdaHandler(
        "front",
        { ...base, MCP_ORIGIN_VERIFY_SECRET: "edge-secret" },
        { dynamoDb: ddb.client, logger: silent },
      ),
    });
    token = await startHttpApiShim({
      handler: await createOAuthLambdaHandler(
        "token",
        { ...base, OAUTH_SIGNING_KEY_ID: "alias/k1", OAUTH_UPSTREAM_CLIENT_SECRET: "secret" },
        { dynamoDb: ddb.client, kms: new KMSClient({ region: "us-east-1" }), logger: silent },
      ),
    });
  });
  afterAll(async () => {
    kms.restore();
    await front?.close();
    await token?.close();
    await ddb?.stop();
  });
  const edge = { "x-origin-verify": "edge-secret" };

  it("front: metadata from configuration, registration in DynamoDB, /authorize sets the __Host- cookie and sends the browser upstream", async () => {
    const metadata = (await (
      await fetch(new URL("/.well-known/oauth-authorization-server", front.url), { headers: edge })
    ).json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe("https://mcp.example.com");
    expect(metadata.token_endpoint).toBe("https://mcp.example.com/token");
    const registered = await fetch(new URL("/register", front.url), {
      method: "POST",
      headers: { ...edge, "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "VS Code",
        redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
        grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        token_endpoint_auth_method: "none",
      }),
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as { client_id: string; grant_types: string[] };
    expect(client.grant_types).toEqual(["authorization_code", "refresh_token"]);
    const url = new URL("/authorize", front.url);
    const { challenge } = pkce();
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: "http://127.0.0.1:50000/",
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "s",
    }))
      url.searchParams.set(k, v);
    const authorize = await fetch(url, { headers: edge, redirect: "manual" });
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(base.OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT);
    expect(location.searchParams.get("redirect_uri")).toBe("https://mcp.example.com/oauth/callback");
    expect(location.searchParams.get("client_id")).toBe("cognito-client");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.has("resource")).toBe(false);
    expect(authorize.headers.get("set-cookie")).toMatch(
      /^__Host-mcp_txn=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/,
    );
  });

  it("each function serves only its routes; the front function enforces the origin secret", async () => {
    expect((await fetch(new URL("/token", front.url), { method: "POST", headers: edge })).status).toBe(404);
    expect(
      (await fetch(new URL("/register", token.url), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }))
        .status,
    ).toBe(404);
    expect((await fetch(new URL("/.well-known/jwks.json", front.url))).status).toBe(403);
    const refused = await fetch(new URL("/token", token.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=authorization_code&code=x&code_verifier=" + "v".repeat(43) + "&client_id=unknown",
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");
    expect(refused.headers.get("cache-control")).toBe("no-store");
  });
});
