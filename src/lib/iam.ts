/**
 * IAM policy documents as Terraform `jsonencode(...)` expressions.
 *
 * Statements are plain objects in IAM's own JSON grammar (IAM User Guide, "IAM JSON policy
 * element reference"), so what the module emits is what AWS evaluates and what a policy
 * simulator can read back. Optional statements fold away when their condition is a literal.
 */
import { Fn, Token } from "cdktf";
import { ifElse, isToken, type Bool } from "./expr.js";

/** One IAM statement. `Action` is never a wildcard in this project (FedRAMP AC-6). */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  /** Omitted only in resource policies that name their resource implicitly (ECR repositories). */
  readonly Resource?: string | readonly string[] | undefined;
  readonly Principal?: Record<string, string | readonly string[]>;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A group of statements that is present only when `when` holds. */
export interface StatementGroup {
  readonly when: Bool;
  readonly statements: readonly PolicyStatement[];
}

/**
 * IAM policy variables such as `${aws:PrincipalTag/tenant_id}` as Terraform must see them in a
 * literal string (`$${...}`), so Terraform writes them through instead of interpolating.
 */
function escapeTemplate(json: string): string {
  return json.replace(/\$\{/g, () => "$${");
}

/**
 * A policy document as a string: plain JSON when every statement is a literal (what a policy
 * simulator reads back from the synthesized JSON), else `jsonencode({Version, Statement})`.
 * Write IAM policy variables as IAM spells them (`${aws:PrincipalTag/tenant_id}`); both forms
 * escape them for Terraform.
 * @throws Error when a statement has an empty `Resource` or a `*` in an action: both are
 *   mistakes this project never ships (an empty Resource is rejected by IAM).
 */
export function policyDocument(groups: readonly StatementGroup[]): string {
  for (const { statements } of groups) {
    for (const s of statements) {
      const actions = typeof s.Action === "string" ? [s.Action] : s.Action;
      if (actions.some((a) => a.includes("*"))) throw new Error(`IAM statement ${s.Sid}: wildcard action ${actions.join(",")}`);
      if (Array.isArray(s.Resource) && s.Resource.length === 0) throw new Error(`IAM statement ${s.Sid}: empty Resource`);
    }
  }
  groups = groups.map((g) => ({ ...g, statements: g.statements.map(unwrapListTokens) }));
  const literal = groups.filter((g) => !isToken(g.when));
  if (literal.length === groups.length && !groups.some((g) => isToken(g.statements))) {
    return escapeTemplate(JSON.stringify({ Version: "2012-10-17", Statement: groups.filter((g) => g.when).flatMap((g) => g.statements) }));
  }
  const conditional = groups.filter((g) => isToken(g.when));
  const always = literal.filter((g) => g.when).flatMap((g) => g.statements);
  const statement =
    conditional.length === 0
      ? always
      : Fn.concat([always, ...conditional.map((g) => ifElse(g.when, g.statements, [] as readonly PolicyStatement[]))]);
  return Token.asString(Fn.jsonencode({ Version: "2012-10-17", Statement: statement }));
}

/**
 * A list variable (`var.actions`) arrives as CDKTF's encoded list, which cannot sit inside a
 * `jsonencode` object; pass it on as the expression it stands for.
 */
function unwrapListTokens(statement: PolicyStatement): PolicyStatement {
  const unwrap = (v: unknown) => (Array.isArray(v) && Token.isUnresolved(v) ? Token.asAny(v) : v);
  return {
    ...statement,
    Action: unwrap(statement.Action) as PolicyStatement["Action"],
    Resource: unwrap(statement.Resource) as PolicyStatement["Resource"],
  };
}
