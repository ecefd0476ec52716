/**
 * Rendering of plain values as HCL native syntax, for generated `*.tftest.hcl` files, laid out as
 * `terraform fmt` lays them out (so the files pass `terraform fmt -check`).
 * Only JSON-shaped values (string, number, bool, null, arrays, objects) occur there.
 */
export function hclValue(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => hclValue(v, indent)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  return `{\n${alignedLines(
    entries.map(([k, v]) => [JSON.stringify(k), hclValue(v, inner)]),
    inner,
  )}\n${indent}}`;
}

/** A `variables { ... }` block body: one `name = value` line per entry. */
export function hclAssignments(values: Record<string, unknown>, indent: string): string {
  return alignedLines(
    Object.entries(values).map(([k, v]) => [k, hclValue(v, indent)]),
    indent,
  );
}

/**
 * `key = value` lines with the `=` of consecutive single-line entries in one column, as
 * `terraform fmt` aligns them; an entry whose value spans lines stands alone.
 */
export function alignedLines(entries: readonly (readonly [key: string, value: string])[], indent: string): string {
  const lines: string[] = [];
  let group: (readonly [string, string])[] = [];
  const flush = () => {
    const width = Math.max(0, ...group.map(([k]) => k.length));
    for (const [k, v] of group) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
    group = [];
  };
  for (const entry of entries) {
    if (entry[1].includes("\n")) {
      flush();
      lines.push(`${indent}${entry[0]} = ${entry[1]}`);
    } else group.push(entry);
  }
  flush();
  return lines.join("\n");
}
