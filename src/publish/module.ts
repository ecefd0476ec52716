/**
 * Publishing a construct as a reusable OpenTofu/Terraform module in HCL JSON.
 *
 * The construct is synthesized in a stack of its own whose props are `var.*` tokens; the
 * result is turned into a child module: no `provider` or `backend` block, `required_providers`
 * as a version range, variables rendered from the module spec (with validations and `null`
 * defaults), outputs with descriptions, CDKTF metadata removed, keys sorted so the files are
 * stable, and split the way hand-written modules are (versions, variables, main, outputs).
 */
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack, TerraformVariable, Token, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { address } from "../lib/expr.js";
import { validationsOf, type CrossInputCheck, type ModuleInput, type ModuleOutput } from "../lib/module-spec.js";
import { hclAssignments } from "./hcl.js";

/** Everything needed to publish one module. */
export interface ModuleDefinition<Props, C> {
  /** Directory name under `modules/`, snake_case (`mcp_server`). */
  readonly name: string;
  readonly inputs: readonly ModuleInput<Props>[];
  readonly crossChecks: readonly CrossInputCheck<Props>[];
  readonly outputs: readonly ModuleOutput<C>[];
  /** Build the construct from props that are `var.*` tokens. */
  readonly build: (scope: Construct, props: Props) => C;
  /** The always-present resource that carries the cross-input preconditions (needed with crossChecks). */
  readonly preconditionsOn?: (construct: C) => TerraformResource;
  /** `terraform.required_version`. */
  readonly requiredVersion: string;
  /** `terraform.required_providers`: source and version range, never an exact pin. */
  readonly requiredProviders: Record<string, { source: string; version: string }>;
  /**
   * Arguments that exist only in newer provider releases than the oldest one the test mirror
   * has, as paths into main.tf.json. The harness removes exactly these, and says so, when it tests
   * against an older provider; nothing else is ever rewritten.
   */
  readonly newerProviderOnly?: readonly { readonly path: readonly string[]; readonly since: string }[];
  /** Valid values for every required variable: the baseline of the module's terraform tests. */
  readonly exampleInputs: Record<string, unknown>;
  /** The README, with `{{INPUTS}}` and `{{OUTPUTS}}` where the generated tables go. */
  readonly readmeTemplate: string;
  /**
   * More generated content: extra files (relative to the module directory) and README
   * placeholders (`{{NAME}}` -> text).
   */
  readonly generate?: () => Promise<{ files?: ModuleFiles; readme?: Record<string, string> }>;
}

/** A published module: file name (relative to the module directory) to content. */
export type ModuleFiles = Record<string, string>;

/** Synthesize `definition` and render the files of the published module. */
export async function renderModule<Props, C>(definition: ModuleDefinition<Props, C>): Promise<ModuleFiles> {
  const extra = (await definition.generate?.()) ?? {};
  const files = synthesizeModule(definition);
  let readme = files["README.md"]!;
  for (const [name, text] of Object.entries(extra.readme ?? {})) readme = readme.replace(`{{${name}}}`, text);
  return { ...files, "README.md": readme, ...(extra.files ?? {}) };
}

