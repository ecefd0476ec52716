/**
 * What every runtime of the peer benchmark shares: the tools and a minimal API Gateway payload 2.0
 * adapter for runtimes that take a web `Request` (the bare SDK, mcp-handler).
 *
 * Tools (the same for every runtime):
 * - `cidr_info`: this project's IPv4 CIDR calculator (container/src/tools/cidr-info.ts), the same input
 *   limits, output schema and result shape (`structuredContent` + the JSON as text);
 * - `notify` (only with `BENCH_PROBE=1`, the protocol probes): sends `notifications/progress` (when the
 *   request has a `progressToken`) and a `notifications/message` log line, then returns.
 */
import { z } from "zod";
import { cidrInfo, cidrInfoOutputSchema } from "../../../container/src/tools/cidr-info.ts";
import { toolError, toolResult } from "../../../container/src/tools/result.ts";

/** True in the probe processes: registers `notify` and declares the logging capability. */
export const PROBE = process.env.BENCH_PROBE === "1";

/** Server capabilities: tools, and logging in the probe processes (needed to send `notifications/message`). */
export const CAPABILITIES = PROBE ? { tools: {}, logging: {} } : { tools: {} };

export const CIDR_INFO = {
  name: "cidr_info",
  config: {
    title: "IPv4 CIDR calculator",
    description: "Describe an IPv4 CIDR block (network, broadcast, netmask, host counts, AWS VPC subnet view).",
    inputSchema: z.object({ cidr: z.string().min(1).max(64), ip: z.string().max(64).optional() }),
    outputSchema: cidrInfoOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  handler: ({ cidr, ip }) => {
    const result = cidrInfo(cidr, ip);
    return result.ok ? toolResult(result.value) : toolError(result.error);
  },
};

/**
 * `notify`: progress (0 of 1) when the call carries a progress token, one log line, then the result.
 * `extra` is SDK v1's `RequestHandlerExtra` or SDK v2's context (`ctx.mcpReq`).
 */
async function notifyHandler(_args, extra) {
  const send = extra.sendNotification ?? ((n) => extra.mcpReq.notify(n));
  const token = extra._meta?.progressToken ?? extra.mcpReq?._meta?.progressToken;
  if (token !== undefined) await send({ method: "notifications/progress", params: { progressToken: token, progress: 0, total: 1 } });
  await send({ method: "notifications/message", params: { level: "info", data: "notify: working" } });
  return { content: [{ type: "text", text: "notified" }] };
}

export const NOTIFY = {
  name: "notify",
  config: { description: "Sends a progress and a log notification before its result.", inputSchema: z.object({}) },
  handler: notifyHandler,
};

/** Registers the tools on an SDK `McpServer` (v1 or v2: both have `registerTool(name, config, handler)`). */
export function registerTools(server) {
  server.registerTool(CIDR_INFO.name, CIDR_INFO.config, CIDR_INFO.handler);
  if (PROBE) server.registerTool(NOTIFY.name, NOTIFY.config, NOTIFY.handler);
}

/** API Gateway HTTP API payload 2.0 event -> web `Request`. */
export function toRequest(event) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  const method = event.requestContext.http.method;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const body =
    event.body === undefined || method === "GET" || method === "HEAD"
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, "base64")
        : event.body;
  return new Request(`https://${event.requestContext.domainName}${event.rawPath}${query}`, { method, headers, body });
}

/** Web `Response` -> payload 2.0 result (body buffered as text). */
export async function fromResponse(response) {
  const headers = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, headers, body: await response.text(), isBase64Encoded: false };
}
