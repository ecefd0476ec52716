/**
 * The TypeScript twin of every variable validation and cross-input check of every published
 * module agrees with its declaration: it accepts the module's example (or default) value,
 * rejects every value the generated `expect_failures` runs try, and its message names the
 * variable. Real Terraform runs the same rejects in tests/validations.tftest.hcl
 * (test/terraform/validations.test.ts); this is the fast half.
 */
import { describe, expect, it } from "vitest";
import { validationsOf, withDefaults } from "../../src/lib/module-spec.js";
import { PUBLISHED_MODULES } from "../../src/modules.js";

describe.each(PUBLISHED_MODULES.map((m) => [m.name, m] as const))("modules/%s: validation twins", (_, module) => {
  /** The module's example inputs as construct props (snake_case variable -> camelCase prop), defaults filled in. */
  const exampleProps = (): Record<string, unknown> => {
    const props: Record<string, unknown> = {};
    for (const input of module.inputs) if (input.name in module.exampleInputs) props[input.prop] = module.exampleInputs[input.name];
    return withDefaults(module.inputs, props);
  };

  const rules = module.inputs.flatMap((input) => validationsOf(input).map((rule) => [input.name, input, rule] as const));
  it.each(rules)("%s: accepts its example/default and rejects every known-bad value", (name, input, rule) => {
    const good = module.exampleInputs[name] ?? input.default;
    expect(rule.test(good), `${name} = ${JSON.stringify(good)}`).toBe(true);
    expect(rule.rejects.length, `${name} has values to reject`).toBeGreaterThan(0);
    for (const bad of rule.rejects) expect(rule.test(bad), `${name} = ${JSON.stringify(bad)}`).toBe(false);
    expect(rule.errorMessage).toContain(name);
    expect(rule.condition).toContain(`var.${name}`);
  });

  it.skipIf(module.crossChecks.length === 0).each(module.crossChecks.map((c, i) => [i + 1, c] as const))(
    "cross check %i accepts the example and rejects its bad combinations",
    (_, check) => {
      expect(check.test(exampleProps())).toBe(true);
      for (const bad of check.rejects) {
        const props = exampleProps();
        for (const [variable, value] of Object.entries(bad)) props[module.inputs.find((i) => i.name === variable)!.prop] = value;
        expect(check.test(props), JSON.stringify(bad)).toBe(false);
      }
    },
  );
});
