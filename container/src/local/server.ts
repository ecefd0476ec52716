/**
 * Local development server: the same core as on Lambda, served over Node's HTTP server through
 * `@hono/node-server`'s request listener. `npm start` runs this file; it serves
 * `http://127.0.0.1:3000/mcp` by default (HOST, PORT and the other variables of config.ts apply).
 * Responses are buffered exactly as on Lambda. Requests with more than one `Host`, or an absolute-form
 * target naming another host, are refused with 400 before the core (request-line.ts, RFC 9112).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { createLocalHandler } from "./handler.js";
import type { McpFetchHandler } from "../core/handler.js";
import type { Logger } from "../core/logger.js";
import { JsonRpcErrorCode } from "../core/errors.js";
import { createPowertoolsLogger } from "../observability/powertools.js";
import { requestLineProblem } from "./request-line.js";

export { LOOPBACK_HOSTS, isLoopback, createLocalHandler } from "./handler.js";

export interface LocalServerOptions {
  /** TCP port; 0 picks a free ephemeral port. @default config.port (3000) */
  readonly port?: number;
  /** Interface to bind. @default config.host ("127.0.0.1") */
  readonly host?: string;
  /** Configuration. @default loadConfig() from process.env */
  readonly config?: Config;
  /** The handler to serve. @default createLocalHandler(config) */
  readonly handler?: McpFetchHandler;
}

export interface LocalServer {
  /** The MCP endpoint URL with the port actually bound, e.g. `http://127.0.0.1:49152/mcp`. */
  readonly url: URL;
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting connections, closes idle and open ones, and resolves when the server is closed. */
  close(): Promise<void>;
}

/**
 * Starts the local server and resolves once it is listening.
 * @throws ConfigError when `options.config` is omitted and the environment is invalid
 * @throws Error from `listen` (e.g. EADDRINUSE)
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const config = options.config ?? loadConfig();
  const host = options.host ?? config.host;
  const handler = options.handler ?? (await createLocalHandler({ ...config, host }));
  const port = options.port ?? config.port;

  // overrideGlobalObjects: false keeps the global Request/Response untouched (shared with tests).
  const listener = getRequestListener((request, env) => handler(request, { sourceIp: env.incoming.socket.remoteAddress }), {
    overrideGlobalObjects: false,
  });
  const server = createServer((request, response) => {
    const problem = requestLineProblem(request);
    if (problem === undefined) return void listener(request, response);
    const body = JSON.stringify({
      jsonrpc: "2.0",
      error: { code: JsonRpcErrorCode.InvalidRequest, message: `Bad Request: ${problem}` },
      id: null,
    });
    response.writeHead(400, { "content-type": "application/json", "cache-control": "no-store", connection: "close" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: new URL(`http://${urlHost}:${bound}${config.path}`),
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger: Logger = createPowertoolsLogger({
    level: config.logLevel,
    serviceName: config.serviceName,
    persistentKeys: { environment: config.environment },
  });
  const server = await startLocalServer({ config, handler: await createLocalHandler(config, { logger }) });
  logger.info(`MCP server listening on ${server.url.href}`, { url: server.url.href });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Run only when executed directly (`npm start` / `tsx container/src/local/server.ts`), not when imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
