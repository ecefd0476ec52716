/**
 * Every Terraform file the repository ships (the published modules, generated or hand-written,
 * and the examples) is laid out as `terraform fmt` lays it out, so users who run
 * `terraform fmt -check` in CI can vendor the modules unchanged.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { terraformSetup } from "./harness.js";
import { REPO } from "./paths.js";

const setup = terraformSetup();

describe.skipIf(!setup.available)("terraform fmt", () => {
  it("finds nothing to change under modules/ and examples/", () => {
    let output = "";
    try {
      execFileSync("terraform", ["fmt", "-check", "-diff", "-recursive", "-no-color", "modules", "examples"], {
        cwd: REPO,
        encoding: "utf8",
        // fmt reads no provider and no CLI configuration; a missing ~/.terraformrc only warns.
        env: { PATH: process.env.PATH, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" },
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output, "run `npm run synth` (generated files) or `terraform fmt -recursive modules examples`").toBe("");
  });
});
