/**
 * The sign-in pages in a real browser (AT-09, AT-21): headless Chromium (Debian's `chromium`, driven
 * by `playwright-core`) runs the MCP SDK client's flow against `npm run start:oauth`'s composition:
 * the development identity provider's login form, then this server's consent page, clicked like a
 * user would; the code reaches the client's loopback receiver, the SDK exchanges it and calls a tool.
 * The deny path ends at the client with `error=access_denied`, `state` and `iss`.
 *
 * Chromium enforces what a scripted browser does not: the consent page's Content-Security-Policy
 * (`form-action` also governs the redirect after the form is posted), cookies' `SameSite` and
 * prefixes. Playwright starts Chromium with a fresh temporary profile. Screenshots of both pages go to `.artifacts/oauth-browser/` (git-ignored).
 *
 * Chromium: `CHROMIUM_PATH`, else /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it).
 * Without it the suite is skipped with a notice, and fails under `CI=true`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startOAuthLocalServer, type OAuthLocalServer } from "../../container/src/local/oauth-server.js";
import { MemoryClientProvider } from "./support/flow.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(root, ".artifacts", "oauth-browser");
const EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(EXECUTABLE);
if (!available && process.env.CI === "true") throw new Error(`Chromium not found at ${EXECUTABLE} (CI=true): install Debian's chromium`);
if (!available) console.warn(`browser tests skipped: no Chromium at ${EXECUTABLE} (apt-get install chromium, or set CHROMIUM_PATH)`);

const USER = { username: "browser-user@example.com", password: "a long browser password", tenantId: "acme" };

/** A client's loopback redirect receiver (like Claude Code's): records the query of each callback. */
async function loopbackReceiver(): Promise<{ server: Server; redirect: string; next: () => Promise<URL> }> {
  const waiting: ((url: URL) => void)[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<p>Signed in. You can close this window.</p>");
    if (url.pathname === "/callback") waiting.shift()?.(url);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const redirect = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    server,
    redirect,
    next: () =>
      new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no callback within 20 s")), 20_000);
        waiting.push((url) => {
          clearTimeout(timer);
          resolve(url);
        });
      }),
  };
}

let server: OAuthLocalServer;
let browser: Browser;
beforeAll(async () => {
  if (!available) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startOAuthLocalServer({ port: 0, user: USER, env: { LOG_LEVEL: "silent" } });
  browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    timeout: 30_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs in at the development identity provider's page; resolves on the consent page, with its response. */
async function signInAtIdp(page: Page, authorizationUrl: string, screenshot: string) {
  await page.goto(authorizationUrl);
  await page.waitForSelector('input[name="password"]', { timeout: 10_000 });
  expect(new URL(page.url()).pathname).toMatch(/^\/dev-idp\/interaction\//);
  await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
  await page.fill('input[name="username"]', USER.username);
  await page.fill('input[name="password"]', USER.password);
  const consent = page.waitForResponse((r) => new URL(r.url()).pathname === "/oauth/callback" && r.status() === 200, { timeout: 10_000 });
  await page.click('button[type="submit"]');
  const response = await consent;
  await page.waitForSelector('button[value="approve"]', { timeout: 10_000 });
  return response;
}

describe.skipIf(!available)("sign-in and consent pages in headless Chromium (AT-09, AT-21)", () => {
  it("signs in, shows who signs in to what with the design's headers, approves, and the SDK calls a tool", async () => {
    const receiver = await loopbackReceiver();
    const context = await browser.newContext();
    try {
      const provider = new MemoryClientProvider(receiver.redirect, { client_name: "Browser Test Client" });
      expect(await auth(provider, { serverUrl: server.url })).toBe("REDIRECT");
      const page = await context.newPage();
      const consent = await signInAtIdp(page, provider.authorizationUrl!.href, "1-idp-login.png");

      // The consent page: headers of the design, and what the user must see before approving.
      const headers = consent.headers();
      expect(headers["content-security-policy"]).toMatch(/default-src 'none'/);
      expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      // The Approve answer redirects to the client, so form-action names exactly its origin besides 'self'.
      expect(headers["content-security-policy"]).toContain(`form-action 'self' ${new URL(receiver.redirect).origin};`);
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["cache-control"]).toBe("no-store");
      const text = await page.innerText("body");
      expect(text).toContain(`Signed in as ${USER.username}`);
      expect(text).toContain("Browser Test Client");
      expect(text).toContain("registered dynamically");
      expect(text).toContain("127.0.0.1");
      expect(text).toContain("An application on this computer");
      expect(text).toContain(server.url.href);
      // The inline style is allowed by its hash: the page renders styled (a refused style leaves the default margin).
      expect(await page.$eval("body", (b) => getComputedStyle(b).maxWidth)).toBe("512px");
      await page.screenshot({ path: join(ARTIFACTS, "2-consent.png"), fullPage: true });

      const callback = receiver.next();
      await page.click('button[value="approve"]');
      const landed = await callback;
      expect(landed.searchParams.getAll("iss")).toEqual([server.issuer]);
      expect(landed.searchParams.get("state")).toBe(provider.authorizationUrl!.searchParams.get("state"));
      await page.waitForURL((url) => url.href.startsWith(receiver.redirect), { timeout: 10_000 });
      await page.screenshot({ path: join(ARTIFACTS, "3-client-callback.png") });

      expect(await auth(provider, { serverUrl: server.url, authorizationCode: landed.searchParams.get("code")! })).toBe("AUTHORIZED");
      const client = new Client({ name: "browser-e2e", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
      const result = await client.callTool({ name: "parse_arn", arguments: { arn: "arn:aws:s3:::my-bucket" } });
      expect(result.isError).not.toBe(true);
      await client.close();
    } finally {
      await context.close();
      receiver.server.close();
    }
  });

  it("Deny sends the user back to the client with access_denied, state and iss", async () => {
    const receiver = await loopbackReceiver();
    const context = await browser.newContext();
    try {
      const provider = new MemoryClientProvider(receiver.redirect, { client_name: "Client To Deny" });
      expect(await auth(provider, { serverUrl: server.url })).toBe("REDIRECT");
      const page = await context.newPage();
      await signInAtIdp(page, provider.authorizationUrl!.href, "4-idp-login-deny.png");
      expect(await page.innerText("body")).toContain("Client To Deny");
      await page.screenshot({ path: join(ARTIFACTS, "5-consent-deny.png"), fullPage: true });
      const callback = receiver.next();
      await page.click('button[value="deny"]');
      const landed = await callback;
      expect(landed.searchParams.get("error")).toBe("access_denied");
      expect(landed.searchParams.get("code")).toBeNull();
      expect(landed.searchParams.getAll("iss")).toEqual([server.issuer]);
      expect(landed.searchParams.get("state")).toBe(provider.authorizationUrl!.searchParams.get("state"));
    } finally {
      await context.close();
      receiver.server.close();
    }
  });
});
