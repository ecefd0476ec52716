import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Number of `run` blocks in the `*.tftest.hcl` files of `dir`: what `terraform test` must pass. */
export function countRuns(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tftest.hcl"))
    .reduce((n, f) => n + (readFileSync(join(dir, f), "utf8").match(/^run "/gm)?.length ?? 0), 0);
}

/** Number of `run` blocks in the named `*.tftest.hcl` files of `dir`. */
export function countRunsIn(dir: string, files: readonly string[]): number {
  return files.reduce((n, f) => n + (readFileSync(join(dir, f), "utf8").match(/^run "/gm)?.length ?? 0), 0);
}
