/**
 * The contract of a published module, written once: every Terraform variable with its
 * construct prop, type, default, description and validations, and every output.
 *
 * One spec drives five things, so they cannot drift apart:
 * - the `variable` blocks of the published module (`variables.tf.json`);
 * - construction-time validation of literal props in per-environment stacks;
 * - the generated `expect_failures` runs in `tests/validations.tftest.hcl`;
 * - the Inputs/Outputs tables of the module's README;
 * - the construct's defaults ({@link withDefaults}).
 */

/**
 * A rule over one value, not yet bound to a variable: build it with {@link integer},
 * {@link number}, {@link pattern}, {@link oneOf}, {@link nullable}, {@link listOf} or
 * {@link anyOf}, or write one by hand for shapes they do not cover. One declaration yields the
 * HCL condition, the TypeScript twin, the error message and the values the generated
 * `expect_failures` runs try, so the four cannot drift apart.
 *
 * @example
 *   rules: [integer({ min: 60, max: 2592000, unit: "seconds", note: "60 (one minute) to 2592000 (30 days)" })]
 */
export interface Rule {
  /**
   * The HCL condition over `ref`, an HCL expression for the value (`var.<name>`, or a `for`
   * variable when the rule is nested in {@link listOf}). OpenTofu forbids other references here.
   */
  readonly hcl: (ref: string) => string;
  /** The same rule in TypeScript, applied to literal (non-token) props at construction time. */
  readonly test: (value: any) => boolean;
  /** What the rule allows, completing "<variable> must be ...": `a whole number from 1 to 30`. */
  readonly allows: string;
  /** Why, appended to the message after a colon: the limit's source or what a bad value breaks. */
  readonly reason?: string;
  /** Values the rule rejects; each becomes one `expect_failures` run in the module's tests. */
  readonly rejects: readonly unknown[];
  /** The bounds of a numeric rule (of the item count for {@link listOf}), for checking prose against the spec. */
  readonly range?: { readonly min?: number; readonly max?: number };
  /** A full message for `name`, when "<name> must be <allows>: <reason>." does not read well. */
  readonly message?: (name: string) => string;
}

/** One `validation` block of a variable: a {@link Rule} bound to the variable's name. */
export interface InputValidation {
  /** HCL expression over `var.<name>` only. */
  readonly condition: string;
  /** Shown by Terraform and thrown by the construct: names the variable and what it allows. */
  readonly errorMessage: string;
  /** The TypeScript twin of `condition`. */
  readonly test: (value: any) => boolean;
  /** Values the rule must reject. */
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
  /**
   * Omitted: the variable is required. `null` is a real default (optional, unset). Any other
   * value is what {@link withDefaults} fills in for an unset prop, so the construct and the
   * published module agree by construction.
   */
  readonly default?: unknown;
  /** `nullable = false` for variables whose `null` would only break things. */
  readonly nullable?: boolean;
  readonly sensitive?: boolean;
  /** The variable's `validation` blocks, one per rule. */
  readonly rules?: readonly Rule[];
  /**
   * Turn a literal prop into the variable's shape (e.g. camelCase object fields to the
   * variable's snake_case attributes) before the rules' `test` runs. @default identity
   */
  readonly toVariable?: (propValue: any) => unknown;
}

/** The `validation` blocks of `input`: its rules bound to `var.<name>`. */
export function validationsOf<Props>(input: ModuleInput<Props>): InputValidation[] {
  return (input.rules ?? []).map((rule) => ({
    condition: rule.hcl(`var.${input.name}`),
    errorMessage: messageOf(rule, input.name),
    test: rule.test,
    rejects: rule.rejects,
  }));
}

