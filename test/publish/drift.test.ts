/**
 * The committed modules/ is exactly what `npm run synth` writes, and is a reusable child
 * module: no provider or backend block, a provider version range, described variables/outputs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PUBLISHED_MODULES } from "../../src/modules.js";
import { publishContainerReadme } from "../../src/publish/environment.js";
import { refreshMockProviders } from "../../src/publish/mocks.js";
import { publishModules } from "../../src/publish/publish.js";
import { REPO } from "../terraform/paths.js";

describe("published modules", () => {
  it("match a fresh synth (run `npm run synth` and commit when this fails)", async () => {
    expect(await publishModules(PUBLISHED_MODULES, join(REPO, "modules"), { check: true })).toEqual([]);
  });

  it("container/README.md configuration tables match the contract (run `npm run synth` and commit when this fails)", () => {
    expect(publishContainerReadme(join(REPO, "container", "README.md"), { check: true })).toBe(true);
  });

  it("inline the one mock provider in every test file (run `npm run synth` when this fails)", () => {
    expect(refreshMockProviders(REPO, { check: true })).toEqual([]);
  });

  it("give every terraform test file a mock provider without `source`, which OpenTofu's test runner refuses", () => {
    const dirs = ["modules", "examples"].flatMap((top) => readdirSync(join(REPO, top)).map((d) => join(REPO, top, d, "tests")));
    const files = [...dirs, join(REPO, "test", "terraform", "stacks")]
      .filter((d) => existsSync(d))
      .flatMap((d) =>
        readdirSync(d)
          .filter((f) => f.endsWith(".tftest.hcl"))
          .map((f) => join(d, f)),
      );
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).toMatch(/^mock_provider "aws" \{/m);
      // A mock_provider's `source` names a directory of .tfmock.hcl files (a run's `module { source }` is fine).
      expect(text, file).not.toMatch(/mock_provider "aws" \{\n(\s*alias\s*=[^\n]*\n)?\s*source\s*=/);
    }
    expect(dirs.filter((d) => existsSync(join(d, "mocks")))).toEqual([]);
  });

  for (const module of PUBLISHED_MODULES) {
    const dir = join(REPO, "modules", module.name);
    const files = readdirSync(dir).filter((f) => f.endsWith(".tf.json"));
    const all = Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(join(dir, f), "utf8"))));

    it(`${module.name}: has no provider or backend block and a provider version range`, () => {
      expect(files.sort()).toEqual(["main.tf.json", "outputs.tf.json", "variables.tf.json", "versions.tf.json"]);
      for (const f of files) expect(Object.keys(JSON.parse(readFileSync(join(dir, f), "utf8")))).not.toContain("provider");
      expect(all.terraform.backend).toBeUndefined();
      const aws = all.terraform.required_providers.aws;
      expect(aws.source).toBe("hashicorp/aws");
      expect(aws.version).toMatch(/^>= [\d.]+, < [\d.]+$/);
    });

    it(`${module.name}: every variable and output is described, every variable typed`, () => {
      for (const [name, v] of Object.entries<any>(all.variable)) {
        expect(v.description, name).toBeTruthy();
        expect(v.type, name).toBeTruthy();
      }
      for (const [name, o] of Object.entries<any>(all.output)) expect(o.description, name).toBeTruthy();
    });

    it(`${module.name}: resource addresses are short and independent of the construct tree`, () => {
      const names = Object.values<Record<string, unknown>>(all.resource).flatMap((byName) => Object.keys(byName));
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]{0,24}$/);
      expect(JSON.stringify(all).includes('"//":'), "CDKTF metadata keys").toBe(false);
    });

    it(`${module.name}: every count is a literal or a named flag (no precedence traps), nothing undefined`, () => {
      for (const [type, byName] of Object.entries<Record<string, any>>(all.resource)) {
        for (const [name, r] of Object.entries<any>(byName)) {
          if (r.count === undefined) continue;
          expect(String(r.count), `${type}.${name}`).toMatch(/^(\d+|\$\{(var|local)\.[a-z0-9_]+ \? 1 : 0\})$/);
        }
      }
      expect(JSON.stringify(all)).not.toMatch(/undefined|TfToken/);
    });

    it(`${module.name}: README tables list every input and output`, () => {
      const readme = readFileSync(join(dir, "README.md"), "utf8");
      for (const input of module.inputs) expect(readme).toContain(`| \`${input.name}\` |`);
      for (const output of module.outputs) expect(readme).toContain(`| \`${output.name}\` |`);
    });
  }
});
