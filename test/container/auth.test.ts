/**
 * In-function token verification (jose) against a real authorization server (oidc-provider on
 * 127.0.0.1), and the resource-server HTTP behaviour of MCP authorization (spec 2025-06-18):
 * RFC 6750 challenges, RFC 9728 Protected Resource Metadata, 403 insufficient_scope.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { loadConfig } from "../../container/src/config.js";
import { createJwtVerifier, TokenRejectedError, type TokenVerifier } from "../../container/src/core/auth/jwt.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { bearerChallenge, resourceMetadataUrl } from "../../container/src/core/stages/authentication.js";
import { baseClaims, MCP_SCOPE, RESOURCE, startAuthorizationServer, type AuthorizationServer } from "./support/oidc.js";

let as: AuthorizationServer;
let verify: TokenVerifier;

beforeAll(async () => {
  as = await startAuthorizationServer([
    { clientId: "client-a", secret: "secret-a", tenantId: "tenant-a" },
    { clientId: "client-other", secret: "secret-o", tenantId: "tenant-a" },
  ]);
  verify = createJwtVerifier({ issuer: as.issuer, clientIds: ["client-a"], jwksUrl: as.jwksUrl, jwksCooldownMs: 0 });
});
afterAll(async () => {
  await as?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
async function rejection(token: string, verifier: TokenVerifier = verify): Promise<string> {
  try {
    await verifier(token);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  }
  throw new Error("token was accepted");
}

describe("JWT verifier against oidc-provider", () => {
  it("accepts a client_credentials access token from the token endpoint", async () => {
    const token = await as.token("client-a");
    const verified = await verify(token);
    expect(verified).toMatchObject({ clientId: "client-a", subject: "client-a", scopes: [MCP_SCOPE] });
    expect(verified.claims).toMatchObject({ iss: as.issuer, tenant_id: "tenant-a", aud: RESOURCE });
    expect(verified.expiresAt).toBeGreaterThan(now());
  });

  it("remembers a verified token for verifiedCacheMs, never past its exp, and never a rejected one", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "c1", alg: "RS256" };
    let keyLookups = 0;
    let clock = Date.now();
    const cached = createJwtVerifier({
      issuer: "https://issuer.example.com",
      clientIds: ["client-a"],
      jwksUrl: "https://issuer.example.com/jwks",
      keys: async () => (keyLookups++, publicKey),
      verifiedCacheMs: 60_000,
      now: () => clock,
    });
    const sign = (exp: number) =>
      new SignJWT({ client_id: "client-a", scope: MCP_SCOPE })
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
        .setIssuer("https://issuer.example.com")
        .setExpirationTime(exp)
        .sign(privateKey);
    const token = await sign(now() + 3600);
    const first = await cached(token);
    expect(await cached(token)).toBe(first);
    expect(keyLookups).toBe(1);
    clock += 60_000; // the window is over: verified again
    expect(await cached(token)).toEqual(first);
    expect(keyLookups).toBe(2);
    // A token expiring in 20 s is remembered until exp + 5 s tolerance, not 60 s.
    clock = Date.now();
    const short = await sign(now() + 20);
    await cached(short);
    clock = (now() + 24) * 1000;
    await cached(short);
    expect(keyLookups).toBe(3);
    clock = (now() + 26) * 1000;
    await cached(short).catch(() => undefined);
    expect(keyLookups).toBe(4);
    // Rejections are not remembered, and the results cannot be altered by a caller.
    const wrongClient = await new SignJWT({ client_id: "other" })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
      .setIssuer("https://issuer.example.com")
      .setExpirationTime("1h")
      .sign(privateKey);
    expect(await rejection(wrongClient, cached)).toBe("client not allowed");
    expect(await rejection(wrongClient, cached)).toBe("client not allowed");
    expect(keyLookups).toBe(6);
    expect(Object.isFrozen(first) && Object.isFrozen(first.claims)).toBe(true);
  });

  it("refuses alg none (RFC 8725 section 3.1)", async () => {
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64(baseClaims(as.issuer, "client-a"))}.`;
    expect(await rejection(token)).toBe("algorithm not allowed");
  });

  it("refuses HS256 signed with the provider's public key as the HMAC secret (key confusion)", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(as.publicJwk));
    const token = await new SignJWT(baseClaims(as.issuer, "client-a")).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(secret);
    expect(await rejection(token)).toBe("algorithm not allowed");
    const nBytes = Buffer.from(as.publicJwk.n!, "base64url");
    const token2 = await new SignJWT(baseClaims(as.issuer, "client-a")).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(nBytes);
    expect(await rejection(token2)).toBe("algorithm not allowed");
  });

  it("refuses an expired token", async () => {
    expect(await rejection(await as.sign(baseClaims(as.issuer, "client-a", { iat: now() - 3600, exp: now() - 60 })))).toBe("token expired");
  });

  it("refuses a token whose nbf is in the future, beyond the clock tolerance", async () => {
    expect(await rejection(await as.sign(baseClaims(as.issuer, "client-a", { nbf: now() + 300 })))).toBe("token not yet valid");
    // Within the default 5 s tolerance it passes.
    await expect(verify(await as.sign(baseClaims(as.issuer, "client-a", { nbf: now() + 2 })))).resolves.toBeDefined();
  });

  it("refuses a token without exp", async () => {
    const claims = baseClaims(as.issuer, "client-a");
    delete claims.exp;
    expect(await rejection(await as.sign(claims))).toBe("missing claim exp");
  });

  it("refuses a wrong issuer", async () => {
    expect(await rejection(await as.sign(baseClaims(`${as.issuer}/other`, "client-a")))).toBe("unexpected issuer");
  });

  it("refuses a client that is not allowed (client_id, and aud when client_id is absent)", async () => {
    expect(await rejection(await as.token("client-other"))).toBe("client not allowed");
    const claims = baseClaims(as.issuer, "client-a", { aud: "someone-else" });
    delete claims.client_id;
    expect(await rejection(await as.sign(claims))).toBe("client not allowed");
    // API Gateway's rule: without client_id, aud may name the client.
    const byAud = baseClaims(as.issuer, "x", { aud: ["client-a"] });
    delete byAud.client_id;
    await expect(verify(await as.sign(byAud))).resolves.toMatchObject({ clientId: "client-a" });
  });

  it("refuses a Cognito ID token (token_use = id) even with a matching audience", async () => {
    const claims = baseClaims(as.issuer, "x", { aud: "client-a", token_use: "id" });
    delete claims.client_id;
    expect(await rejection(await as.sign(claims))).toBe("not an access token");
  });

  it("checks aud against the configured audience (RFC 8707) when one is set", async () => {
    const strict = createJwtVerifier({ issuer: as.issuer, clientIds: ["client-a"], jwksUrl: as.jwksUrl, audience: RESOURCE });
    await expect(strict(await as.token("client-a"))).resolves.toBeDefined();
    expect(await rejection(await as.sign(baseClaims(as.issuer, "client-a", { aud: "https://other.example.com/mcp" })), strict)).toBe(
      "unexpected audience",
    );
  });

  it("refuses a tampered payload (signature no longer matches)", async () => {
    const token = await as.token("client-a");
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${header}.${b64({ ...claims, tenant_id: "tenant-b" })}.${signature}`;
    expect(await rejection(tampered)).toBe("signature verification failed");
  });

  it("refuses a token signed by a key the JWKS does not hold, and a malformed token", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    expect(await rejection(await as.sign(baseClaims(as.issuer, "client-a"), { key: privateKey, kid: "never-published" }))).toBe(
      "no matching key",
    );
    expect(await rejection(await as.sign(baseClaims(as.issuer, "client-a"), { key: privateKey }))).toBe("signature verification failed");
    expect(await rejection("not.a.jwt")).toBe("malformed token");
  });

  it("re-fetches the JWKS for an unknown kid, so a rotated key is accepted without a restart", async () => {
    await verify(await as.token("client-a")); // JWKS cached
    const before = as.jwksFetches();
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    as.publishKey({ ...(await exportJWK(publicKey)), kid: "k2", alg: "RS256", use: "sig" });
    const rotated = await as.sign(baseClaims(as.issuer, "client-a"), { key: privateKey, kid: "k2" });
    await expect(verify(rotated)).resolves.toMatchObject({ clientId: "client-a" });
    expect(as.jwksFetches()).toBe(before + 1);
    // A known kid does not trigger a fetch.
    await verify(rotated);
    expect(as.jwksFetches()).toBe(before + 1);
  });

  it("limits JWKS re-fetches for unknown kids to one per cooldown", async () => {
    const throttled = createJwtVerifier({ issuer: as.issuer, clientIds: ["client-a"], jwksUrl: as.jwksUrl, jwksCooldownMs: 60_000 });
    await throttled(await as.token("client-a"));
    const before = as.jwksFetches();
    const { privateKey } = await generateKeyPair("RS256");
    for (let i = 0; i < 5; i++) {
      expect(await rejection(await as.sign(baseClaims(as.issuer, "client-a"), { key: privateKey, kid: `unknown-${i}` }), throttled)).toBe(
        "no matching key",
      );
    }
    expect(as.jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it("reports an unreachable JWKS as unavailable (a 503, not a 401)", async () => {
    const down = createJwtVerifier({
      issuer: as.issuer,
      clientIds: ["client-a"],
      jwksUrl: "http://127.0.0.1:9/.well-known/jwks.json",
      jwksTimeoutMs: 1000,
    });
    try {
      await down(await as.token("client-a"));
      throw new Error("accepted");
    } catch (error) {
      expect(error).toMatchObject({ unavailable: true });
    }
  });

  it("refuses symmetric algorithms in its own configuration", () => {
    expect(() => createJwtVerifier({ issuer: as.issuer, clientIds: ["c"], jwksUrl: as.jwksUrl, algorithms: ["HS256"] })).toThrow(
      /not allowed/,
    );
  });
});

describe("resource server over HTTP (createApp)", () => {
  const MCP_HEADERS = { accept: "application/json, text/event-stream", "content-type": "application/json" };
  const LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
  let handler: Awaited<ReturnType<typeof createApp>>;
  beforeAll(async () => {
    const config = loadConfig({
      MCP_AUTH_ENABLED: "true",
      MCP_JWT_ISSUER: as.issuer,
      MCP_JWT_CLIENT_IDS: "client-a",
      MCP_JWT_REQUIRED_SCOPE: MCP_SCOPE,
      MCP_RESOURCE_URL: "https://mcp.example.com/mcp",
      LOG_LEVEL: "silent",
    });
    handler = await createApp(config, { logger: silentLogger });
  });
  const post = (headers: Record<string, string>) =>
    handler(new Request("https://api.example.com/mcp", { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body: LIST }));

  it("401 without a token: WWW-Authenticate names the RFC 9728 metadata and the scope", async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer scope="mcp/invoke", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
    expect(await response.json()).toEqual({
      jsonrpc: "2.0",
      error: { code: -32000, message: "Unauthorized: a bearer token is required" },
      id: null,
    });
  });

  it("401 invalid_token with a reason for a bad token", async () => {
    const response = await post({
      authorization: `Bearer ${await as.sign(baseClaims(as.issuer, "client-a", { iat: now() - 7200, exp: now() - 3600 }))}`,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer error="invalid_token", error_description="token expired", scope="mcp/invoke", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it("403 insufficient_scope when the scope is missing", async () => {
    const response = await post({ authorization: `Bearer ${await as.sign(baseClaims(as.issuer, "client-a", { scope: "other/read" }))}` });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(response.headers.get("www-authenticate")).toContain('scope="mcp/invoke"');
  });

  it("200 with a valid token; the scheme is case-insensitive", async () => {
    const token = await as.token("client-a");
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await post({ authorization: `bearer ${token}` })).status).toBe(200);
  });

  it("serves RFC 9728 metadata without authentication, at the path-inserted and the root location", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const response = await handler(new Request(`https://api.example.com${path}`));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: "https://mcp.example.com/mcp",
        authorization_servers: [as.issuer],
        scopes_supported: [MCP_SCOPE],
        bearer_methods_supported: ["header"],
        resource_name: "mcp-server-aws",
      });
    }
  });

  it("serves GET /health without authentication", async () => {
    const response = await handler(new Request("https://api.example.com/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", name: "mcp-server-aws", version: "0.1.0" });
  });

  it("derives the resource URL from the request when MCP_RESOURCE_URL is unset", async () => {
    const derived = await createApp(loadConfig({ MCP_AUTH_ENABLED: "true", MCP_JWT_ISSUER: as.issuer, MCP_JWT_CLIENT_IDS: "client-a" }), {
      logger: silentLogger,
    });
    const response = await derived(
      new Request("https://abc.execute-api.us-east-1.amazonaws.com/mcp", { method: "POST", headers: MCP_HEADERS, body: LIST }),
    );
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="https://abc.execute-api.us-east-1.amazonaws.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it("no metadata route when auth is off", async () => {
    const open = await createApp(loadConfig({}), { logger: silentLogger });
    expect((await open(new Request("https://x/.well-known/oauth-protected-resource"))).status).toBe(404);
  });
});

describe("challenge helpers", () => {
  it("places the well-known segment between host and path (RFC 9728 section 3.1)", () => {
    expect(resourceMetadataUrl("https://h.example/mcp")).toBe("https://h.example/.well-known/oauth-protected-resource/mcp");
    expect(resourceMetadataUrl("https://h.example/")).toBe("https://h.example/.well-known/oauth-protected-resource");
    expect(resourceMetadataUrl("https://h.example/a/mcp/")).toBe("https://h.example/.well-known/oauth-protected-resource/a/mcp");
  });
  it("quotes auth-param values", () => {
    expect(bearerChallenge({ error: "invalid_token", error_description: 'say "hi"', scope: undefined })).toBe(
      'Bearer error="invalid_token", error_description="say \\"hi\\""',
    );
    expect(bearerChallenge({})).toBe("Bearer");
  });
});
