import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderModule, type ModuleDefinition } from "./module.js";

/** A generated file whose content on disk differs from a fresh synth (or is missing). */
export interface Drift {
  readonly path: string;
  readonly reason: "missing" | "differs";
}

/**
 * Write every module to `<modulesDir>/<name>/`, or with `check`, write nothing and report
 * the files that differ from a fresh synth. Hand-written files (e.g. `tests/*.tftest.hcl`
 * other than `validations.tftest.hcl` and `cross_checks.tftest.hcl`) are left alone.
 */
export async function publishModules(
  modules: readonly ModuleDefinition<any, any>[],
  modulesDir: string,
  options: { check?: boolean } = {},
): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const definition of modules) {
    const files = await renderModule(definition);
    for (const [relative, content] of Object.entries(files)) {
      const path = join(modulesDir, definition.name, relative);
      if (options.check) {
        if (!existsSync(path)) drift.push({ path, reason: "missing" });
        else if (readFileSync(path, "utf8") !== content) drift.push({ path, reason: "differs" });
      } else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    }
  }
  return drift;
}
