/**
 * The published module under real Terraform: init from the local mirror, validate against the
 * real provider schema, and every `terraform test` run in modules/mcp_server/tests (behaviour
 * tests and the generated validation tests) with the mock provider.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TerraformWorkspace, terraformSetup, testSummary } from "./harness.js";
import { countRuns, REPO } from "./paths.js";

const setup = terraformSetup();

describe.skipIf(!setup.available)("modules/mcp_server with terraform", () => {
  let ws: TerraformWorkspace;
  let dir: string;

  beforeAll(() => {
    ws = new TerraformWorkspace(setup);
    ws.copy(join(REPO, "modules"), "modules");
    dir = join(ws.root, "modules", "mcp_server");
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

  it("passes every terraform test run (auth, API, function, alarms, validations)", async () => {
    const result = await ws.run(dir, "test");
    const expected = countRuns(join(REPO, "modules", "mcp_server", "tests"));
    expect(testSummary(result.output), result.output).toEqual({ passed: expected, failed: 0 });
    expect(result.code).toBe(0);
  });
});
