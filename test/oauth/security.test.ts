/**
 * The design's negative and security cases (acceptance tests AT-02..AT-26, as numbered there)
 * against the local composition: authorization server + development identity provider + MCP.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { OpenIdProviderDiscoveryMetadataSchema, OAuthMetadataSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import { startOAuthLocalServer, type OAuthLocalServer } from "../../container/src/local/oauth-server.js";
import { ScriptedBrowser } from "./support/flow.js";
import { authorizationUrl, exchange, pkce, registerClient, runFlow, tokenRequest } from "./support/client.js";

const USER = { username: "bob@example.com", password: "s3cret-pass", tenantId: "acme", groups: [] as string[] };
const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
};
const LOOPBACK_REDIRECT = "http://127.0.0.1:41000/callback";

let server: OAuthLocalServer;
let offset = 0;
let clientId: string;
beforeAll(async () => {
  server = await startOAuthLocalServer({ port: 0, user: USER, logger: silent, env: {}, now: () => Math.floor(Date.now() / 1000) + offset });
  const registered = await registerClient(server.issuer, {
    client_name: "Security tests",
    redirect_uris: [LOOPBACK_REDIRECT],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
  });
  clientId = String(registered.body.client_id);
});
afterAll(async () => {
  await server?.close();
});

const flow = (extra: Record<string, string | undefined> = {}, browser?: ScriptedBrowser, decision?: "approve" | "deny") =>
  runFlow(server.issuer, USER, {
    clientId,
    redirectUri: LOOPBACK_REDIRECT,
    extra,
    ...(browser === undefined ? {} : { browser }),
    ...(decision === undefined ? {} : { decision }),
  });

describe("discovery (AT-02, AT-03, AT-24)", () => {
  it("publishes the same issuer in both documents with S256, none, registration and iss support", async () => {
    for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
      const response = await fetch(`${server.issuer}${path}`);
      expect(response.status).toBe(200);
      const doc = (await response.json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer: server.issuer,
        code_challenge_methods_supported: ["S256"],
        registration_endpoint: `${server.issuer}/register`,
        authorization_response_iss_parameter_supported: true,
      });
      expect(doc.token_endpoint_auth_methods_supported).toContain("none");
      expect(doc.scopes_supported).toContain("offline_access");
      expect(OAuthMetadataSchema.safeParse(doc).success).toBe(true);
      if (path.endsWith("openid-configuration")) expect(OpenIdProviderDiscoveryMetadataSchema.safeParse(doc).success).toBe(true);
    }
    const prm = (await (await fetch(`${server.issuer}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(prm.resource).toBe(server.url.href);
    expect(prm.authorization_servers).toEqual([server.issuer]);
    expect(JSON.stringify(prm)).not.toContain("offline_access");
  });

  it("ignores the Host header: issuer and endpoints stay the configured ones", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${server.issuer}/.well-known/oauth-authorization-server`, { headers: { host: "evil.example" } }, (res) => {
        let text = "";
        res.on("data", (c) => (text += String(c)));
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end();
    });
    expect(body).not.toContain("evil.example");
    expect(JSON.parse(body).token_endpoint).toBe(`${server.issuer}/token`);
  });

  it("answers browsers with CORS * on metadata, JWKS, /register and /token, preflights included", async () => {
    const origin = { origin: "http://localhost:6274" };
    for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/.well-known/jwks.json"]) {
      const response = await fetch(`${server.issuer}${path}`, { headers: origin });
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
    }
    for (const path of ["/token", "/register", "/revoke"]) {
      const preflight = await fetch(`${server.issuer}${path}`, {
        method: "OPTIONS",
        headers: { ...origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    }
    const token = await tokenRequest(
      server.issuer,
      { grant_type: "authorization_code", code: "x", code_verifier: "y".repeat(43), client_id: clientId, redirect_uri: LOOPBACK_REDIRECT },
      origin,
    );
    expect(token.headers.get("access-control-allow-origin")).toBe("*");
    expect(token.headers.get("cache-control")).toBe("no-store");
  });

  it("publishes the signing key in the JWKS", async () => {
    const jwks = (await (await fetch(`${server.issuer}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: "local-1" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});

describe("redirect URIs (AT-11, AT-12, AT-19)", () => {
  it("shows an error page, never a redirect, for an unregistered redirect_uri or unknown client", async () => {
    const { challenge } = pkce();
    for (const params of [
      { client_id: clientId, redirect_uri: "https://evil.example/cb" },
      { client_id: clientId, redirect_uri: "http://localhost.evil.example:5000/callback" },
      { client_id: clientId, redirect_uri: "https://localhost:5000/callback" },
      { client_id: clientId, redirect_uri: "http://localhost:5000/other" },
      { client_id: "mcp_unknownunknownunknownun", redirect_uri: LOOPBACK_REDIRECT },
    ]) {
      const response = await fetch(
        authorizationUrl(server.issuer, { ...params, response_type: "code", code_challenge: challenge, code_challenge_method: "S256" }),
        { redirect: "manual" },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-type")).toContain("text/html");
    }
  });

  it("accepts the registered loopback redirect on any port and loopback host", async () => {
    const { challenge } = pkce();
    for (const redirect of ["http://localhost:59467/callback", "http://127.0.0.1:5000/callback", "http://[::1]:6000/callback"]) {
      const response = await fetch(
        authorizationUrl(server.issuer, {
          client_id: clientId,
          redirect_uri: redirect,
          response_type: "code",
          code_challenge: challenge,
          code_challenge_method: "S256",
        }),
        { redirect: "manual" },
      );
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toContain("/dev-idp/oauth2/authorize");
    }
  });

  it("refuses fragment, javascript: and non-allow-listed redirects at registration; keeps the allowed subset", async () => {
    for (const redirect_uris of [["http://127.0.0.1:3000/cb#frag"], ["javascript:alert(1)"], ["https://evil.example/cb"]]) {
      const result = await registerClient(server.issuer, { redirect_uris, token_endpoint_auth_method: "none" }, { "x-forwarded-for": "1" });
      expect(result.status).toBe(400);
      expect(result.body.error).toBe("invalid_redirect_uri");
    }
    const cursor = await registerClient(server.issuer, {
      client_name: "Cursor",
      redirect_uris: [
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "https://www.cursor.com/agents/mcp/oauth/callback",
        "http://localhost:8787/callback",
      ],
      token_endpoint_auth_method: "none",
    });
    expect(cursor.status).toBe(201);
    expect(cursor.body.redirect_uris).toHaveLength(3);
    const mixed = await registerClient(server.issuer, {
      redirect_uris: ["https://claude.ai/api/mcp/auth_callback", "https://unknown.example/cb"],
      token_endpoint_auth_method: "none",
    });
    expect(mixed.status).toBe(201);
    expect(mixed.body.redirect_uris).toEqual(["https://claude.ai/api/mcp/auth_callback"]);
  });
});

describe("PKCE, codes and iss (AT-13, AT-23)", () => {
  it("redirects with invalid_request and iss when code_challenge is missing or plain", async () => {
    for (const extra of [
      { code_challenge: undefined, code_challenge_method: undefined },
      { code_challenge: "a".repeat(43), code_challenge_method: "plain" },
    ]) {
      const url = new URL(
        authorizationUrl(server.issuer, {
          response_type: "code",
          client_id: clientId,
          redirect_uri: LOOPBACK_REDIRECT,
          state: "s1",
          ...extra,
        }),
      );
      const response = await fetch(url, { redirect: "manual" });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(location.origin + location.pathname).toBe(LOOPBACK_REDIRECT);
      expect(location.searchParams.get("error")).toBe("invalid_request");
      expect(location.searchParams.getAll("iss")).toEqual([server.issuer]);
      expect(location.searchParams.get("state")).toBe("s1");
    }
  });

  it("refuses a wrong verifier; a replayed code fails and revokes the first exchange's refresh token", async () => {
    const f = await flow();
    expect(f.result.redirect.searchParams.getAll("iss")).toEqual([server.issuer]);
    expect(f.result.redirect.searchParams.getAll("state")).toEqual([f.state]);
    const wrong = await exchange(server.issuer, f, { code_verifier: "w".repeat(43) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");

    const g = await flow();
    const first = await exchange(server.issuer, g);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const replay = await exchange(server.issuer, g);
    expect(replay.body.error).toBe("invalid_grant");
    const refresh = await tokenRequest(server.issuer, {
      grant_type: "refresh_token",
      refresh_token: String(first.body.refresh_token),
      client_id: clientId,
    });
    expect(refresh.body.error).toBe("invalid_grant");
  });

  it("refuses a code presented by another client or with another redirect_uri", async () => {
    const other = await registerClient(server.issuer, {
      client_name: "Other",
      redirect_uris: ["http://127.0.0.1/other"],
      token_endpoint_auth_method: "none",
    });
    const f = await flow();
    expect((await exchange(server.issuer, f, { client_id: String(other.body.client_id) })).body.error).toBe("invalid_grant");
    const g = await flow();
    expect((await exchange(server.issuer, g, { redirect_uri: "http://127.0.0.1:41000/elsewhere" })).body.error).toBe("invalid_grant");
  });
});

describe("resource indicators (AT-14)", () => {
  it("binds aud to the MCP URL: omitted, trailing slash, upper-case host and origin-only are normalised", async () => {
    const resource = server.url;
    for (const value of [
      undefined,
      `${resource.href}/`,
      `${resource.protocol}//${resource.host.toUpperCase()}${resource.pathname}`,
      resource.origin,
    ]) {
      const f = await flow({ resource: value });
      const token = await exchange(server.issuer, f, value === undefined ? {} : { resource: value });
      expect(token.status).toBe(200);
      expect(decodeJwt(String(token.body.access_token)).aud).toBe(resource.href);
    }
  });

  it("refuses another resource with invalid_target at /authorize and at /token", async () => {
    const { challenge } = pkce();
    const response = await fetch(
      authorizationUrl(server.issuer, {
        response_type: "code",
        client_id: clientId,
        redirect_uri: LOOPBACK_REDIRECT,
        code_challenge: challenge,
        code_challenge_method: "S256",
        resource: "https://other.example/mcp",
      }),
      { redirect: "manual" },
    );
    const location = new URL(response.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_target");
    expect(location.searchParams.get("iss")).toBe(server.issuer);
    const f = await flow();
    const token = await exchange(server.issuer, f, { resource: "https://other.example/mcp" });
    expect(token.body.error).toBe("invalid_target");
  });
});

describe("refresh tokens (AT-17)", () => {
  it("rotates; the previous token is honoured until its successor is used, then its reuse revokes the grant", async () => {
    const f = await flow();
    const t0 = await exchange(server.issuer, f);
    const rt0 = String(t0.body.refresh_token);
    const refresh = (rt: string) => tokenRequest(server.issuer, { grant_type: "refresh_token", refresh_token: rt, client_id: clientId });
    const t1 = await refresh(rt0);
    expect(t1.status).toBe(200);
    const rt1 = String(t1.body.refresh_token);
    expect(rt1).not.toBe(rt0);
    // Lost response: rt0 again before rt1 was ever used -> accepted once more (grace).
    const t1b = await refresh(rt0);
    expect(t1b.status).toBe(200);
    const rt1b = String(t1b.body.refresh_token);
    const t2 = await refresh(rt1b);
    expect(t2.status).toBe(200);
    // rt0 is now two generations old: reuse -> invalid_grant and the whole grant is revoked.
    expect((await refresh(rt0)).body.error).toBe("invalid_grant");
    expect((await refresh(String(t2.body.refresh_token))).body.error).toBe("invalid_grant");
  });

  it("refuses the refresh once the upstream account is disabled", async () => {
    const f = await flow();
    const t0 = await exchange(server.issuer, f);
    server.idp.setUserEnabled(false);
    try {
      const refused = await tokenRequest(server.issuer, {
        grant_type: "refresh_token",
        refresh_token: String(t0.body.refresh_token),
        client_id: clientId,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe("invalid_grant");
    } finally {
      server.idp.setUserEnabled(true);
    }
  });

  it("revokes a grant at /revoke (RFC 7009) and answers 200 for unknown tokens", async () => {
    const f = await flow();
    const t0 = await exchange(server.issuer, f);
    const revoke = (token: string) =>
      fetch(`${server.issuer}/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, client_id: clientId }),
      });
    expect((await revoke("not-a-token")).status).toBe(200);
    expect((await revoke(String(t0.body.refresh_token))).status).toBe(200);
    const after = await tokenRequest(server.issuer, {
      grant_type: "refresh_token",
      refresh_token: String(t0.body.refresh_token),
      client_id: clientId,
    });
    expect(after.body.error).toBe("invalid_grant");
  });
});

describe("consent and browser binding (AT-21, AT-22)", () => {
  it("shows who signs in, the client, the redirect host and a loopback warning, with the design's headers", async () => {
    const other = await registerClient(server.issuer, {
      client_name: "Consent <b>test</b>",
      redirect_uris: ["http://localhost/consent-cb"],
      token_endpoint_auth_method: "none",
    });
    const f = await runFlow(server.issuer, USER, {
      clientId: String(other.body.client_id),
      redirectUri: "http://localhost:7777/consent-cb",
    });
    const html = f.result.consentHtml!;
    expect(html).toContain("bob@example.com");
    expect(html).toContain("Consent &lt;b&gt;test&lt;/b&gt;");
    expect(html).toContain("registered dynamically");
    expect(html).toContain("localhost:7777");
    expect(html).toContain("An application on this computer");
    const headers = f.result.consentHeaders!;
    expect(headers.get("content-security-policy")).toMatch(
      /default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self' http:\/\/localhost:7777; frame-ancestors 'none'/,
    );
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("cache-control")).toBe("no-store");

    // Second sign-in of the same user and client: no page; prompt=consent shows it again.
    const again = await runFlow(server.issuer, USER, {
      clientId: String(other.body.client_id),
      redirectUri: "http://localhost:7777/consent-cb",
      browser: f.browser,
    });
    expect(again.result.consentHtml).toBeUndefined();
    expect(again.result.redirect.searchParams.get("code")).toBeTruthy();
    const forced = await runFlow(server.issuer, USER, {
      clientId: String(other.body.client_id),
      redirectUri: "http://localhost:7777/consent-cb",
      browser: f.browser,
      extra: { prompt: "consent" },
    });
    expect(forced.result.consentHtml).toBeDefined();
  });

  it("Deny redirects with access_denied, state and iss", async () => {
    const f = await flow({ prompt: "consent" }, undefined, "deny");
    expect(f.result.redirect.searchParams.get("error")).toBe("access_denied");
    expect(f.result.redirect.searchParams.get("state")).toBe(f.state);
    expect(f.result.redirect.searchParams.getAll("iss")).toEqual([server.issuer]);
    expect(f.result.redirect.searchParams.get("code")).toBeNull();
  });

  it("refuses a consent post with a wrong CSRF token, a cross-site Origin, or without the binding cookie", async () => {
    const browser = new ScriptedBrowser();
    const { challenge } = pkce();
    const url = authorizationUrl(server.issuer, {
      response_type: "code",
      client_id: clientId,
      redirect_uri: LOOPBACK_REDIRECT,
      code_challenge: challenge,
      code_challenge_method: "S256",
      prompt: "consent",
      state: "x",
    });
    let step = await browser.go(url);
    if (step.body?.includes('name="password"'))
      step = await browser.post(new URL(/action="([^"]+)"/.exec(step.body)![1]!.replace(/&amp;/g, "&"), step.url).href, {
        username: USER.username,
        password: USER.password,
      });
    const page = step.body!;
    const txn = /name="txn" value="([^"]+)"/.exec(page)![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const consentUrl = `${server.issuer}/oauth/consent`;
    expect((await browser.post(consentUrl, { txn, csrf: "wrong", decision: "approve" })).status).toBe(403);
    expect((await browser.post(consentUrl, { txn, csrf, decision: "approve" }, undefined, "https://evil.example")).status).toBe(403);
    const noCookie = await fetch(consentUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.issuer },
      body: new URLSearchParams({ txn, csrf, decision: "approve" }),
      redirect: "manual",
    });
    expect(noCookie.status).toBe(403);
    // Browsers send `Origin: null` under the page's no-referrer policy; Fetch Metadata then decides.
    for (const site of ["cross-site", "same-site", "none"]) {
      const fromElsewhere = await browser.go(consentUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "null", "sec-fetch-site": site },
        body: new URLSearchParams({ txn, csrf, decision: "approve" }).toString(),
      });
      expect(fromElsewhere.status, site).toBe(403);
    }
    // The genuine post still works afterwards.
    const ok = await browser.post(consentUrl, { txn, csrf, decision: "approve" }, (u) => u.href.startsWith("http://127.0.0.1:41000/"));
    expect(new URL(ok.location!).searchParams.get("code")).toBeTruthy();
  });

  it("refuses the callback in a browser without the binding cookie: error page, no code", async () => {
    const victim = new ScriptedBrowser();
    const attacker = new ScriptedBrowser();
    const { challenge } = pkce();
    const url = authorizationUrl(server.issuer, {
      response_type: "code",
      client_id: clientId,
      redirect_uri: LOOPBACK_REDIRECT,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    // The attacker starts a sign-in and hands the upstream login URL to the victim.
    const start = await attacker.go(url, {}, (u) => u.pathname.includes("/dev-idp/"));
    const upstream = start.location!;
    let step = await victim.go(upstream, {}, (u) => u.pathname === "/oauth/callback");
    if (step.body?.includes('name="password"'))
      step = await victim.post(
        new URL(/action="([^"]+)"/.exec(step.body)![1]!.replace(/&amp;/g, "&"), step.url).href,
        { username: USER.username, password: USER.password },
        (u) => u.pathname === "/oauth/callback",
      );
    const callback = await victim.go(step.location!);
    expect(callback.status).toBe(400);
    expect(callback.location).toBeUndefined();
    expect(callback.body).toContain("another browser");
  });
});

describe("dynamic registration limits (AT-18, AT-19)", () => {
  it("returns the same client_id for identical public registrations", async () => {
    const body = {
      client_name: "Claude Code (test)",
      redirect_uris: ["http://localhost:56841/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      application_type: "native",
      scope: "mcp/invoke offline_access",
    };
    const a = await registerClient(server.issuer, body);
    const b = await registerClient(server.issuer, { ...body, redirect_uris: ["http://localhost:60001/callback"] });
    expect(a.status).toBe(201);
    expect(b.body.client_id).toBe(a.body.client_id);
    expect(a.headers.get("cache-control")).toBe("no-store");
  });

  it("expires a registration unused past its TTL", async () => {
    const reg = await registerClient(server.issuer, {
      client_name: "Short-lived",
      redirect_uris: ["http://127.0.0.1/ttl"],
      token_endpoint_auth_method: "none",
    });
    offset = 31 * 86400;
    try {
      const token = await tokenRequest(server.issuer, {
        grant_type: "authorization_code",
        code: "x",
        code_verifier: "v".repeat(43),
        client_id: String(reg.body.client_id),
        redirect_uri: "http://127.0.0.1/ttl",
      });
      expect(token.status).toBe(401);
      expect(token.body.error).toBe("invalid_client");
    } finally {
      offset = 0;
    }
  });
});

describe("caps and tenants on dedicated servers", () => {
  it("answers 429 with Retry-After past the hourly and per-address caps (AT-18)", async () => {
    const capped = await startOAuthLocalServer({
      port: 0,
      user: USER,
      logger: silent,
      env: {},
      settings: { dcrMaxPerHour: 3, dcrMaxPerIpPerHour: 10 },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push(
          (
            await registerClient(capped.issuer, {
              client_name: `c${i}`,
              redirect_uris: [`http://127.0.0.1/c${i}`],
              token_endpoint_auth_method: "none",
            })
          ).status,
        );
      expect(statuses).toEqual([201, 201, 201, 429]);
      const refused = await registerClient(capped.issuer, {
        client_name: "c9",
        redirect_uris: ["http://127.0.0.1/c9"],
        token_endpoint_auth_method: "none",
      });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await capped.close();
    }
    const perIp = await startOAuthLocalServer({
      port: 0,
      user: USER,
      logger: silent,
      env: {},
      settings: { dcrMaxPerHour: 100, dcrMaxPerIpPerHour: 10 },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 11; i += 1)
        statuses.push(
          (
            await registerClient(perIp.issuer, {
              client_name: `c${i}`,
              redirect_uris: [`http://127.0.0.1/c${i}`],
              token_endpoint_auth_method: "none",
            })
          ).status,
        );
      expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
      expect(statuses[10]).toBe(429);
    } finally {
      await perIp.close();
    }
  });

  it("refuses a user without the tenant attribute when tenants are required (AT-26)", async () => {
    const noTenant = { username: "carol@example.com", password: "pw-carol-123" };
    const strict = await startOAuthLocalServer({ port: 0, user: noTenant, logger: silent, env: {}, settings: { tenantRequired: true } });
    try {
      const reg = await registerClient(strict.issuer, {
        client_name: "t",
        redirect_uris: [LOOPBACK_REDIRECT],
        token_endpoint_auth_method: "none",
      });
      const f = await runFlow(strict.issuer, noTenant, {
        clientId: String(reg.body.client_id),
        redirectUri: LOOPBACK_REDIRECT,
        extra: { tenant_id: "injected" },
      });
      expect(f.result.redirect.searchParams.get("error")).toBe("access_denied");
      expect(f.result.redirect.searchParams.get("iss")).toBe(strict.issuer);
    } finally {
      await strict.close();
    }
  });
});

describe("MCP endpoint with this server's tokens (AT-15)", () => {
  it("accepts its own token and refuses a token for another resource", async () => {
    const f = await flow();
    const token = String((await exchange(server.issuer, f)).body.access_token);
    const call = (bearer: string) =>
      fetch(server.url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${bearer}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-06-18",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
        }),
      });
    expect((await call(token)).status).toBe(200);
    const noToken = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: "{}",
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toContain(
      `resource_metadata="${server.issuer}/.well-known/oauth-protected-resource/mcp"`,
    );
  });
});
