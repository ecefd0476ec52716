/**
 * Plain-HCL use of the modules (examples/*, by relative path) and the synthesized
 * per-environment stacks, under real Terraform with the mock provider.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/stacks/app.js";
import { ENVIRONMENTS } from "../../src/stacks/environments.js";
import { TerraformWorkspace, terraformSetup, testSummary } from "./harness.js";
import { countRuns, REPO } from "./paths.js";
import { adaptToMirror, describeRemovals, mirrorAwsVersion } from "./provider-compat.js";
import { PUBLISHED_MODULES } from "../../src/modules.js";

const setup = terraformSetup();

const EXAMPLES = readdirSync(join(REPO, "examples")).filter((e) => existsSync(join(REPO, "examples", e, "main.tf")));

describe.skipIf(!setup.available).each(EXAMPLES)("examples/%s with terraform", (example) => {
  let ws: TerraformWorkspace;
  let dir: string;

  beforeAll(() => {
    ws = new TerraformWorkspace(setup);
    ws.copy(join(REPO, "modules"), "modules");
    ws.copy(join(REPO, "examples"), "examples");
    dir = join(ws.root, "examples", example);
    const mirror = mirrorAwsVersion(setup.mirror);
    const removals = adaptToMirror(ws.root, PUBLISHED_MODULES, mirror);
    if (removals.length > 0) console.warn(describeRemovals(mirror, removals));
  });

  it("initializes, validates and passes its tests", async () => {
    const init = await ws.run(dir, "init", "-backend=false");
    expect(init.code, init.output).toBe(0);
    const validate = await ws.run(dir, "validate");
    expect(validate.code, validate.output).toBe(0);
    const result = await ws.run(dir, "test");
    expect(testSummary(result.output), result.output).toEqual({ passed: countRuns(join(REPO, "examples", example, "tests")), failed: 0 });
  });
});

describe.skipIf(!setup.available)("per-environment stacks with terraform", () => {
  let ws: TerraformWorkspace;

  beforeAll(() => {
    ws = new TerraformWorkspace(setup);
    buildApp({ outdir: join(ws.root, "cdktf.out") }).synth();
    // The stacks set no 6.x-only argument (no tenant isolation); only the constraint is relaxed.
    adaptToMirror(ws.root, PUBLISHED_MODULES, mirrorAwsVersion(setup.mirror));
  });

  it.each(ENVIRONMENTS.map((e) => e.environment))("stack %s synthesizes, validates and plans", async (name) => {
    const dir = join(ws.root, "cdktf.out", "stacks", name);
    const tests = join(dir, "tests");
    mkdirSync(tests, { recursive: true });
    copyFileSync(join(REPO, "test", "terraform", "stacks", `${name}.tftest.hcl`), join(tests, `${name}.tftest.hcl`));
    expect(readdirSync(dir)).toContain("cdk.tf.json");

    // The S3 backend needs credentials; validation and mocked plans do not use it.
    const init = await ws.run(dir, "init", "-backend=false");
    expect(init.code, init.output).toBe(0);
    const validate = await ws.run(dir, "validate");
    expect(validate.code, validate.output).toBe(0);
    const result = await ws.run(dir, "test");
    expect(testSummary(result.output), result.output).toEqual({ passed: countRuns(tests), failed: 0 });
  });
});
