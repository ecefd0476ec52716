/**
 * The published module under real Terraform: init from the local mirror, validate against the
 * real provider schema, and every `terraform test` run in modules/mcp_server/tests (behaviour
 * tests and the generated validation tests) with the mock provider.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TerraformWorkspace, terraformSetup, testSummary } from "./harness.js";
import { countRuns, REPO } from "./paths.js";
import { adaptToMirror, compareVersions, describeRemovals, mirrorAwsVersion, type Removal } from "./provider-compat.js";
import { PUBLISHED_MODULES } from "../../src/modules.js";

const setup = terraformSetup();

describe.skipIf(!setup.available).each(PUBLISHED_MODULES.map((m) => m.name))("modules/%s with terraform", (name) => {
  let ws: TerraformWorkspace;
  let dir: string;

  let removals: Removal[];

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

  it("initializes from the local provider mirror", async () => {
    const init = await ws.run(dir, "init", "-backend=false");
    expect(init.output).toContain("Installing hashicorp/aws");
    expect(init.code, init.output).toBe(0);
  });

  it("validates against the real AWS provider schema", async () => {
    const result = await ws.run(dir, "validate");
    expect(result.code, result.output).toBe(0);
  });

  it("passes every terraform test run (behaviour and generated validations)", async () => {
    const result = await ws.run(dir, "test");
    const expected = countRuns(join(REPO, "modules", name, "tests"));
    expect(testSummary(result.output), result.output).toEqual({ passed: expected, failed: 0 });
    expect(result.code).toBe(0);
  });
});