function synthesizeModule<Props, C>(definition: ModuleDefinition<Props, C>): ModuleFiles {
  const outdir = mkdtempSync(join(tmpdir(), `module-${definition.name}-`));
  try {
    // Provider blocks belong to the caller, so the stack has none: skip CDKTF's provider check.
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, definition.name);
    // Variables and outputs may share a name (`cognito_user_pool_id`): separate scopes, fixed ids.
    const variables = new Construct(stack, "variables");
    const outputs = new Construct(stack, "outputs");
    const props: Record<string, unknown> = {};
    for (const input of definition.inputs) {
      const variable = new TerraformVariable(variables, input.name, { type: input.type, description: input.description });
      variable.overrideLogicalId(input.name);
      props[input.prop] = variableToken(variable, input.type);
    }
    const construct = definition.build(stack, props as Props);
    const target = definition.preconditionsOn?.(construct);
    if (definition.crossChecks.length > 0) {
      if (!target) throw new Error(`module ${definition.name}: crossChecks need preconditionsOn`);
      target.addOverride(
        "lifecycle.precondition",
        definition.crossChecks.map((c) => ({ condition: `\${${c.condition}}`, error_message: c.errorMessage })),
      );
    }
    for (const output of definition.outputs) {
      new TerraformOutput(outputs, output.name, {
        value: output.value(construct),
        description: output.description,
        ...(output.sensitive === undefined ? {} : { sensitive: output.sensitive }),
      }).overrideLogicalId(output.name);
    }
    app.synth();
    const synthesized = JSON.parse(readFileSync(join(outdir, "stacks", definition.name, "cdk.tf.json"), "utf8"));
    return toModuleFiles(definition, synthesized, target ? address(target) : "");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function variableToken(variable: TerraformVariable, type: string): unknown {
  if (type === "string") return variable.stringValue;
  if (type === "number") return variable.numberValue;
  if (type === "bool") return variable.booleanValue;
  if (type.startsWith("list(")) return variable.listValue;
  if (type === "map(string)") return Token.asStringMap(variable.value);
  return variable.value;
}

function toModuleFiles<Props, C>(definition: ModuleDefinition<Props, C>, synthesized: any, preconditionTarget: string): ModuleFiles {
  const clean = stripMetadata(synthesized);
  const { resource = {}, data = {}, locals, output = {}, check } = clean;
  const unknownBlocks = Object.keys(clean).filter(
    (k) => !["terraform", "provider", "resource", "data", "locals", "output", "variable", "check"].includes(k),
  );
  if (unknownBlocks.length > 0) throw new Error(`module ${definition.name}: unexpected top-level blocks ${unknownBlocks.join(", ")}`);
  const declared = new Set(Object.keys(clean.variable ?? {}));
  for (const input of definition.inputs) declared.delete(input.name);
  if (declared.size > 0) throw new Error(`module ${definition.name}: variables outside the spec: ${[...declared].join(", ")}`);

  const json = (value: unknown) => JSON.stringify(sortKeys(value), null, 2) + "\n";
  const main: Record<string, unknown> = {};
  if (locals) main.locals = locals;
  if (Object.keys(data).length > 0) main.data = data;
  main.resource = resource;
  if (check) main.check = check;
  const files: ModuleFiles = {
    "versions.tf.json": json({
      terraform: { required_version: definition.requiredVersion, required_providers: definition.requiredProviders },
    }),
    "variables.tf.json": json({ variable: renderVariables(definition.inputs) }),
    "main.tf.json": json(main),
    "outputs.tf.json": json({ output }),
    "README.md": renderReadme(definition),
    "tests/validations.tftest.hcl": renderValidationTests(definition),
    // `terraform test` loads *.auto.tfvars.json from the tests directory: one valid baseline for
    // every test file, which each run overrides.
    "tests/baseline.auto.tfvars.json": json(definition.exampleInputs),
  };
  if (definition.crossChecks.length > 0) files["tests/cross_checks.tftest.hcl"] = renderCrossCheckTests(definition, preconditionTarget);
  return files;
}

/** `variable` blocks straight from the spec, so types, `null` defaults and rules are exact. */
function renderVariables<Props>(inputs: readonly ModuleInput<Props>[]): Record<string, unknown> {
  const blocks: Record<string, unknown> = {};
  for (const input of inputs) {
    const block: Record<string, unknown> = { type: input.type, description: input.description };
    if (input.default !== undefined) block.default = input.default;
    if (input.nullable === false) block.nullable = false;
    if (input.sensitive) block.sensitive = true;
    const validations = validationsOf(input);
    if (validations.length > 0) {
      block.validation = validations.map((v) => ({ condition: `\${${v.condition}}`, error_message: v.errorMessage }));
    }
    blocks[input.name] = block;
  }
  return blocks;
}

/** Remove CDKTF's `//` metadata keys (construct paths), which would leak the TypeScript tree. */
function stripMetadata(value: any): any {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "//")
      .map(([k, v]) => [k, stripMetadata(v)]),
  );
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function renderReadme<Props, C>(definition: ModuleDefinition<Props, C>): string {
  const inputs = [
    "| Name | Description | Type | Default | Required |",
    "|------|-------------|------|---------|:--------:|",
    ...definition.inputs.map((i) => {
      const type = i.type.startsWith("map(object(") ? "`map(object({...}))`" : `\`${i.type}\``;
      const def = i.default === undefined ? "n/a" : `\`${JSON.stringify(i.default)}\``;
      return `| \`${i.name}\` | ${markdownCell(i.description)} | ${type} | ${def} | ${i.default === undefined ? "yes" : "no"} |`;
    }),
  ].join("\n");
  const outputs = [
    "| Name | Description |",
    "|------|-------------|",
    ...definition.outputs.map((o) => `| \`${o.name}\` | ${markdownCell(o.description)}${o.sensitive ? " (sensitive)" : ""} |`),
  ].join("\n");
  const banner = "<!-- Generated by `npm run synth` from src/; edit the template and the module spec, not this file. -->\n";
  return (
    banner +
    definition.readmeTemplate
      .replace("{{INPUTS}}", `<!-- BEGIN_INPUTS -->\n${inputs}\n<!-- END_INPUTS -->`)
      .replace("{{OUTPUTS}}", `<!-- BEGIN_OUTPUTS -->\n${outputs}\n<!-- END_OUTPUTS -->`)
  );
}

