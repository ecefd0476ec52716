/**
 * Each module's props.ts documents its props for editors, and may repeat a default or a range
 * for readability. Those repeats must match the module spec (inputs.ts), the one source: a
 * literal `@default` equals the input's default, and a `min-max` range in a numeric prop's doc
 * equals its rule's bounds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PUBLISHED_MODULES } from "../../src/modules.js";
import { REPO } from "../terraform/paths.js";

/** `prop -> doc comment` of every documented `readonly` member. */
function propDocs(source: string): Map<string, string> {
  const docs = new Map<string, string>();
  for (const m of source.matchAll(/\/\*\*([\s\S]*?)\*\/\s*readonly (\w+)\??:/g)) {
    docs.set(
      m[2]!,
      m[1]!
        .replace(/^\s*\*\s?/gm, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
  }
  return docs;
}

function literal(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

describe.each(PUBLISHED_MODULES.map((m) => [m.name, m] as const))("modules/%s: props.ts agrees with the spec", (name, module) => {
  const docs = propDocs(readFileSync(join(REPO, "src", name.replace(/_/g, "-"), "props.ts"), "utf8"));

  it("documents some props (the file was found and parsed)", () => {
    expect(docs.size).toBeGreaterThan(0);
  });

  it.each(module.inputs.map((i) => [i.prop, i] as const))("%s: stated default and range match", (prop, input) => {
    const doc = docs.get(prop);
    if (doc === undefined) return;
    const stated = /@default (.+?)(?: @|$)/.exec(doc)?.[1]?.trim();
    if (stated !== undefined) {
      expect(input.default, `${prop} states a default but the variable is required`).not.toBeUndefined();
      const parsed = literal(stated);
      if (input.default === null)
        expect(parsed.ok && parsed.value !== null, `${prop}: "@default ${stated}" but the default is null`).toBe(false);
      else if (parsed.ok) expect(parsed.value, `${prop}: @default`).toEqual(input.default);
    }
    const range = (input.rules ?? []).find((r) => r.range?.min !== undefined && r.range?.max !== undefined)?.range;
    for (const m of doc.replace(/@default.*$/, "").matchAll(/\b(\d+)-(\d+)\b/g)) {
      expect(range, `${prop} states a range ${m[0]} but its rules have none`).toBeDefined();
      expect([Number(m[1]), Number(m[2])], `${prop}: range in the doc`).toEqual([range!.min, range!.max]);
    }
  });
});
