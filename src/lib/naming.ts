import type { Construct } from "constructs";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region/index.js";
import { equals, ifElse, isNull, isToken, join, local, mergeMaps, type Bool } from "./expr.js";

/** What every module of this project derives from its name and environment. */
export interface Naming {
  /** `<name>-<environment>` (`local.name_prefix` in a module): prefixes every resource name. */
  readonly prefix: string;
  /** `Environment` and `McpServer` tags, then the caller's (`local.tags`). */
  readonly tags: Record<string, string>;
  /** `environment == "prod"`: deletion protection and the like. */
  readonly isProd: Bool;
}

/** Derive {@link Naming} once per construct (from props with defaults applied); literals fold, tokens become named locals. */
export function naming(scope: Construct, props: { name: string; environment: string; tags: Record<string, string> }): Naming {
  return {
    prefix: local(scope, "name_prefix", join(props.name, "-", props.environment)),
    tags: local(scope, "tags", mergeMaps({ Environment: props.environment, McpServer: props.name }, props.tags)),
    isProd: equals(props.environment, "prod"),
  };
}

/**
 * The prefix of a module's IAM names (roles, managed policies), which IAM keeps per account, not
 * per Region: `iam_name_prefix` when given, else `<name>-<environment>-<region>`, so the same
 * `name` and `environment` deploy in two Regions of one account without EntityAlreadyExists.
 * @param region the provider's Region (see {@link currentRegion})
 */
export function iamNamePrefix(scope: Construct, prefix: string, explicit: string | undefined, region: string): string {
  if (explicit !== undefined && explicit !== null && !isToken(explicit)) return explicit;
  const derived = join(prefix, "-", region);
  return local(
    scope,
    "iam_name_prefix",
    explicit === undefined || explicit === null ? derived : ifElse(isNull(explicit), derived, explicit),
  );
}

/** The provider's Region, from a `data "aws_region" "current"` (its `id`, in 5.x and 6.x). */
export function currentRegion(scope: Construct): string {
  const region = new DataAwsRegion(scope, "region", {});
  region.overrideLogicalId("current");
  return region.id;
}
