/**
 * Runtime configuration from environment variables: read and validated in this one place, mapped
 * once from ENV_NAMES to camelCase. Empty strings count as unset (Terraform often passes "").
 *
 * | variable            | default          | allowed                                              |
 * |---------------------|------------------|------------------------------------------------------|
 * | MCP_SERVER_NAME     | mcp-server-aws   | non-empty string (`serverInfo.name`)                 |
 * | MCP_SERVER_VERSION  | 0.1.0            | non-empty string (`serverInfo.version`)              |
 * | MCP_PATH            | /mcp             | path starting with `/`, no `?` or `#`                |
 * | MCP_RESPONSE_MODE   | sse              | `sse` or `json` (see core `ResponseMode`)            |
 * | LOG_LEVEL           | info             | trace, debug, info, warn, error, critical, silent (any case) |
 * | PORT                | 3000             | integer 0-65535 (local server only; 0 = ephemeral)   |
 * | HOST                | 127.0.0.1        | non-empty host name or IP (local server only)        |
 */
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "./core/logger.js";
import type { ResponseMode } from "./core/stages/mcp.js";

export interface Config {
  readonly serverName: string;
  readonly serverVersion: string;
  readonly path: string;
  readonly responseMode: ResponseMode;
  readonly logLevel: LogLevel;
  readonly port: number;
  readonly host: string;
}

const oneOf = (values: readonly string[]) => `must be one of ${values.map((v) => `"${v}"`).join(", ")}`;

const envSchema = z.object({
  MCP_SERVER_NAME: z.string({ error: "must be a non-empty string" }).min(1).default("mcp-server-aws"),
  MCP_SERVER_VERSION: z.string({ error: "must be a non-empty string" }).min(1).default("0.1.0"),
  MCP_PATH: z
    .string()
    .regex(/^\/[^?#\s]*$/, { error: 'must be a path starting with "/" without "?", "#" or spaces' })
    .default("/mcp"),
  MCP_RESPONSE_MODE: z.enum(["sse", "json"], { error: oneOf(["sse", "json"]) }).default("sse"),
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: oneOf(LOG_LEVELS) }))
    .default("info"),
  PORT: z
    .string()
    .regex(/^\d+$/, { error: "must be an integer 0-65535" })
    .transform(Number)
    .pipe(z.number().int().max(65535, { error: "must be an integer 0-65535" }))
    .default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
});

type EnvName = keyof z.input<typeof envSchema>;

/** Thrown by {@link loadConfig}; `message` names every invalid variable, its value and what is allowed. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** One entry per invalid variable, e.g. `MCP_RESPONSE_MODE="xml": must be one of "sse", "json"`. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.problems = problems;
  }
}

/**
 * Reads the configuration from `env` (default `process.env`); see the table at the top of this file.
 * @throws ConfigError naming each invalid variable with its value and the allowed values
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const input: Partial<Record<EnvName, string>> = {};
  for (const name of Object.keys(envSchema.shape) as EnvName[]) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") input[name] = value.trim();
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]) as EnvName;
        return `${name}=${JSON.stringify(input[name])}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    serverName: e.MCP_SERVER_NAME,
    serverVersion: e.MCP_SERVER_VERSION,
    path: e.MCP_PATH,
    responseMode: e.MCP_RESPONSE_MODE,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
  };
}
