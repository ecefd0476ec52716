/**
 * The official MCP conformance suite's authorization-server scenarios
 * (`@modelcontextprotocol/conformance@0.2.0-alpha.12`, installed as `mcp-conformance-authorization`,
 * run on Node 22) against `npm run start:oauth`'s composition started in-process on a free port:
 *
 * - `authorization-server-metadata-endpoint` (AT-04): RFC 8414 metadata, `issuer` equal to `--url`,
 *   S256, and the Client ID Metadata Document flag (SUCCESS, not WARNING);
 * - `authorization-code-grant` (AT-07): the suite prints an authorization URL for a static client with
 *   `http://127.0.0.1:<port>/callback` and waits for its callback; this test drives the browser leg
 *   (development identity provider login, consent) and lets the redirect reach the suite, which checks
 *   `state`, `code` and `iss` once each, exchanges the code with PKCE and checks the token response
 *   (`application/json`, `Cache-Control: no-store`).
 *
 * The suite runs both scenarios in one call (`authorization-code-grant` reads the metadata the first
 * one fetched). No scenario is expected to fail: conformance-authorization-baseline.yml is empty and
 * the test fails when a listed scenario starts passing or an unlisted one fails.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOAuthLocalServer, type OAuthLocalServer } from "../../container/src/local/oauth-server.js";
import { node22 } from "../container/support/node22.js";
import { ScriptedBrowser, signIn } from "./support/flow.js";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(dirname(require.resolve("mcp-conformance-authorization/package.json")), "dist", "index.js");
const BASELINE = join(here, "conformance-authorization-baseline.yml");
const USER = { username: "conformance@example.com", password: "conformance-password", tenantId: "acme" };
const CLIENT_ID = "mcp-conformance-suite";

interface Check {
  readonly scenario: string;
  readonly id: string;
  readonly status: string;
  readonly errorMessage?: string;
  readonly details?: Record<string, unknown>;
}

/** Scenario names listed in the baseline (a flat YAML list under `authorization:`). */
function baselineScenarios(): string[] {
  return [...readFileSync(BASELINE, "utf8").matchAll(/^\s+-\s+([a-z0-9-]+)\s*$/gm)].map((m) => m[1]!);
}

/** A TCP port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Runs `conformance authorization` and calls `onAuthorizationUrl` with each authorization URL it
 * prints; resolves with every check of every scenario (the per-scenario checks.json files).
 */
function runAuthorizationSuite(
  args: readonly string[],
  onAuthorizationUrl: (url: string) => Promise<void>,
): Promise<{ code: number | null; output: string; checks: Check[]; driverErrors: unknown[] }> {
  const home = mkdtempSync(join(tmpdir(), "mcp-conformance-auth-"));
  const results = join(home, "results");
  const driverErrors: unknown[] = [];
  const drivers: Promise<void>[] = [];
  return new Promise((resolve, reject) => {
    const child = spawn(node22(), [CLI, "authorization", ...args, "-o", results], {
      cwd: home,
      env: { ...process.env, HOME: home, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Bounded: the suite itself waits up to 5 minutes for a callback.
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    let output = "";
    let pending = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (/^https?:\/\/\S+\/authorize\?\S+$/.test(line.trim())) {
          drivers.push(onAuthorizationUrl(line.trim()).catch((error: unknown) => void driverErrors.push(error)));
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      void Promise.all(drivers).then(() => {
        const checks: Check[] = [];
        for (const dir of readdirSync(results)) {
          const scenario = dir.replace(/^authorization-server-/, "").replace(/-\d{4}-\d\d-\d\dT.*$/, "");
          for (const check of JSON.parse(readFileSync(join(results, dir, "checks.json"), "utf8")) as Omit<Check, "scenario">[])
            checks.push({ scenario, ...check });
        }
        rmSync(home, { recursive: true, force: true });
        resolve({ code, output, checks, driverErrors });
      });
    });
  });
}

let server: OAuthLocalServer;
let callbackPort: number;
beforeAll(async () => {
  node22(); // install once, outside the test's time
  callbackPort = await freePort();
  server = await startOAuthLocalServer({
    port: 0,
    user: USER,
    env: { LOG_LEVEL: "silent" },
    settings: {
      staticClients: [
        { client_id: CLIENT_ID, client_name: "MCP conformance suite", redirect_uris: [`http://127.0.0.1:${callbackPort}/callback`] },
      ],
    },
  });
}, 300_000);
afterAll(async () => {
  await server?.close();
});

describe("official conformance suite, authorization-server scenarios (AT-04, AT-07)", () => {
  it("passes the metadata and authorization-code scenarios, with a browser sign-in in between", async () => {
    const callback = `http://127.0.0.1:${callbackPort}/callback`;
    const run = await runAuthorizationSuite(
      ["--url", server.issuer, "--client-id", CLIENT_ID, "--port", String(callbackPort), "--resource", server.url.href],
      async (url) => {
        expect(new URL(url).origin).toBe(server.issuer);
        const signedIn = await signIn(new ScriptedBrowser(), url, USER, callback);
        // The browser lands on the suite's callback server, which checks the response.
        const landed = await fetch(signedIn.redirect, { signal: AbortSignal.timeout(10_000) });
        expect(landed.status).toBe(200);
        await landed.body?.cancel();
      },
    );
    expect(run.driverErrors, run.output).toEqual([]);

    const byScenario = new Map<string, Check[]>();
    for (const check of run.checks) byScenario.set(check.scenario, [...(byScenario.get(check.scenario) ?? []), check]);
    expect([...byScenario.keys()].sort()).toEqual(["authorization-code-grant", "authorization-server-metadata-endpoint"]);
    const failed = [...byScenario].filter(([, checks]) => checks.some((c) => c.status !== "SUCCESS")).map(([name]) => name);
    expect({ failed: failed.sort() }, run.output).toEqual({ failed: baselineScenarios().sort() });

    // The checks the design names, each SUCCESS (a WARNING would not do for the CIMD flag).
    const statusOf = (id: string) => run.checks.find((c) => c.id === id)?.status;
    expect(statusOf("authorization-server-metadata")).toBe("SUCCESS");
    expect(statusOf("authorization-server-metadata-cimd")).toBe("SUCCESS");
    expect(statusOf("authorization-code-grant")).toBe("SUCCESS");
    const grant = run.checks.find((c) => c.id === "authorization-code-grant")!;
    const response = new URL(String(grant.details?.authorizationResponseUrl));
    expect(response.searchParams.getAll("iss")).toEqual([server.issuer]);
    expect(run.code, run.output.slice(-3000)).toBe(0);
  }, 180_000);
});
