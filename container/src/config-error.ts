/** The configuration error of the Lambda entries (no dependencies, so the router can use it without zod). */

/** Thrown by `loadConfig` (config.ts) and `loadRouterConfig` (tenant-router/config.ts); `message` names every invalid variable, its value and what is allowed. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** One entry per invalid variable, e.g. `MCP_RESPONSE_MODE="xml": must be one of "sse", "json"`. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.problems = problems;
  }
}
