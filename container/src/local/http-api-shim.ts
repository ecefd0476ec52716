/**
 * A local stand-in for API Gateway HTTP API in front of the Lambda handler: each HTTP request is
 * turned into a payload format 2.0 event, the handler is invoked in-process, and its structured
 * result is written back, as API Gateway would. Used to run the conformance suite, the bad-input
 * corpus and the benchmarks through the real Lambda adapter.
 *
 * Event shape: API Gateway developer guide, "Create AWS Lambda proxy integrations for HTTP APIs"
 * (payload format 2.0): lower-case header names, duplicate headers joined with commas, cookies in
 * `cookies` and not in `headers`, binary bodies base64-encoded. Not emulated: the JWT authorizer (the
 * function verifies tokens itself), throttling, the 30 s integration timeout.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isUtf8 } from "node:buffer";
import type { HttpApiEvent, HttpApiHandler } from "../lambda/adapter.js";
import { isTextContentType } from "../lambda/adapter.js";

/** HTTP API's request payload limit: 10 MB (API Gateway quotas for HTTP APIs). */
export const HTTP_API_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface HttpApiShimOptions {
  readonly handler: HttpApiHandler;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** 0 = ephemeral. @default 0 */
  readonly port?: number;
  /** Stage name; a named stage prefixes paths with `/<stage>` as execute-api does. @default "$default" */
  readonly stage?: string;
}

export interface HttpApiShim {
  /** Base URL, e.g. `http://127.0.0.1:41234` (append `/mcp`). */
  readonly url: URL;
  readonly port: number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > HTTP_API_MAX_PAYLOAD_BYTES) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Builds the payload 2.0 event for one Node request (exported for tests of the shim itself).
 * @param body the raw body bytes
 */
export function toHttpApiEvent(request: IncomingMessage, body: Buffer, stage: string): HttpApiEvent {
  const url = new URL(request.url ?? "/", "http://shim");
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    if (name === "cookie") continue;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const cookies = (request.headers.cookie ?? "")
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c !== "");
  // A body that is not valid UTF-8 travels base64-encoded, so the function sees its bytes unchanged.
  const text = isTextContentType(request.headers["content-type"] ?? null) && isUtf8(body);
  const now = new Date();
  const method = request.method ?? "GET";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "shim",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0]!,
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage,
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: text ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

async function serve(options: HttpApiShimOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  if (body === "too-large") {
    response.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ message: "Request Entity Too Large" }));
    return;
  }
  const result = await options.handler(toHttpApiEvent(request, body, options.stage ?? "$default"), { awsRequestId: randomUUID() });
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies !== undefined && result.cookies.length > 0) headers["set-cookie"] = result.cookies;
  const payload = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  headers["content-length"] = String(payload.length);
  response.writeHead(result.statusCode ?? 200, headers).end(payload);
}

/** Starts the shim on `host:port` and resolves once it listens. */
export async function startHttpApiShim(options: HttpApiShimOptions): Promise<HttpApiShim> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => {
    serve(options, request, response).catch(() => {
      // API Gateway answers 500 {"message":"Internal Server Error"} when the integration fails.
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "Internal Server Error" }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: new URL(`http://${host.includes(":") ? `[${host}]` : host}:${port}`),
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
