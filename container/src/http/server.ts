/**
 * The container side of the public API: the same MCP server as on Lambda, served by Node's HTTP server
 * on a port, for ECS Fargate (behind an Application Load Balancer), Amazon Bedrock AgentCore Runtime,
 * or any container platform.
 *
 * - `POST /mcp` (`MCP_PATH`): Streamable HTTP (MCP spec 2025-06-18 / 2025-11-25). Stateless unless
 *   `MCP_SESSION_STORE` says otherwise: a request carrying an `Mcp-Session-Id` header the server did not
 *   issue is served, not refused, as AgentCore Runtime's MCP protocol contract asks (its platform
 *   adds that header for session affinity; AgentCore developer guide, "MCP protocol contract").
 * - `GET /health`: 200 `{"status":"ok","name","version"}` without authentication (load balancer
 *   target group health checks; it touches no dependency).
 *
 * Binds `0.0.0.0:8000` unless `HOST` / `PORT` are set (AgentCore Runtime's container contract:
 * host 0.0.0.0, port 8000, path /mcp).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { AppOverrides } from "../app.js";
import { ConfigError, loadConfig, type Config } from "../config.js";
import type { AnyToolDefinition } from "../core/tools.js";
import { createLocalHandler } from "../local/handler.js";
import { createRootLogger } from "../observability/powertools.js";

/** Where a container's server listens when `HOST` / `PORT` are not set (AgentCore Runtime: `0.0.0.0:8000`). */
export const CONTAINER_LISTEN_DEFAULTS = { host: "0.0.0.0", port: 8000 } as const;

/** How long {@link HttpServer.close} lets requests in flight finish before it closes their connections. @default 10000 ms */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions extends Omit<AppOverrides, "tools"> {
  /** The tools the server offers (`defineTool`). @default the runtime's built-in tools */
  readonly tools?: readonly AnyToolDefinition[];
  /**
   * Configuration. @default `loadConfig()` of the environment, with `HOST` and `PORT` defaulting to
   * {@link CONTAINER_LISTEN_DEFAULTS} instead of the local development server's loopback defaults
   */
  readonly config?: Config;
  /** TCP port (0 = any free port). @default `config.port` */
  readonly port?: number;
  /** Interface to bind. @default `config.host` */
  readonly host?: string;
}

/** A listening server. */
export interface HttpServer {
  /** The MCP endpoint with the port actually bound, e.g. `http://0.0.0.0:8000/mcp`. */
  readonly url: URL;
  /** The port actually bound. */
  readonly port: number;
  /** The underlying Node server. */
  readonly server: Server;
  /**
   * Graceful stop: stops accepting connections, closes idle keep-alive connections, lets requests in
   * flight finish for up to `graceMs` milliseconds, then closes what is left; resolves when closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** The environment with the container defaults for `HOST` and `PORT` where they are not set. */
export function containerEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string | undefined> {
  return {
    ...env,
    HOST: env.HOST?.trim() ? env.HOST : CONTAINER_LISTEN_DEFAULTS.host,
    PORT: env.PORT?.trim() ? env.PORT : String(CONTAINER_LISTEN_DEFAULTS.port),
  };
}

/**
 * Builds the app (as `createLambdaHandler` does, minus the Lambda adapter) and starts listening.
 * @returns once the server is listening
 * @throws ConfigError naming the variable when `options.config` is omitted and the environment is invalid
 * @throws Error from `listen` (e.g. `EADDRINUSE`)
 * @example const server = await createHttpServer({ tools: [myTool] }); process.once("SIGTERM", () => server.close());
 */
export async function createHttpServer(options: HttpServerOptions = {}): Promise<HttpServer> {
  const { config: given, port: givenPort, host: givenHost, ...overrides } = options;
  const config = given ?? loadConfig(containerEnvironment());
  const host = givenHost ?? config.host;
  const port = givenPort ?? config.port;
  const logger = overrides.logger ?? createRootLogger(config);
  const handler = await createLocalHandler({ ...config, host }, { ...overrides, logger });

  // overrideGlobalObjects: false keeps the global Request/Response untouched.
  const listener = getRequestListener((request, env) => handler(request, { sourceIp: env.incoming.socket.remoteAddress }), {
    overrideGlobalObjects: false,
  });
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: new URL(`http://${urlHost}:${bound}${config.path}`),
    port: bound,
    server,
    close: (graceMs = DEFAULT_SHUTDOWN_GRACE_MS) =>
      (closing ??= new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close((error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      })),
  };
}

/**
 * Runs {@link createHttpServer} as a process: logs where it listens, and on SIGTERM (ECS stops a task
 * with SIGTERM, then SIGKILL after the container's stop timeout, 30 s by default) or SIGINT stops
 * gracefully and exits 0. An invalid environment is printed and exits 1.
 */
export async function runHttpServer(options: HttpServerOptions = {}): Promise<HttpServer> {
  let config: Config;
  try {
    config = options.config ?? loadConfig(containerEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = options.logger ?? createRootLogger(config);
  let server: HttpServer;
  try {
    server = await createHttpServer({ ...options, config, logger });
  } catch (error) {
    // e.g. EADDRINUSE: one log line, no stack trace on the console
    logger.error(`cannot listen on ${options.host ?? config.host}:${options.port ?? config.port}`, { error });
    process.exit(1);
  }
  logger.info(`MCP server listening on ${server.url.href}`, { url: server.url.href });
  const stop = (signal: NodeJS.Signals): void => {
    logger.info("shutting down", { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return server;
}
