/**
 * Builds the `McpServer` for one request. The stateless Streamable HTTP transport handles exactly
 * one request, and a connected server cannot be re-connected, so each request gets a fresh server
 * with the tools (core/tools.ts) bound to that request's context (tenant, auth, logger).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import type { RequestContext } from "./context.js";
import { registerTool, type AnyToolDefinition, type ServerExtension } from "./tools.js";

export interface McpServerOptions {
  /** `serverInfo.name` in the InitializeResult. */
  readonly name: string;
  /** `serverInfo.version` in the InitializeResult. */
  readonly version: string;
  /** Tools offered by every request's server, in `tools/list` order. */
  readonly tools: readonly AnyToolDefinition[];
  /** Applied to every request's server after the tools (resources, prompts). */
  readonly extensions?: readonly ServerExtension[];
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
    for (const tool of options.tools) registerTool(server, tool, ctx);
    for (const extend of options.extensions ?? []) extend(server, ctx);
    return server;
  };
}
