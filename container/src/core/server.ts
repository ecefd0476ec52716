/**
 * Builds the `McpServer` for one request. The stateless Streamable HTTP transport handles exactly
 * one request, and a connected server cannot be re-connected, so each request gets a fresh server
 * with the tools registered against that request's context (tenant, auth, logger).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import type { RequestContext } from "./context.js";
import { silentLogger } from "./logger.js";

/**
 * Registers one tool (or a few related ones) on `server`, with `server.registerTool`.
 * Receives the request context so a tool can use the caller's tenant or logger.
 */
export type ToolRegistration = (server: McpServer, ctx: RequestContext) => void;

export interface McpServerOptions {
  /** `serverInfo.name` in the InitializeResult. */
  readonly name: string;
  /** `serverInfo.version` in the InitializeResult. */
  readonly version: string;
  /** Tools offered by every request's server, in `tools/list` order. */
  readonly tools: readonly ToolRegistration[];
  /** Optional `instructions` returned from `initialize` (a hint for the model). */
  readonly instructions?: string;
  /** Capabilities declared besides those the SDK infers from registrations (tools, resources, prompts). */
  readonly capabilities?: ServerCapabilities;
}

/** A function returning a new, unconnected `McpServer` for one request. */
export type McpServerFactory = (ctx: RequestContext) => McpServer;

/**
 * The SDK's Ajv validator, built on first use. The SDK's server uses it only to check elicitation
 * results (SDK 1.x `Server.elicitInput`), which none of this server's tools request, so a cold
 * start need not build Ajv with its formats (about 4 ms).
 */
export function lazyAjvValidator(): jsonSchemaValidator {
  let ajv: AjvJsonSchemaValidator | undefined;
  return { getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema) };
}

/**
 * Returns a factory that creates a new `McpServer` with `options.tools` for each request.
 * One JSON Schema validator (Ajv, built on first use) is shared by all of them: the SDK would
 * otherwise build a new Ajv instance with its formats per server, a few milliseconds and much
 * garbage on every request.
 */
export function createMcpServerFactory(options: McpServerOptions): McpServerFactory {
  const jsonSchemaValidator = lazyAjvValidator();
  return (ctx) => {
    const server = new McpServer(
      { name: options.name, version: options.version },
      {
        jsonSchemaValidator,
        ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
        ...(options.capabilities === undefined ? {} : { capabilities: options.capabilities }),
      },
    );
    for (const register of options.tools) register(server, ctx);
    return server;
  };
}

/**
 * Names of the tools `tools` register, in registration order: each registration runs once against a
 * probe server and a probe request context (no tenant, no auth), with `registerTool` observed. For
 * metering, which must know the offered tools before a request runs. A registration that registers a
 * tool only for some contexts is seen as it behaves for the probe context.
 */
export function registeredToolNames(tools: readonly ToolRegistration[]): string[] {
  const server = new McpServer({ name: "probe", version: "0" });
  const names: string[] = [];
  const original = server.registerTool.bind(server) as (name: string, ...rest: unknown[]) => unknown;
  (server as unknown as { registerTool: typeof original }).registerTool = (name, ...rest) => {
    names.push(name);
    return original(name, ...rest);
  };
  // Registrations read the context only when a tool runs; the probe never runs one. No `Request`
  // here: the first one loads Node's fetch implementation, which the first real request pays anyway.
  const ctx = { url: new URL("http://probe.invalid/"), requestId: "probe", receivedAt: 0, logger: silentLogger, maxBodyBytes: 0 } as unknown as RequestContext;
  for (const register of tools) register(server, ctx);
  return names;
}
