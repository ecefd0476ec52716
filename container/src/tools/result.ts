import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/**
 * A successful tool result with `structuredContent` and, for clients that only read `content`,
 * the same object serialized as JSON text (MCP spec 2025-06-18, Server > Tools > Structured Content:
 * "a tool that returns structured content SHOULD also return the serialized JSON in a TextContent block").
 */
export function toolResult<T extends Record<string, unknown>>(value: T): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/**
 * A tool execution error (`isError: true`) the model can read and act on (MCP spec 2025-06-18,
 * Server > Tools > Error Handling: tool errors are reported in the result, not as JSON-RPC errors).
 */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
