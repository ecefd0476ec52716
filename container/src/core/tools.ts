/**
 * Tools as data. A tool is `{ name, config, handler, cacheable }`: `config` is exactly what the SDK's
 * `McpServer.registerTool` takes (title, description, inputSchema, outputSchema, annotations, _meta;
 * MCP spec 2025-06-18, Server > Tools), and `handler` receives the validated arguments plus this
 * request's context. Because the list is data, the offered tool names are read from it (the metrics
 * and usage stages record only those names) and a wrapper such as the tool-result cache replaces a
 * handler instead of intercepting registration.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { AnySchema, SchemaOutput, ShapeOutput, ZodRawShapeCompat } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { CallToolResult, ServerNotification, ServerRequest, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { RequestContext } from "./context.js";

/** A tool's input schema: a zod object (built once; preferred), a raw zod shape, or none. */
export type ToolInputSchema = undefined | ZodRawShapeCompat | AnySchema;

/** The arguments a handler receives: the input schema's output type (`{}` without a schema). */
export type ToolArguments<Input extends ToolInputSchema> = Input extends ZodRawShapeCompat
  ? ShapeOutput<Input>
  : Input extends AnySchema
    ? SchemaOutput<Input>
    : Record<string, never>;

/** The SDK's per-call extras: `signal`, `_meta` (progress token), `sendNotification`, `sendRequest`, `authInfo`. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The second argument of `McpServer.registerTool` (SDK 1.x). */
export interface ToolConfig<Input extends ToolInputSchema = ToolInputSchema> {
  /** Human-readable name shown by clients. */
  readonly title?: string;
  /** What the tool does and when to use it (read by the model). */
  readonly description?: string;
  /** Validates `tools/call` arguments; invalid arguments are a tool error the model can read. */
  readonly inputSchema?: Input;
  /** Declares and validates `structuredContent`. */
  readonly outputSchema?: ZodRawShapeCompat | AnySchema;
  /** Behaviour hints (`readOnlyHint`, `destructiveHint`, `idempotentHint`, `openWorldHint`). */
  readonly annotations?: ToolAnnotations;
  /** Protocol-level metadata published in `tools/list`. */
  readonly _meta?: Record<string, unknown>;
}

/**
 * Runs one `tools/call`.
 * @param args the arguments after `config.inputSchema` validated them
 * @param ctx this request's context (`ctx.tenant`, `ctx.auth`, `ctx.logger`)
 * @param extra the SDK's extras (cancellation signal, progress token, notifications)
 * @returns the `CallToolResult`; report failures the model can act on as `isError: true` results
 */
export type ToolHandler<Input extends ToolInputSchema = ToolInputSchema> = (
  args: ToolArguments<Input>,
  ctx: RequestContext,
  extra: ToolExtra,
) => CallToolResult | Promise<CallToolResult>;

/** Whether results may be served from the tool-result cache, and for how long (seconds; `true` = `MCP_TOOL_CACHE_TTL_SECONDS`). */
export type ToolCaching = boolean | { readonly ttlSeconds: number };

/** One tool of the server. */
export interface ToolDefinition<Input extends ToolInputSchema = ToolInputSchema> {
  /** Tool name, unique in the server: 1-128 of `A-Z a-z 0-9 _ - .` (MCP spec 2025-11-25, Server > Tools > Tool names). */
  readonly name: string;
  /** Passed to `McpServer.registerTool` unchanged. */
  readonly config: ToolConfig<Input>;
  /** See {@link ToolHandler} (declared as a method, so a list of tools with different arguments type-checks). */
  handler(args: ToolArguments<Input>, ctx: RequestContext, extra: ToolExtra): CallToolResult | Promise<CallToolResult>;
  /**
   * `true` (or a TTL) when the result depends only on the arguments and the caller's tenant, so the
   * tool-result cache may answer a repeated call. @default false
   */
  readonly cacheable?: ToolCaching;
  /**
   * OAuth scopes the caller's access token must carry to call this tool, on top of the scope every
   * request needs (`MCP_JWT_REQUIRED_SCOPE`). A token without them gets HTTP 403 with
   * `WWW-Authenticate: Bearer error="insufficient_scope", scope="..."` before the tool runs, so the
   * client can ask the user to authorize again with more scopes (MCP 2025-11-25 Authorization, "Scope
   * Challenge Handling"; RFC 6750 section 3.1). Enforced only with authentication on. @default none
   */
  readonly requiredScopes?: readonly string[];
}

/** A tool of any input schema, as tool lists hold them. */
export type AnyToolDefinition = ToolDefinition<ToolInputSchema>;

/**
 * Returns `tool` unchanged; only infers the handler's argument types from `config.inputSchema`.
 * @example defineTool({ name: "echo", config: { inputSchema: z.object({ text: z.string() }) }, handler: ({ text }) => ({ content: [{ type: "text", text }] }) })
 */
export function defineTool<Input extends ToolInputSchema = undefined>(tool: ToolDefinition<Input>): ToolDefinition<Input> {
  return tool;
}

/**
 * Registers what is not a tool (resources, prompts) or adjusts the server's request handlers; runs on
 * every request's server after the tools are registered.
 */
export type ServerExtension = (server: McpServer, ctx: RequestContext) => void;

type RegisterTool = (
  name: string,
  config: ToolConfig,
  callback: (...callbackArgs: unknown[]) => CallToolResult | Promise<CallToolResult>,
) => unknown;

/** Registers `tool` on `server` with its handler bound to `ctx`. */
export function registerTool(server: McpServer, tool: AnyToolDefinition, ctx: RequestContext): void {
  const register = server.registerTool.bind(server) as unknown as RegisterTool;
  // Without an input schema the SDK calls the callback with the extras only.
  register(
    tool.name,
    tool.config,
    tool.config.inputSchema === undefined
      ? (extra) => tool.handler({}, ctx, extra as ToolExtra)
      : (args, extra) => tool.handler(args, ctx, extra as ToolExtra),
  );
}
