/**
 * Rendering of plain values as HCL native syntax, for generated `*.tftest.hcl` files.
 * Only JSON-shaped values (string, number, bool, null, arrays, objects) occur there.
 */
export function hclValue(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => hclValue(v, indent)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const inner = indent + "  ";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} = ${hclValue(v, inner)}`).join("\n")}\n${indent}}`;
}

/** A `variables { ... }` block body: one `name = value` line per entry. */
export function hclAssignments(values: Record<string, unknown>, indent: string): string {
  return Object.entries(values)
    .map(([k, v]) => `${indent}${k} = ${hclValue(v, indent)}`)
    .join("\n");
}
