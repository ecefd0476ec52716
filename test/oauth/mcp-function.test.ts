/**
 * The MCP function with interactive sign-in configured (`MCP_OAUTH_*`): configuration errors name the
 * variable; the token's `iss` picks the verifier, so Cognito-style machine tokens (oidc-provider,
 * client_credentials) keep working beside the server's own tokens (AT-16); the protected resource
 * metadata names the server's own issuer (AT-01).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import type { McpFetchHandler } from "../../container/src/core/handler.js";
import { ConfigError, loadConfig } from "../../container/src/config.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { createLocalSigner } from "../../handlers/oauth/src/core/tokens/local-signer.js";
import { signAccessToken } from "../../handlers/oauth/src/core/tokens/signer.js";
import { MCP_SCOPE, startAuthorizationServer, type AuthorizationServer } from "../container/support/oidc.js";

const RESOURCE = "https://mcp.example.com/mcp";
const ISSUER = "https://mcp.example.com";
const signer = createLocalSigner("k1");
let cognito: AuthorizationServer;
beforeAll(async () => {
  cognito = await startAuthorizationServer([{ clientId: "machine", secret: "machine-secret-123" }]);
});
afterAll(async () => {
  await cognito?.close();
});

const env = () => ({
  MCP_AUTH_ENABLED: "true",
  MCP_JWT_ISSUER: cognito.issuer,
  MCP_JWT_CLIENT_IDS: "machine",
  MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
  MCP_RESOURCE_URL: RESOURCE,
  MCP_OAUTH_ISSUER: ISSUER,
  MCP_OAUTH_PUBLIC_KEYS: JSON.stringify([signer.publicKey]),
});

describe("configuration", () => {
  it("names the missing or invalid MCP_OAUTH_* variable", () => {
    expect(() => loadConfig({ ...env(), MCP_OAUTH_PUBLIC_KEYS: undefined })).toThrow(
      /MCP_OAUTH_PUBLIC_KEYS=undefined: required with MCP_OAUTH_ISSUER/,
    );
    expect(() => loadConfig({ ...env(), MCP_OAUTH_PUBLIC_KEYS: "[{}]" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env(), MCP_AUTH_ENABLED: "false" })).toThrow(/MCP_OAUTH_ISSUER=.*needs MCP_AUTH_ENABLED/);
    expect(() => loadConfig({ ...env(), MCP_RESOURCE_URL: undefined })).toThrow(/MCP_OAUTH_AUDIENCE=undefined/);
    expect(loadConfig(env()).auth?.interactive).toMatchObject({ issuer: ISSUER, audience: RESOURCE });
  });
});

describe("verifier by issuer in the MCP function", () => {
  const LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
  const call = (handler: McpFetchHandler, token?: string) =>
    handler(
      new Request(RESOURCE, {
        method: "POST",
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: LIST,
      }),
    );
  const ours = (extra: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return signAccessToken(signer, {
      iss: ISSUER,
      sub: "u1",
      aud: RESOURCE,
      client_id: "mcp_abc",
      scope: MCP_SCOPE,
      iat: now,
      exp: now + 600,
      ...extra,
    });
  };

  it("accepts both issuers' tokens and refuses others with a reason", async () => {
    const handler = await createApp(loadConfig(env()), { logger: silentLogger });
    expect((await call(handler, await cognito.token("machine"))).status).toBe(200);
    expect((await call(handler, await ours())).status).toBe(200);
    const otherAudience = await call(handler, await ours({ aud: "https://other.example.com/mcp" }));
    expect(otherAudience.status).toBe(401);
    expect(otherAudience.headers.get("www-authenticate")).toContain('error_description="unexpected audience"');
    const otherIssuer = await call(handler, await ours({ iss: "https://evil.example" }));
    expect(otherIssuer.headers.get("www-authenticate")).toContain('error_description="unexpected issuer"');
    const noScope = await call(handler, await ours({ scope: "" }));
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });

  it("names the server's own issuer in the protected resource metadata, without offline_access", async () => {
    const handler = await createApp(loadConfig(env()), { logger: silentLogger });
    const prm = (await (await handler(new Request("https://mcp.example.com/.well-known/oauth-protected-resource/mcp"))).json()) as Record<
      string,
      unknown
    >;
    expect(prm).toMatchObject({ resource: RESOURCE, authorization_servers: [ISSUER], scopes_supported: [MCP_SCOPE] });
    expect(JSON.stringify(prm)).not.toContain("offline_access");
  });
});
