/**
 * Fixtures of the official MCP conformance suite (`@modelcontextprotocol/conformance`, server
 * scenarios): the tools, resources and prompts its scenarios call by name. Loaded and registered only
 * when `MCP_CONFORMANCE_FIXTURES=true` (tests); never in a deployed server.
 *
 * Not registered, because they cannot work on Lambda behind an HTTP API (see
 * test/container/conformance-baseline.yml for the scenario list and reasons):
 * - `test_sampling`, `test_elicitation`, `test_elicitation_sep1034_defaults`,
 *   `test_elicitation_sep1330_enums`: a tool would have to await the client's answer to a
 *   server-to-client request, which arrives as a separate POST, i.e. another invocation; and the
 *   buffered response would deliver the request only after the tool returned.
 * - `test_reconnection`: closes the SSE stream mid-call and expects a resumed GET stream (SEP-1699).
 * - resource subscriptions: `notifications/resources/updated` needs a standing server-to-client stream.
 */
import { ListToolsRequestSchema, type ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import { z } from "zod";
import { defineTool, type AnyToolDefinition, type ServerExtension } from "../core/tools.js";

/** A 1x1 red PNG. */
export const RED_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

/** A valid 8 kHz mono 16-bit PCM WAV of 8 silent samples (RIFF/WAVE header, 44 bytes, + 16 data bytes). */
export function silentWav(): string {
  const samples = 8;
  const data = samples * 2;
  const buffer = Buffer.alloc(44 + data);
  buffer.write("RIFF", 0, "ascii");
  buffer.writeUInt32LE(36 + data, 4);
  buffer.write("WAVE", 8, "ascii");
  buffer.write("fmt ", 12, "ascii");
  buffer.writeUInt32LE(16, 16); // fmt chunk size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(8000, 24); // sample rate
  buffer.writeUInt32LE(16000, 28); // byte rate
  buffer.writeUInt16LE(2, 32); // block align
  buffer.writeUInt16LE(16, 34); // bits per sample
  buffer.write("data", 36, "ascii");
  buffer.writeUInt32LE(data, 40);
  return buffer.toString("base64");
}

const JSON_SCHEMA_2020_12_TOOL = "json_schema_2020_12_tool";
const JSON_SCHEMA_2020_12_INPUT = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
  properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
  additionalProperties: false,
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const noArgs = {};

/** The fixture tools, in `tools/list` order. */
export const conformanceTools: readonly AnyToolDefinition[] = [
  defineTool({
    name: "test_simple_text",
    config: { description: "Returns simple text", inputSchema: noArgs },
    handler: () => ({ content: [{ type: "text", text: "This is a simple text response for testing." }] }),
  }),
  defineTool({
    name: "test_image_content",
    config: { description: "Returns image content", inputSchema: noArgs },
    handler: () => ({ content: [{ type: "image", data: RED_PIXEL_PNG, mimeType: "image/png" }] }),
  }),
  defineTool({
    name: "test_audio_content",
    config: { description: "Returns audio content", inputSchema: noArgs },
    handler: () => ({ content: [{ type: "audio", data: silentWav(), mimeType: "audio/wav" }] }),
  }),
  defineTool({
    name: "test_embedded_resource",
    config: { description: "Returns an embedded resource", inputSchema: noArgs },
    handler: () => ({
      content: [
        {
          type: "resource",
          resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." },
        },
      ],
    }),
  }),
  defineTool({
    name: "test_multiple_content_types",
    config: { description: "Returns text, image and resource", inputSchema: noArgs },
    handler: () => ({
      content: [
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: RED_PIXEL_PNG, mimeType: "image/png" },
        {
          type: "resource",
          resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: '{"test":"data","value":123}' },
        },
      ],
    }),
  }),
  defineTool({
    name: "test_tool_with_logging",
    config: { description: "Sends three log notifications", inputSchema: noArgs },
    handler: async (_args, _ctx, extra) => {
      const log = (data: string) => extra.sendNotification({ method: "notifications/message", params: { level: "info", data } });
      await log("Tool execution started");
      await sleep(50);
      await log("Tool processing data");
      await sleep(50);
      await log("Tool execution completed");
      return { content: [{ type: "text", text: "Tool with logging executed successfully" }] };
    },
  }),
  defineTool({
    name: "test_tool_with_progress",
    config: { description: "Reports progress 0, 50, 100 of 100", inputSchema: noArgs },
    handler: async (_args, _ctx, extra) => {
      const token = extra._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (token !== undefined)
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, total: 100 } });
        if (progress < 100) await sleep(50);
      }
      return { content: [{ type: "text", text: "Tool with progress executed successfully" }] };
    },
  }),
  defineTool({
    name: "test_error_handling",
    config: { description: "Always fails", inputSchema: noArgs },
    handler: () => ({ isError: true, content: [{ type: "text", text: "This tool intentionally returns an error for testing" }] }),
  }),
  defineTool({
    name: JSON_SCHEMA_2020_12_TOOL,
    config: {
      description: "Tool with JSON Schema 2020-12 features",
      inputSchema: {
        name: z.string().optional(),
        address: z.object({ street: z.string().optional(), city: z.string().optional() }).optional(),
      },
    },
    handler: ({ name }) => ({ content: [{ type: "text", text: `hello ${name ?? "anonymous"}` }] }),
  }),
];

