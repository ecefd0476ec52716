/**
 * A deliberately tiny structured logger interface. The JSON-lines implementation below is the
 * default; AWS Lambda Powertools `Logger` can replace it later behind the same interface
 * (its `debug/info/warn/error(message, attributes)` and `createChild` map onto these methods).
 */

import { LOG_LEVELS } from "../contract/index.js";

/** Log levels, lowest to highest; `silent` disables output. Names follow Powertools' `LOG_LEVEL`. */
export { LOG_LEVELS };
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra structured fields of one log line. An `Error` value is serialized with name, message and stack. */
export type LogAttributes = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /** A logger that adds `attributes` to every line (e.g. the request id). */
  child(attributes: LogAttributes): Logger;
}

export interface JsonLoggerOptions {
  /** Minimum level written. @default "info" */
  readonly level?: LogLevel;
  /** `service` field of every line (Powertools' key name). */
  readonly service?: string;
  /** Line sink. @default writes to `process.stdout` (one JSON object per line) */
  readonly write?: (line: string) => void;
  /** Clock, for tests. @default `() => new Date()` */
  readonly now?: () => Date;
}

const rank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      stack: value.stack,
      ...(value.cause === undefined ? {} : { cause: serialize(value.cause) }),
    };
  }
  return value;
}

/**
 * Creates a logger that writes one JSON object per line:
 * `{"level":"INFO","message":"...","timestamp":"<ISO 8601>","service":"...", ...attributes}`.
 * Keys match Powertools Logger output so CloudWatch Logs Insights queries survive the swap.
 * Writes go to stdout directly (not `console.*`), so the Lambda runtime does not prefix them
 * and each line stays valid JSON.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = rank(options.level ?? "info");
  const write = options.write ?? ((line: string) => void process.stdout.write(line + "\n"));
  const now = options.now ?? (() => new Date());
  const base: LogAttributes = options.service === undefined ? {} : { service: options.service };

  const make = (bound: LogAttributes): Logger => {
    const emit = (level: LogLevel, message: string, attributes?: LogAttributes): void => {
      if (rank(level) < threshold) return;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries({ ...bound, ...attributes })) fields[key] = serialize(value);
      let line: string;
      try {
        line = JSON.stringify({ level: level.toUpperCase(), message, timestamp: now().toISOString(), ...fields });
      } catch {
        // Circular or BigInt attributes: keep the line, drop the attributes.
        line = JSON.stringify({ level: level.toUpperCase(), message, timestamp: now().toISOString(), ...base });
      }
      write(line);
    };
    return {
      debug: (message, attributes) => emit("debug", message, attributes),
      info: (message, attributes) => emit("info", message, attributes),
      warn: (message, attributes) => emit("warn", message, attributes),
      error: (message, attributes) => emit("error", message, attributes),
      child: (attributes) => make({ ...bound, ...attributes }),
    };
  };
  return make(base);
}

/** A logger that discards everything (tests, embedding). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
