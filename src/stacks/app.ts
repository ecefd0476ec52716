import { App } from "cdktf";
import { EnvironmentStack } from "./environment-stack.js";
import { ENVIRONMENTS, type EnvironmentSettings } from "./environments.js";

/**
 * The deployable app: one {@link EnvironmentStack} per environment. `outdir` defaults to
 * CDKTF's (`cdktf.out`, or `CDKTF_OUTDIR` under the CLI).
 */
export function buildApp(options: { outdir?: string; environments?: readonly EnvironmentSettings[] } = {}): App {
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  for (const settings of options.environments ?? ENVIRONMENTS) new EnvironmentStack(app, settings);
  return app;
}
