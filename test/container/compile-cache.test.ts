/**
 * The Lambda entry's compile cache (container/src/lambda/compile-cache.ts) is used only where it can
 * be: never without the directory the image build fills, never on a Node without the API, and on a
 * Node that has it, the cache the image shipped is read by a fresh process.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transformSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { COMPILE_CACHE_DIR, useCompileCache } from "../../container/src/lambda/compile-cache.js";
import { node22 } from "./support/node22.js";

const dir = mkdtempSync(join(tmpdir(), "compile-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("useCompileCache", () => {
  it("stays off without the cache directory next to the entry", () => {
    expect(useCompileCache(pathToFileURL(join(dir, "absent", "index.mjs")).href)).toBe(false);
  });

  it("with the directory: on only where Node has module.enableCompileCache (Node 20 has not)", () => {
    const root = join(dir, "present");
    mkdirSync(join(root, COMPILE_CACHE_DIR), { recursive: true });
    const hasApi = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === "function";
    expect(useCompileCache(pathToFileURL(join(root, "index.mjs")).href)).toBe(hasApi);
  });

  it("on Node 22: the first process fills the directory, the next ones read it (the image's build step, then a cold start)", () => {
    const root = join(dir, "node22");
    mkdirSync(join(root, COMPILE_CACHE_DIR), { recursive: true });
    // The entry as the bundle has it: enable the cache, then load the code with import().
    const source = readFileSync(join(import.meta.dirname, "../../container/src/lambda/compile-cache.ts"), "utf8");
    writeFileSync(join(root, "cache.mjs"), transformSync(source, { loader: "ts", format: "esm" }).code);
    writeFileSync(join(root, "work.mjs"), `export const value = ${JSON.stringify("x".repeat(10_000))}.length;\n`);
    writeFileSync(
      join(root, "index.mjs"),
      `import { useCompileCache } from "./cache.mjs";\nconst on = useCompileCache(import.meta.url);\nconst { value } = await import("./work.mjs");\nprocess.stdout.write(JSON.stringify({ on, value }));\n`,
    );
    const run = (env: Record<string, string> = {}) =>
      spawnSync(node22(), [join(root, "index.mjs")], { encoding: "utf8", env: { ...process.env, ...env } });
    const first = run();
    expect(first.stderr).toBe("");
    expect(JSON.parse(first.stdout)).toEqual({ on: true, value: 10_000 });
    const entries = readdirSync(join(root, COMPILE_CACHE_DIR), { recursive: true });
    expect(entries.length).toBeGreaterThan(1);
    // Node's own trace of the compile cache (NODE_DEBUG_NATIVE=COMPILE_CACHE): the module's code came from the cache.
    const second = run({ NODE_DEBUG_NATIVE: "COMPILE_CACHE" });
    expect(JSON.parse(second.stdout)).toEqual({ on: true, value: 10_000 });
    expect(second.stderr).toMatch(/cache for file:\/\/\S+\/work\.mjs was accepted/);
  }, 120_000);
});
