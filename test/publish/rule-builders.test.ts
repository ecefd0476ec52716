/**
 * The rule builders of src/lib/module-spec.ts: one declaration gives a condition, a twin, a
 * message naming the variable and the values just outside what it allows; withDefaults fills
 * props from the spec.
 */
import { describe, expect, it } from "vitest";
import {
  anyOf,
  integer,
  listOf,
  nullable,
  oneOf,
  pattern,
  validationsOf,
  withDefaults,
  type ModuleInput,
} from "../../src/lib/module-spec.js";

const bind = (rule: Parameters<typeof validationsOf>[0]["rules"]) =>
  validationsOf({ name: "x", prop: "x", type: "number", description: "", rules: rule } as ModuleInput<{ x: unknown }>)[0]!;

describe("rule builders", () => {
  it("integer: bounds, a fraction and the boundary values just outside", () => {
    const v = bind([integer({ min: 60, max: 3600, unit: "seconds", reason: "(limits)" })]);
    expect(v.condition).toBe("var.x >= 60 && var.x <= 3600 && floor(var.x) == var.x");
    expect(v.errorMessage).toBe("x must be a whole number of seconds from 60 to 3600 (limits).");
    expect(v.rejects).toEqual([59, 3601, 60.5]);
    expect([60, 3600].map(v.test)).toEqual([true, true]);
  });

  it("oneOf: strings quoted in the message, other letter case and empty rejected", () => {
    const v = bind([oneOf(["dev", "staging", "prod"])]);
    expect(v.condition).toBe('contains(["dev", "staging", "prod"], var.x)');
    expect(v.errorMessage).toBe('x must be one of "dev", "staging" or "prod".');
    expect(v.rejects).toEqual(["Dev", ""]);
  });

  it("nullable(pattern): null passes, the pattern's rejects stay rejected", () => {
    const v = bind([nullable(pattern(/^a+$/, "letters a", { rejects: ["b"], reason: "why" }))]);
    expect(v.condition).toBe('var.x == null ? true : can(regex("^a+$", var.x))');
    expect(v.errorMessage).toBe("x must be letters a, or null: why.");
    expect([null, undefined, "aa"].map(v.test)).toEqual([true, true, true]);
    expect(v.rejects).toEqual(["b"]);
  });

  it("listOf: length bounds, each item, an empty list and each bad item rejected", () => {
    const v = bind([listOf(pattern(/^s-[0-9]$/, "an id", { rejects: ["x"] }), { min: 1, max: 2 })]);
    expect(v.condition).toBe('length(var.x) >= 1 && length(var.x) <= 2 && alltrue([for item in var.x : can(regex("^s-[0-9]$", item))])');
    expect(v.rejects).toEqual([[], ["x"]]);
    expect(v.test(["s-1", "s-2", "s-3"])).toBe(false);
  });

  it("anyOf: rejects only what every alternative rejects", () => {
    const v = bind([anyOf([oneOf([-1]), integer({ min: 1 })])]);
    expect(v.rejects).toEqual([-2, 0, 1.5]);
    expect([-1, 1, 7].map(v.test)).toEqual([true, true, true]);
  });

  it("refuses a declaration whose rejected values the rule accepts", () => {
    expect(() => integer({ min: 1, max: 5, rejects: [3] })).toThrow(/accepts values it lists as rejected: \[3\]/);
  });
});

describe("withDefaults", () => {
  const inputs = [
    { name: "a", prop: "a", type: "number", description: "", default: 5 },
    { name: "b", prop: "b", type: "list(string)", description: "", default: ["x"] },
    { name: "c", prop: "c", type: "string", description: "", default: null },
  ] as const satisfies readonly ModuleInput<{ a?: number; b?: string[]; c?: string }>[];

  it("fills unset props from non-null defaults, copies them, keeps given values and null defaults unset", () => {
    const first = withDefaults(inputs, {} as { a?: number; b?: string[]; c?: string });
    const second = withDefaults(inputs, { a: 7 } as { a?: number; b?: string[]; c?: string });
    expect(first).toEqual({ a: 5, b: ["x"] });
    expect(second.a).toBe(7);
    expect(first.b).not.toBe(second.b);
    expect("c" in first).toBe(false);
    // The derived type makes `a` and `b` required: this line type-checks only because of it.
    const a: number = first.a;
    expect(a).toBe(5);
  });
});