function publishJsonSchema2020(server: McpServer): void {
  // The SDK renders zod input schemas as JSON Schema draft-07; the suite checks that a 2020-12 schema
  // ($schema, $defs, additionalProperties) is passed through verbatim (SEP-1613). Wrap tools/list to
  // publish the fixture's schema exactly as written. (Registered after the tools, so the SDK's own
  // handler exists and is not installed again over this one.)
  const handlers = (
    server.server as unknown as { _requestHandlers: Map<string, (request: unknown, extra: unknown) => Promise<ListToolsResult>> }
  )._requestHandlers;
  const list = handlers.get("tools/list");
  if (list !== undefined) {
    server.server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
      const result = await list(request, extra);
      return {
        ...result,
        tools: result.tools.map((tool) =>
          tool.name === JSON_SCHEMA_2020_12_TOOL ? { ...tool, inputSchema: JSON_SCHEMA_2020_12_INPUT } : tool,
        ),
      };
    });
  }
}

function registerResources(server: McpServer): void {
  server.registerResource(
    "static-text",
    "test://static-text",
    { description: "A static text resource", mimeType: "text/plain" },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: "text/plain", text: "This is the content of the static text resource." }],
    }),
  );
  server.registerResource(
    "static-binary",
    "test://static-binary",
    { description: "A static binary resource", mimeType: "image/png" },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: "image/png", blob: RED_PIXEL_PNG }],
    }),
  );
  server.registerResource(
    "watched-resource",
    "test://watched-resource",
    { description: "A resource clients may read", mimeType: "text/plain" },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: "text/plain", text: "watched" }],
    }),
  );
  server.registerResource(
    "template",
    new ResourceTemplate("test://template/{id}/data", { list: undefined }),
    { description: "A resource template with an id parameter", mimeType: "application/json" },
    (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "application/json",
          text: JSON.stringify({ id: String(id), templateTest: true, data: `Data for ID: ${String(id)}` }),
        },
      ],
    }),
  );
}

function registerPrompts(server: McpServer): void {
  server.registerPrompt("test_simple_prompt", { description: "A prompt without arguments" }, () => ({
    messages: [{ role: "user", content: { type: "text", text: "This is a simple prompt for testing." } }],
  }));
  server.registerPrompt(
    "test_prompt_with_arguments",
    {
      description: "A prompt with two arguments",
      argsSchema: {
        arg1: completable(z.string().describe("First test argument"), (value) =>
          ["paris", "park", "party"].filter((v) => v.startsWith(value)),
        ),
        arg2: z.string().describe("Second test argument"),
      },
    },
    ({ arg1, arg2 }) => ({
      messages: [{ role: "user", content: { type: "text", text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
    }),
  );
  server.registerPrompt(
    "test_prompt_with_embedded_resource",
    { description: "A prompt that embeds a resource", argsSchema: { resourceUri: z.string().describe("URI of the resource to embed") } },
    ({ resourceUri }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "resource",
            resource: { uri: resourceUri, mimeType: "text/plain", text: "Embedded resource content for testing." },
          },
        },
        { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
      ],
    }),
  );
  server.registerPrompt("test_prompt_with_image", { description: "A prompt with an image" }, () => ({
    messages: [
      { role: "user", content: { type: "image", data: RED_PIXEL_PNG, mimeType: "image/png" } },
      { role: "user", content: { type: "text", text: "Please analyze the image above." } },
    ],
  }));
}

/** The resources, resource template and prompts (with completion), and the 2020-12 schema of `json_schema_2020_12_tool` in `tools/list`. */
export const conformanceExtension: ServerExtension = (server) => {
  publishJsonSchema2020(server);
  registerResources(server);
  registerPrompts(server);
};
