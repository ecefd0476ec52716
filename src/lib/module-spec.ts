/**
 * The contract of a published module, written once: every Terraform variable with its
 * construct prop, type, default, description and validations, and every output.
 *
 * One spec drives four things, so they cannot drift apart:
 * - the `variable` blocks of the published module (`variables.tf.json`);
 * - construction-time validation of literal props in per-environment stacks;
 * - the generated `expect_failures` runs in `tests/validations.tftest.hcl`;
 * - the Inputs/Outputs tables of the module's README.
 */

/** One `validation` block of a variable, with its TypeScript twin and known-bad values. */
export interface InputValidation {
  /** HCL expression over `var.<name>` only (OpenTofu forbids other references here). */
  readonly condition: string;
  /** Shown by Terraform and thrown by the construct: names the variable and what it allows. */
  readonly errorMessage: string;
  /** The same rule in TypeScript, applied to literal (non-token) props at construction time. */
  readonly test: (value: any) => boolean;
  /** Values the rule must reject; each becomes one `expect_failures` run in the module's tests. */
  readonly rejects: readonly unknown[];
}

/** A Terraform `variable` and the construct prop it feeds. */
export interface ModuleInput<Props> {
  /** Variable name, snake_case (Terraform convention). */
  readonly name: string;
  /** Construct prop name, camelCase: the one mapping between the two, in one place. */
  readonly prop: keyof Props & string;
  /** HCL type constraint, e.g. `string`, `list(string)`, `map(object({...}))`. */
  readonly type: string;
  readonly description: string;
  /** Omitted: the variable is required. `null` is a real default (optional, unset). */
  readonly default?: unknown;
  /** `nullable = false` for variables whose `null` would only break things. */
  readonly nullable?: boolean;
  readonly sensitive?: boolean;
  readonly validation?: readonly InputValidation[];
  /**
   * Turn a literal prop into the variable's shape (e.g. camelCase object fields to the
   * variable's snake_case attributes) before `validation[].test` runs. @default identity
   */
  readonly toVariable?: (propValue: any) => unknown;
}

/**
 * A rule across several variables. OpenTofu (and Terraform < 1.9) only lets a variable's
 * validation refer to the variable itself, so these become `lifecycle.precondition` blocks.
 */
export interface CrossInputCheck<Props> {
  /** HCL expression over `var.*`. */
  readonly condition: string;
  readonly errorMessage: string;
  /** The same rule over literal props; skipped when any input it reads is a token. */
  readonly test: (props: Props) => boolean;
  /** The props the rule reads (for skipping on tokens and for the docs). */
  readonly reads: readonly (keyof Props & string)[];
  /** Variable values that must make the plan fail, merged over the test's valid inputs. */
  readonly rejects: readonly Record<string, unknown>[];
}

/** A Terraform `output` and how to read it off the construct. */
export interface ModuleOutput<Construct> {
  readonly name: string;
  readonly description: string;
  readonly value: (construct: Construct) => unknown;
  readonly sensitive?: boolean;
}

/**
 * Render a JavaScript RegExp as the body of an HCL string literal for `regex()`.
 * Terraform uses RE2; keep patterns to the common subset (no lookaround, no backreferences).
 */
export function hclRegex(pattern: RegExp): string {
  return JSON.stringify(pattern.source);
}

/** Whole-string match, used by the TypeScript twins of `can(regex(...))`. */
export function matches(pattern: RegExp, value: unknown): boolean {
  return typeof value === "string" && pattern.test(value);
}

/** An integer in [min, max], the shared shape of many numeric rules. */
export function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Apply a module's variable validations to literal construct props, so a stack fails at synth
 * with the message `terraform plan` would give. Props that are Terraform tokens are skipped.
 * @param isToken tells tokens from literals (injected to keep this file free of CDKTF)
 * @throws Error listing every broken rule, each with its variable's message
 */
export function validateLiteralProps<Props>(
  what: string,
  inputs: readonly ModuleInput<Props>[],
  crossChecks: readonly CrossInputCheck<Props>[],
  props: Record<string, unknown>,
  isToken: (value: unknown) => boolean,
): void {
  const errors: string[] = [];
  for (const input of inputs) {
    const value = props[input.prop];
    if (value === undefined && input.default === undefined) {
      errors.push(`${input.prop} (${input.name}) is required.`);
      continue;
    }
    if (value === undefined || isToken(value)) continue;
    for (const rule of input.validation ?? []) {
      if (!rule.test(input.toVariable ? input.toVariable(value) : value)) errors.push(`${input.prop}: ${rule.errorMessage}`);
    }
  }
  for (const check of crossChecks) {
    if (check.reads.some((prop) => isToken(props[prop]))) continue;
    if (!check.test(props as Props)) errors.push(check.errorMessage);
  }
  if (errors.length > 0) throw new Error(`Invalid ${what} props:\n  - ${errors.join("\n  - ")}`);
}
