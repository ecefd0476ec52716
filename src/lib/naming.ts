import type { Construct } from "constructs";
import { equals, join, local, mergeMaps, type Bool } from "./expr.js";


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