/** "<name> must be <allows>: <reason>.", or the rule's own message. */
export function messageOf(rule: Rule, name: string): string {
  if (rule.message) return rule.message(name);
  return `${name} must be ${rule.allows}${rule.reason ? `: ${rule.reason}` : ""}.`;
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

/** Options every rule builder takes. */
export interface RuleOptions {
  /**
   * Why the limit exists or what a bad value would break. Appended after a colon, or after a
   * space when it starts with "(" (a source such as "(KMS limits)").
   */
  readonly reason?: string | undefined;
  /** More values the rule must reject, beyond the ones the builder derives. */
  readonly rejects?: readonly unknown[];
  /** Replace the builder's "what it allows" phrase (after "<variable> must be "). */
  readonly allows?: string;
  /** A full message for the variable `name`, when "<name> must be <allows>" does not read well. */
  readonly message?: (name: string) => string;
}

function finish(rule: Omit<Rule, "reason" | "message">, options: RuleOptions): Rule {
  const rejects = [...rule.rejects, ...(options.rejects ?? [])].filter(
    (v, i, all) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i,
  );
  const wrong = rejects.filter((v) => rule.test(v));
  if (wrong.length > 0) throw new Error(`rule "${rule.allows}" accepts values it lists as rejected: ${JSON.stringify(wrong)}`);
  const allows = options.allows ?? rule.allows;
  const reason = options.reason;
  return {
    ...rule,
    allows: reason?.startsWith("(") ? `${allows} ${reason}` : allows,
    ...(reason && !reason.startsWith("(") ? { reason } : {}),
    ...(options.message ? { message: options.message } : {}),
    rejects,
  };
}

/**
 * A whole number in [min, max] (either bound may be omitted). HCL:
 * `v >= min && v <= max && floor(v) == v`. Rejects min - 1, max + 1 and a fraction in range.
 * @param unit what the number counts, for the message: "seconds", "MB", "days"
 */
export function integer(options: RuleOptions & { readonly min?: number; readonly max?: number; readonly unit?: string }): Rule {
  const { min, max, unit } = options;
  const bounds =
    min !== undefined && max !== undefined
      ? `from ${min} to ${max}`
      : min !== undefined
        ? `>= ${min}`
        : max !== undefined
          ? `<= ${max}`
          : "";
  const lo = min ?? Number.MIN_SAFE_INTEGER;
  const hi = max ?? Number.MAX_SAFE_INTEGER;
  const rejects: number[] = [];
  if (min !== undefined) rejects.push(min - 1);
  if (max !== undefined) rejects.push(max + 1);
  const inRange = min !== undefined ? min + 0.5 : max! - 0.5;
  if (inRange >= lo && inRange <= hi) rejects.push(inRange);
  return finish(
    {
      hcl: (v) =>
        [min !== undefined ? `${v} >= ${min}` : "", max !== undefined ? `${v} <= ${max}` : "", `floor(${v}) == ${v}`]
          .filter(Boolean)
          .join(" && "),
      test: (v) => isIntegerIn(v, lo, hi),
      allows: `a whole number${unit ? ` of ${unit}` : ""} ${bounds}`.trimEnd(),
      rejects,
      range: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) },
    },
    options,
  );
}

/** A number (fractions allowed) strictly greater than `above`. Rejects `above` and `above - 1`. */
export function greaterThan(above: number, options: RuleOptions & { readonly unit?: string } = {}): Rule {
  return finish(
    {
      hcl: (v) => `${v} > ${above}`,
      test: (v) => typeof v === "number" && v > above,
      allows: `greater than ${above}${options.unit ? ` ${options.unit}` : ""}`,
      rejects: [above, above - 5],
    },
    options,
  );
}

/**
 * A string matching `re` as a whole (anchor it: `^...$`; RE2 subset). HCL: `can(regex(re, v))`.
 * Give the rejected values: a pattern has no boundary to derive them from.
 * @param allows the shape in words, with an example: "a VPC ID such as vpc-0123456789abcdef0"
 */
export function pattern(re: RegExp, allows: string, options: RuleOptions & { readonly rejects: readonly unknown[] }): Rule {
  return finish({ hcl: (v) => `can(regex(${hclRegex(re)}, ${v}))`, test: (v) => matches(re, v), allows, rejects: [] }, options);
}

/**
 * One of `values`. HCL: `contains([...], v)`. Rejects, for strings, the first value in other
 * letter case and `""`; for numbers, just below the smallest, just above the largest and the
 * first gap between them.
 */
export function oneOf(values: readonly (string | number)[], options: RuleOptions = {}): Rule {
  const listed = values.map((v) => JSON.stringify(v));
  const phrase = listed.length === 2 ? `${listed[0]} or ${listed[1]}` : `one of ${listed.slice(0, -1).join(", ")} or ${listed.at(-1)}`;
  const rejects: unknown[] = [];
  if (values.every((v) => typeof v === "string")) {
    const first = values[0] as string;
    const flipped = first === first.toLowerCase() ? first[0]!.toUpperCase() + first.slice(1) : first.toLowerCase();
    rejects.push(flipped, "");
  } else {
    const sorted = [...(values as number[])].sort((a, b) => a - b);
    rejects.push(sorted[0]! - 1, sorted.at(-1)! + 1);
    const gap = sorted.findIndex((v, i) => i > 0 && v - sorted[i - 1]! > 1);
    if (gap > 0) rejects.push(sorted[gap - 1]! + 1);
  }
  return finish(
    {
      hcl: (v) => `contains([${values.map((x) => JSON.stringify(x)).join(", ")}], ${v})`,
      test: (v) => values.includes(v),
      allows: phrase,
      rejects: rejects.filter((r) => !values.includes(r as never)),
    },
    options,
  );
}

/** `rule`, or null (unset). HCL: `v == null ? true : <rule>`. Rejects what `rule` rejects. */
export function nullable(rule: Rule, options: RuleOptions = {}): Rule {
  return finish(
    {
      hcl: (v) => `${v} == null ? true : ${rule.hcl(v)}`,
      test: (v) => v === null || v === undefined || rule.test(v),
      allows: `${rule.allows}, or null`,
      rejects: rule.rejects.filter((r) => r !== null && r !== undefined),
      ...(rule.range ? { range: rule.range } : {}),
    },
    { reason: rule.reason, ...options },
  );
}

