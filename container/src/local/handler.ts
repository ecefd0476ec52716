/**
 * The app handler for a server bound to a given interface (the local development server and the
 * container HTTP server share it). Separate from server.ts, whose `main()` runs when that file is the
 * process's entry, so a bundle can import this without starting the development server.
 */
import { createApp, type AppOverrides } from "../app.js";
import type { Config } from "../config.js";
import type { McpFetchHandler } from "../core/handler.js";

/** Host names of the loopback interface, as they appear in `Host` and `Origin`. */
export const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "[::1]"];

/** Whether `host` (a bind address) is a loopback address. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/**
 * The app handler for a local server bound to `host`. On a loopback address it also refuses `Host`
 * values other than loopback names and allows browser origins on loopback (any port), the
 * DNS-rebinding defence the MCP spec asks of local servers (2025-11-25, Security Best Practices).
 */
export async function createLocalHandler(config: Config, overrides: AppOverrides = {}): Promise<McpFetchHandler> {
  const loopback = isLoopback(config.host);
  return createApp(config, {
    ...(loopback ? { allowedHosts: LOOPBACK_HOSTS, extraAllowedOrigins: LOOPBACK_HOSTS.map((h) => `http://${h}:*`) } : {}),
    ...overrides,
  });
}
