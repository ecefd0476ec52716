/**
 * Testing a module that needs a newer hashicorp/aws than the offline mirror has.
 *
 * modules/mcp_server states its real minimum (6.23, for `tenancy_config`), while the mirror on
 * the build image is 5.100. Rather than skip Terraform, the suite tests a copy from which exactly
 * the arguments each ModuleDefinition declares in `newerProviderOnly` are removed, with the
 * version constraint relaxed to the mirror's version. It prints what it removed, and the tests
 * assert that list, so the gap is never silent. Everything else is tested as published.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ModuleDefinition } from "../../src/publish/module.js";

/** `5.100.0` -> [5, 100, 0]. */
function parse(version: string): number[] {
  return version.split(".").map((n) => Number.parseInt(n, 10));
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Newest hashicorp/aws version in a filesystem mirror. */
export function mirrorAwsVersion(mirror: string): string {
  const versions = readdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws"));
  return versions.sort(compareVersions).at(-1)!;
}

/** One argument removed from a module copy. */
export interface Removal {
  readonly module: string;
  /** `aws_lambda_function.this.tenancy_config` */
  readonly address: string;
  readonly since: string;
}

/**
 * Adapt the copies under `root` (modules/, examples/, synthesized stacks) to the mirror's
 * provider version. Returns what was removed; an empty list means the copy is the published one.
 */
export function adaptToMirror(root: string, modules: readonly ModuleDefinition<any, any>[], mirrorVersion: string): Removal[] {
  const removals: Removal[] = [];
  let older = false;
  for (const definition of modules) {
    const newer = (definition.newerProviderOnly ?? []).filter((n) => compareVersions(mirrorVersion, n.since) < 0);
    if (newer.length === 0) continue;
    older = true;
    const main = join(root, "modules", definition.name, "main.tf.json");
    if (!existsSync(main)) continue;
    const json = JSON.parse(readFileSync(main, "utf8"));
    for (const { path, since } of newer) {
      const parent = path.slice(0, -1).reduce((node: any, key) => node?.[key], json);
      const key = path.at(-1)!;
      if (parent === undefined || !(key in parent)) throw new Error(`${definition.name}: ${path.join(".")} is not in main.tf.json`);
      delete parent[key];
      if (Object.keys(parent).length === 0 && path.at(-2) === "dynamic") delete path.slice(0, -2).reduce((n: any, k) => n[k], json).dynamic;
      removals.push({
        module: definition.name,
        address: path
          .slice(1)
          .filter((p) => p !== "dynamic")
          .join("."),
        since,
      });
    }
    writeFileSync(main, JSON.stringify(json, null, 2));
  }
  if (older) relaxConstraints(root, `>= ${mirrorVersion}`);
  return removals;
}

/** Rewrite every hashicorp/aws `version = ">= X, < 7.0"` under `root` to `<floor>, < 7.0`. */
function relaxConstraints(root: string, floor: string): void {
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === ".terraform" || name === ".home") continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tf(\.json)?$/.test(name)) {
        const text = readFileSync(path, "utf8");
        const next = text.replace(/>= ?\d+\.\d+(\.\d+)?, ?< ?7\.0/g, `${floor}, < 7.0`);
        if (next !== text) writeFileSync(path, next);
      }
    }
  };
  walk(root);
}

/** The one loud line the suite prints when it adapts a copy. */
export function describeRemovals(mirrorVersion: string, removals: readonly Removal[]): string {
  return (
    `!!!!! hashicorp/aws ${mirrorVersion} in the mirror is older than the modules need: testing copies without ` +
    removals.map((r) => `${r.module}:${r.address} (>= ${r.since})`).join(", ") +
    ` and with the constraint relaxed to >= ${mirrorVersion}. Those arguments are checked on the synthesized JSON instead. !!!!!`
  );
}