/**
 * A list of `min` to `max` items, each passing `item`. HCL:
 * `length(v) >= min && length(v) <= max && alltrue([for x in v : <item>])`. Rejects `[]` when
 * `min >= 1`, and each value `item` rejects, as a one-item list.
 */
export function listOf(item: Rule, options: RuleOptions & { readonly min?: number; readonly max?: number } = {}): Rule {
  const { min, max } = options;
  const count =
    min !== undefined && max !== undefined
      ? `${min} to ${max} `
      : min !== undefined
        ? `at least ${min} `
        : max !== undefined
          ? `at most ${max} `
          : "";
  const each = (v: string) => (v.startsWith("var.") ? "item" : `${v}_item`);
  return finish(
    {
      hcl: (v) =>
        [
          min !== undefined && min > 0 ? `length(${v}) >= ${min}` : "",
          max !== undefined ? `length(${v}) <= ${max}` : "",
          `alltrue([for ${each(v)} in ${v} : ${item.hcl(each(v))}])`,
        ]
          .filter(Boolean)
          .join(" && "),
      test: (v) =>
        Array.isArray(v) && v.length >= (min ?? 0) && v.length <= (max ?? Number.MAX_SAFE_INTEGER) && v.every((x) => item.test(x)),
      allows: `a list of ${count}items, each ${item.allows}`,
      rejects: [...(min !== undefined && min > 0 ? [[]] : []), ...item.rejects.map((r) => [r])],
      range: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) },
    },
    options,
  );
}

/** Any of `rules`. HCL: `(a) || (b)`. Rejects the values every one of them rejects. */
export function anyOf(rules: readonly Rule[], options: RuleOptions = {}): Rule {
  const test = (v: unknown) => rules.some((r) => r.test(v));
  return finish(
    {
      hcl: (v) => rules.map((r) => `(${r.hcl(v)})`).join(" || "),
      test,
      allows: rules.map((r) => r.allows).join(" or "),
      rejects: rules.flatMap((r) => r.rejects).filter((v) => !test(v)),
    },
    options,
  );
}

/**
 * Inputs declared so their literal types survive: `prop` names and defaults stay exact, so
 * {@link WithDefaults} can tell which props a default fills in.
 * @example export const INPUTS = moduleInputs<MyProps>()(NAME_INPUT, { name: "x", prop: "x", ... });
 */
export function moduleInputs<Props>() {
  return <const Inputs extends readonly ModuleInput<Props>[]>(...inputs: Inputs): Inputs => inputs;
}

/** The props a non-null `default` fills in. */
type DefaultedProp<I> = I extends { readonly prop: infer K; readonly default: infer D } ? ([D] extends [null] ? never : K) : never;

/**
 * `Props` after {@link withDefaults}: every prop whose input has a non-null default is present.
 * Props whose default is `null` (or that are required) keep their declared optionality.
 */
export type WithDefaults<Props extends object, Inputs extends readonly ModuleInput<Props>[]> = Props &
  Required<Pick<Props, Extract<DefaultedProp<Inputs[number]>, keyof Props>>>;

/**
 * Fill every unset prop from its input's default, so the construct and the published module
 * agree by construction. A `null` default leaves the prop unset. Defaults are copied, never shared.
 */
export function withDefaults<Props extends object, const Inputs extends readonly ModuleInput<Props>[]>(
  inputs: Inputs,
  props: Props,
): WithDefaults<Props, Inputs> {
  const resolved: Record<string, unknown> = { ...(props as Record<string, unknown>) };
  for (const input of inputs) {
    if (resolved[input.prop] === undefined && input.default !== undefined && input.default !== null) {
      resolved[input.prop] = structuredClone(input.default);
    }
  }
  return resolved as unknown as WithDefaults<Props, Inputs>;
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
  given: object,
  isToken: (value: unknown) => boolean,
): void {
  const props = given as Record<string, unknown>;
  const errors: string[] = [];
  for (const input of inputs) {
    const value = props[input.prop];
    if (value === undefined && input.default === undefined) {
      errors.push(`${input.prop} (${input.name}) is required.`);
      continue;
    }
    if (value === undefined || isToken(value)) continue;
    for (const rule of validationsOf(input)) {
      if (!rule.test(input.toVariable ? input.toVariable(value) : value)) errors.push(`${input.prop}: ${rule.errorMessage}`);
    }
  }
  for (const check of crossChecks) {
    if (check.reads.some((prop) => isToken(props[prop]))) continue;
    if (!check.test(props as Props)) errors.push(check.errorMessage);
  }
  if (errors.length > 0) throw new Error(`Invalid ${what} props:\n  - ${errors.join("\n  - ")}`);
}
