/**
 * One published module under real Terraform, initialised once for all its runs:
 *
 * 1. a copy of the module is initialised from the local mirror and validated against the real
 *    provider schema;
 * 2. the generated `tests/validations.tftest.hcl` (one `expect_failures` run per known-bad value
 *    of each variable) runs against a second copy holding only the variable and version files:
 *    a variable's validation reads nothing else, and without resources each run plans in a
 *    fraction of the time (the provider links and lock file of step 1 are reused);
 * 3. every other `tests/*.tftest.hcl` (hand-written behaviour tests, and the generated
 *    cross-input and FedRAMP checks, which need the resources) runs against the full copy.
 *
 * Steps 2 and 3 run concurrently: each is a separate `terraform test` process.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLISHED_MODULES } from "../../src/modules.js";
import { TerraformWorkspace, terraformSetup, testSummary } from "./harness.js";
import { countRunsIn, REPO } from "./paths.js";
import { adaptToMirror, compareVersions, describeRemovals, mirrorAwsVersion, type Removal } from "./provider-compat.js";

/** The generated per-variable rejection runs; they read only {@link VARIABLE_FILES}. */
export const VARIABLE_VALIDATION_TESTS = "validations.tftest.hcl";

/** What a variable's validation can see: its declaration and the version constraints. */
const VARIABLE_FILES = ["variables.tf.json", "versions.tf.json", "tests/baseline.auto.tfvars.json", `tests/${VARIABLE_VALIDATION_TESTS}`];

export function describeModuleSuites(): void {
  const setup = terraformSetup();
  describe.skipIf(!setup.available).each(PUBLISHED_MODULES.map((m) => m.name))("modules/%s", (name) => {
    let ws: TerraformWorkspace;
    let full: string;
    let variablesOnly: string;
    let removals: Removal[];
    let init: { code: number; output: string };
    const source = join(REPO, "modules", name);
    const testsDir = join(source, "tests");
    const behaviour = readdirSync(testsDir).filter((f) => f.endsWith(".tftest.hcl") && f !== VARIABLE_VALIDATION_TESTS);

    beforeAll(async () => {
      ws = new TerraformWorkspace(setup);
      full = ws.copy(source, join("modules", name));
      variablesOnly = ws.copyOnly(source, VARIABLE_FILES, join("variables-only", name));
      const mirror = mirrorAwsVersion(setup.mirror);
      removals = adaptToMirror(ws.root, PUBLISHED_MODULES, mirror);
      if (removals.length > 0) console.warn(describeRemovals(mirror, removals));
      init = await ws.run(full, "init", "-backend=false");
      if (init.code === 0) ws.shareInit(full, variablesOnly);
    });

    it("removes only the declared newer-provider arguments from the tested copy", () => {
      const definition = PUBLISHED_MODULES.find((m) => m.name === name)!;
      const mirror = mirrorAwsVersion(setup.mirror);
      const declared = (definition.newerProviderOnly ?? []).filter((n) => compareVersions(mirror, n.since) < 0);
      const ours = removals.filter((r) => r.module === name);
      expect(ours.map((r) => r.address)).toEqual(
        declared.map((n) =>
          n.path
            .slice(1)
            .filter((p) => p !== "dynamic")
            .join("."),
        ),
      );
    });

    it("initializes from the local mirror and validates against the real AWS provider schema", async () => {
      expect(init.output).toContain("Installing hashicorp/aws");
      expect(init.code, init.output).toBe(0);
      const validate = await ws.run(full, "validate");
      expect(validate.code, validate.output).toBe(0);
    });

    it.concurrent(`rejects every known-bad variable value (${VARIABLE_VALIDATION_TESTS}, variable and version files only)`, async () => {
      const result = await ws.run(variablesOnly, "test");
      expect(testSummary(result.output), result.output).toEqual({ passed: countRunsIn(testsDir, [VARIABLE_VALIDATION_TESTS]), failed: 0 });
      expect(result.code).toBe(0);
    });

    (behaviour.length === 0 ? it.concurrent.skip : it.concurrent)(`passes every run of ${behaviour.join(", ")}`, async () => {
      const result = await ws.run(full, "test", ...behaviour.map((f) => `-filter=tests/${f}`));
      expect(testSummary(result.output), result.output).toEqual({ passed: countRunsIn(testsDir, behaviour), failed: 0 });
      expect(result.code).toBe(0);
    });
  });
}
