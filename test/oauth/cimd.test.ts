/**
 * Client ID Metadata Documents (AT-06, AT-20): the fetcher against a local TLS server (a throwaway
 * self-signed certificate for `client.test`, trusted through the fetcher's constructor only), the
 * SSRF address policy, and the SDK client's CIMD flow end to end (no `/register`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CimdError, createCimdFetcher, publicAddressesOnly } from "../../handlers/oauth/src/core/clients/cimd.js";
import { startOAuthLocalServer } from "../../container/src/local/oauth-server.js";
import { MemoryClientProvider, ScriptedBrowser, signIn } from "./support/flow.js";

const DOC_URL = "https://client.test/oauth/metadata.json";
const REDIRECT = "http://127.0.0.1:47000/callback";
const documents: Record<string, { status?: number; body: string; headers?: Record<string, string>; delayMs?: number }> = {
  "/oauth/metadata.json": {
    body: JSON.stringify({
      client_id: DOC_URL,
      client_name: "Test CIMD client",
      redirect_uris: ["http://127.0.0.1/callback"],
      grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
      token_endpoint_auth_method: "none",
    }),
    headers: { "cache-control": "max-age=60" },
  },
  "/redirect": { status: 302, body: "", headers: { location: "https://client.test/oauth/metadata.json" } },
  "/big": {
    body: JSON.stringify({ client_id: "https://client.test/big", client_name: "x".repeat(6000), redirect_uris: ["http://127.0.0.1/cb"] }),
  },
  "/slow": { body: "{}", delayMs: 1500 },
  "/other-id": {
    body: JSON.stringify({ client_id: "https://client.test/elsewhere", client_name: "x", redirect_uris: ["http://127.0.0.1/cb"] }),
  },
  "/secret": {
    body: JSON.stringify({
      client_id: "https://client.test/secret",
      client_name: "x",
      redirect_uris: ["http://127.0.0.1/cb"],
      client_secret: "s",
    }),
  },
};

let dir: string;
let ca: string;
let tls: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cimd-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=client.test",
      "-addext",
      "subjectAltName=DNS:client.test",
    ],
    { stdio: "ignore" },
  );
  ca = readFileSync(join(dir, "cert.pem"), "utf8");
  tls = createServer({ key: readFileSync(join(dir, "key.pem")), cert: ca }, (req, res) => {
    const doc = documents[req.url ?? ""];
    if (doc === undefined) return void res.writeHead(404).end();
    setTimeout(
      () => res.writeHead(doc.status ?? 200, { "content-type": "application/json", ...doc.headers }).end(doc.body),
      doc.delayMs ?? 0,
    );
  });
  tls.on("secureConnection", () => (connections += 1));
  await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", () => resolve()));
  port = (tls.address() as AddressInfo).port;
});
afterAll(async () => {
  tls?.closeAllConnections();
  await new Promise((resolve) => tls?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A fetcher that reaches the local TLS server: `client.test` -> 127.0.0.1, allowed by a test policy. */
const localFetcher = (timeoutMs = 1000) =>
  createCimdFetcher({
    mode: "allowlist",
    allowedHosts: ["client.test"],
    resolve: async () => ["127.0.0.1"],
    addressPolicy: (a) => a === "127.0.0.1",
    ca,
    port,
    timeoutMs,
  });
const reason = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CimdError);
    return (error as CimdError).reason;
  }
  throw new Error("document accepted");
};

describe("address policy", () => {
  it("refuses loopback, private, link-local, CGNAT, ULA and mapped forms; allows public addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "169.254.169.253",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00:ec2::254",
      "fe80::1",
      "::ffff:10.0.0.1",
      "::ffff:127.0.0.1",
      "::ffff:a00:1",
      "not-an-ip",
    ]) {
      expect(publicAddressesOnly(address), address).toBe(false);
    }
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])
      expect(publicAddressesOnly(address), address).toBe(true);
  });
});

describe("fetcher", () => {
  it("fetches and validates a document over TLS, dropping unknown grant types", async () => {
    const { document, maxAge } = await localFetcher()(DOC_URL);
    expect(document).toMatchObject({
      client_id: DOC_URL,
      client_name: "Test CIMD client",
      grant_types: ["authorization_code", "refresh_token"],
    });
    expect(maxAge).toBe(60);
  });

  it("refuses non-public addresses with no connection attempt", async () => {
    const before = connections;
    for (const address of ["169.254.169.254", "10.0.0.1", "127.0.0.1", "::ffff:10.0.0.1"]) {
      const fetcher = createCimdFetcher({ mode: "allowlist", allowedHosts: ["client.test"], resolve: async () => [address], ca, port });
      expect(await reason(fetcher(DOC_URL))).toMatch(/non-public address/);
    }
    expect(connections).toBe(before);
  });

  it("refuses a host off the allow-list, an address literal, http and a custom port before any lookup", async () => {
    let lookups = 0;
    const fetcher = createCimdFetcher({
      mode: "allowlist",
      allowedHosts: ["client.test"],
      resolve: async () => (lookups++, ["127.0.0.1"]),
    });
    expect(await reason(fetcher("https://evil.example/doc.json"))).toMatch(/not allowed/);
    expect(await reason(fetcher("https://169.254.169.254/latest"))).toMatch(/not allowed|address/);
    expect(await reason(createCimdFetcher({ mode: "open", allowedHosts: [] })("https://169.254.169.254/latest"))).toMatch(/not an address/);
    expect(await reason(fetcher("http://client.test/doc.json"))).toMatch(/https/);
    expect(await reason(fetcher("https://client.test:8443/doc.json"))).toMatch(/default port/);
    expect(lookups).toBe(0);
  });

  it("refuses a redirect, a body over 5 KB, a slow response, a differing client_id and a secret", async () => {
    const fetch = localFetcher();
    expect(await reason(fetch("https://client.test/redirect"))).toMatch(/redirects/);
    expect(await reason(fetch("https://client.test/big"))).toMatch(/larger than 5120/);
    expect(await reason(fetch("https://client.test/slow"))).toMatch(/within 1000 ms/);
    expect(await reason(fetch("https://client.test/other-id"))).toMatch(/differs from its URL/);
    expect(await reason(fetch("https://client.test/secret"))).toMatch(/secret/);
  });
});

describe("SDK client with a Client ID Metadata Document (AT-06)", () => {
  it("signs in without /register and calls a tool; the consent page names the publishing host", async () => {
    const user = { username: "dana@example.com", password: "pw-dana-123", tenantId: "acme" };
    const silent = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      child() {
        return silent;
      },
    };
    const server = await startOAuthLocalServer({
      port: 0,
      user,
      logger: silent,
      env: {},
      cimd: localFetcher(),
      settings: { cimdAllowedHosts: ["client.test"] },
    });
    try {
      const metadata = (await (await fetch(`${server.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      expect(metadata.client_id_metadata_document_supported).toBe(true);
      const provider = new MemoryClientProvider(REDIRECT);
      Object.assign(provider, { clientMetadataUrl: DOC_URL });
      expect(await auth(provider, { serverUrl: server.url })).toBe("REDIRECT");
      expect(provider.authorizationUrl!.searchParams.get("client_id")).toBe(DOC_URL);
      const signedIn = await signIn(new ScriptedBrowser(), provider.authorizationUrl!.href, user, REDIRECT);
      expect(signedIn.consentHtml).toContain("published by client.test");
      expect(await auth(provider, { serverUrl: server.url, authorizationCode: signedIn.redirect.searchParams.get("code")! })).toBe(
        "AUTHORIZED",
      );
      const client = new Client({ name: "cimd", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      await server.close();
    }
  });
});