/** The head of a generated rejection-test file: what it proves, the mock provider, the baseline run. */
const rejectionTestsHead = (proves: string): string[] => [
  "# Generated by `npm run synth` from the module spec (src/); do not edit.",
  `# ${proves}`,
  "",
  "# The valid baseline every run starts from is tests/baseline.auto.tfvars.json.",
  "",
  'mock_provider "aws" {}',
  "",
  'run "baseline_is_valid" {',
  "  command = plan",
  "}",
];

/** One run: the baseline with `variables` overridden, expected to fail on `target`. */
function rejectionRun(name: string, variables: Record<string, unknown>, target: string): string[] {
  return [
    "",
    `run "${name}" {`,
    "  command = plan",
    "  variables {",
    hclAssignments(variables, "    "),
    "  }",
    `  expect_failures = [${target}]`,
    "}",
  ];
}

/**
 * One `expect_failures` run per known-bad value of every variable validation, so every rule is
 * proven to reject what it claims to. The runs read only the variable and version files, so
 * they can run against a copy of the module holding just those (no resources to plan).
 */
function renderValidationTests<Props, C>(definition: ModuleDefinition<Props, C>): string {
  const lines = rejectionTestsHead("Every variable validation rejects each of its known-bad values.");
  for (const input of definition.inputs) {
    for (const [r, rule] of validationsOf(input).entries()) {
      for (const [b, bad] of rule.rejects.entries()) {
        lines.push(...rejectionRun(`${input.name}_rejects_${r + 1}_${b + 1}`, { [input.name]: bad }, `var.${input.name}`));
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * One `expect_failures` run per known-bad combination of every cross-input check: the
 * preconditions on `preconditionTarget`, which need the whole module.
 */
function renderCrossCheckTests<Props, C>(definition: ModuleDefinition<Props, C>, preconditionTarget: string): string {
  const lines = rejectionTestsHead("Every cross-input precondition rejects each of its known-bad combinations.");
  for (const [c, check] of definition.crossChecks.entries()) {
    for (const [b, bad] of check.rejects.entries())
      lines.push(...rejectionRun(`cross_check_${c + 1}_rejects_${b + 1}`, bad, preconditionTarget));
  }
  return `${lines.join("\n")}\n`;
}
