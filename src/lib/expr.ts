/**
 * Terraform expressions that fold to plain values when their inputs are literals.
 *
 * A construct in this project is used two ways: inside a published module, where every
 * prop is a token for `var.<name>` and decisions must stay Terraform expressions, and
 * inside a per-environment stack, where props are literals and the synthesized JSON should
 * read like hand-written Terraform (`count = 1`, not `count = true ? 1 : 0`). These functions
 * give one code path for both: literal in, literal out; token in, expression out.
 */
import { Fn, Op, TerraformLocal, TerraformStack, Token, ref, type IResolvable, type TerraformResource } from "cdktf";
import type { Construct, IConstruct } from "constructs";

/** A boolean known at synth time, or a Terraform expression that yields one. */
export type Bool = boolean | IResolvable;

/** True when `value` (or anything nested in it) is an unresolved Terraform token. */
export function isToken(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(isToken);
  if (typeof value === "object") return Object.values(value as object).some(isToken);
  return false;
}

/** `a && b && ...`, folded where every operand is a literal. */
export function and(...operands: Bool[]): Bool {
  const unresolved = operands.filter((o) => isToken(o));
  if (operands.some((o) => !isToken(o) && o === false)) return false;
  if (unresolved.length === 0) return true;
  return unresolved.reduce((acc, o) => Op.and(acc, o) as IResolvable);
}

/** `!operand`, folded when it is a literal. */
export function not(operand: Bool): Bool {
  return isToken(operand) ? (Op.not(operand) as IResolvable) : !operand;
}

/** `value == literal`, folded when `value` is a literal. */
export function equals(value: string, literal: string): Bool {
  return isToken(value) ? (Op.eq(value, literal) as IResolvable) : value === literal;
}

/** `value == null`: `undefined`/`null` fold to `true`, other literals to `false`. */
export function isNull(value: unknown): Bool {
  if (value === undefined || value === null) return true;
  return isToken(value) ? (Op.eq(value, Token.nullValue()) as IResolvable) : false;
}

/** `value != null`: the negation of {@link isNull}. */
export function isNotNull(value: unknown): Bool {
  if (value === undefined || value === null) return false;
  return isToken(value) ? (Op.neq(value, Token.nullValue()) as IResolvable) : true;
}

/**
 * A named Terraform `local` when `value` is an expression (so it is written once and read
 * by name), or `value` itself when it is a literal.
 */
export function local<T>(scope: Construct, name: string, value: T): T {
  if (!isToken(value)) return value;
  const l = new TerraformLocal(scope, name, value);
  l.overrideLogicalId(name);
  return (typeof value === "string" ? l.asString : l.expression) as T;
}

/** `condition ? whenTrue : whenFalse`; `undefined` branches render as Terraform `null`. */
export function ifElse<T>(condition: Bool, whenTrue: T, whenFalse: T): T {
  if (!isToken(condition)) return condition ? whenTrue : whenFalse;
  const orNull = (v: T) => (v === undefined ? Token.nullValue() : v);
  return Fn.conditional(condition, orNull(whenTrue), orNull(whenFalse)) as unknown as T;
}

/** A `count` meta-argument: 1 when `condition` holds, else 0. */
export function countIf(condition: Bool): number {
  return isToken(condition) ? Token.asNumber(Fn.conditional(condition, 1, 0)) : condition ? 1 : 0;
}

/**
 * `<type>.<name>[0].<attribute>` of a resource whose `count` is 0 or 1. Only valid where
 * Terraform evaluates it when the resource exists (inside a resource with the same count,
 * or one branch of a conditional).
 */
export function firstInstanceAttr(resource: TerraformResource, attribute: string): string {
  return Token.asString(ref(`${address(resource)}[0].${attribute}`, TerraformStack.of(resource)));
}

/** `one(<type>.<name>[*].<attribute>)`: the attribute, or `null` when `count = 0`. */
export function optionalAttr(resource: TerraformResource, attribute: string): string {
  return Token.asString(Fn.one(ref(`${address(resource)}[*].${attribute}`, TerraformStack.of(resource))));
}

const stableNames = new WeakMap<TerraformResource, string>();

/**
 * Give a resource a short address (`aws_lambda_function.this`) that does not depend on the
 * construct tree, so refactoring TypeScript never moves Terraform state.
 * @throws Error when the same address is taken twice in one stack.
 */
export function stableName<T extends TerraformResource>(resource: T, name: string): T {
  const taken = TerraformStack.of(resource)
    .node.findAll()
    .some(
      (c: IConstruct) =>
        c !== resource &&
        stableNames.get(c as TerraformResource) === name &&
        (c as TerraformResource).terraformResourceType === resource.terraformResourceType,
    );
  if (taken) {
    throw new Error(
      `${resource.terraformResourceType}.${name} is already defined in stack ${TerraformStack.of(resource).node.id}: ` +
        "use one construct of this kind per stack (addresses are fixed so state never moves)",
    );
  }
  resource.overrideLogicalId(name);
  stableNames.set(resource, name);
  return resource;
}

/** The resource's address, `<type>.<name>`, as fixed by {@link stableName}. */
export function address(resource: TerraformResource): string {
  const name = stableNames.get(resource);
  if (!name) throw new Error(`${resource.node.path}: call stableName() before referencing it by address`);
  return `${resource.terraformResourceType}.${name}`;
}

/**
 * Concatenate strings. Use this, not a template literal, for any string that is passed into a
 * `Fn.*` call: CDKTF cannot nest a token-bearing template literal inside a function call.
 */
export function join(...parts: string[]): string {
  return parts.some(isToken) ? Fn.join("", parts) : parts.join("");
}

/** `merge(a, b)`: keys of `b` win. Folds to a plain object when both are literals. */
export function mergeMaps(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  if (!Token.isUnresolved(a) && !Token.isUnresolved(b)) return { ...a, ...b };
  return Token.asStringMap(Fn.merge([a, b]));
}
