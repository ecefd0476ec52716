/**
 * One published module under real Terraform: init from the local mirror, validate against the
 * real provider schema, and the `terraform test` files selected by `files`. Shared by the
 * behaviour and validation suites, which vitest runs in parallel.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLISHED_MODULES } from "../../src/modules.js";
import { TerraformWorkspace, terraformSetup, testSummary } from "./harness.js";
import { countRunsIn, REPO } from "./paths.js";
import { adaptToMirror, compareVersions, describeRemovals, mirrorAwsVersion, type Removal } from "./provider-compat.js";

export function describeModuleSuite(title: string, files: (testFile: string) => boolean): void {
  const setup = terraformSetup();
  describe.skipIf(!setup.available).each(PUBLISHED_MODULES.map((m) => m.name))(`modules/%s: ${title}`, (name) => {
    let ws: TerraformWorkspace;
    let dir: string;
    let removals: Removal[];
    const testsDir = join(REPO, "modules", name, "tests");
    const selected = readdirSync(testsDir).filter((f) => f.endsWith(".tftest.hcl") && files(f));

    beforeAll(() => {
      ws = new TerraformWorkspace(setup);
      ws.copy(join(REPO, "modules"), "modules");
      dir = join(ws.root, "modules", name);
      const mirror = mirrorAwsVersion(setup.mirror);
      removals = adaptToMirror(ws.root, PUBLISHED_MODULES, mirror);
      if (removals.length > 0) console.warn(describeRemovals(mirror, removals));
    });

    it("removes only the declared newer-provider arguments from the tested copy", () => {
      const definition = PUBLISHED_MODULES.find((m) => m.name === name)!;
      const declared = (definition.newerProviderOnly ?? []).filter((n) => compareVersions(mirrorAwsVersion(setup.mirror), n.since) < 0);
      const ours = removals.filter((r) => r.module === name);
      expect(ours.map((r) => r.address)).toEqual(declared.map((n) => n.path.slice(1).filter((p) => p !== "dynamic").join(".")));
    });

    it("initializes from the local mirror and validates against the real AWS provider schema", async () => {
      const init = await ws.run(dir, "init", "-backend=false");
      expect(init.output).toContain("Installing hashicorp/aws");
      expect(init.code, init.output).toBe(0);
      const validate = await ws.run(dir, "validate");
      expect(validate.code, validate.output).toBe(0);
    });

    it.skipIf(selected.length === 0)(`passes every run of ${selected.join(", ")}`, async () => {
      const result = await ws.run(dir, "test", ...selected.map((f) => `-filter=tests/${f}`));
      expect(testSummary(result.output), result.output).toEqual({ passed: countRunsIn(testsDir, selected), failed: 0 });
      expect(result.code).toBe(0);
    });
  });
}
