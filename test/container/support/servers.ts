/**
 * Starts the project's server two ways for black-box tests over loopback HTTP: the local Node server,
 * and the Lambda handler behind the HTTP API shim (payload 2.0 events through the real adapter).
 */
import { request as httpRequest } from "node:http";
import { createApp, type AppOverrides } from "../../../container/src/app.js";
import type { Config } from "../../../container/src/config.js";
import { silentLogger } from "../../../container/src/core/logger.js";
import { createLambdaHandler } from "../../../container/src/lambda/adapter.js";
import { startHttpApiShim } from "../../../container/src/local/http-api-shim.js";
import { startLocalServer } from "../../../container/src/local/server.js";

export type Target = "local" | "lambda";

export interface RunningServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:40000/mcp`. */
  readonly url: URL;
  close(): Promise<void>;
}

/** Serves `config` (+ `overrides`) on 127.0.0.1 through the local server or the Lambda shim. */
export async function startTarget(target: Target, config: Config, overrides: AppOverrides = {}): Promise<RunningServer> {
  const handler = await createApp(config, { logger: silentLogger, ...overrides });
  if (target === "local") {
    const server = await startLocalServer({ port: 0, host: "127.0.0.1", config, handler });
    return { url: server.url, close: () => server.close() };
  }
  const shim = await startHttpApiShim({ handler: createLambdaHandler(handler, silentLogger) });
  return { url: new URL(config.path, shim.url), close: () => shim.close() };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request with full control of bytes and headers (fetch forbids some, e.g. `Host`, and
 * always sets `Content-Length` or chunking itself). `chunked: true` sends the body without a length.
 * Bounded by `timeoutMs`.
 */
export function rawRequest(
  url: URL,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer | undefined;
    chunked?: boolean;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (body !== undefined && !options.chunked) headers["content-length"] = String(body.length);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "POST",
        path: options.path ?? url.pathname + url.search,
        headers,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    if (body !== undefined) {
      if (options.chunked) {
        // Write in pieces so Node sends Transfer-Encoding: chunked.
        for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      } else {
        req.write(body);
      }
    }
    req.end();
  });
}

/** The JSON-RPC messages of a buffered SSE body or a JSON body. */
export function messagesOf(response: RawResponse): Array<Record<string, unknown>> {
  const type = String(response.headers["content-type"] ?? "");
  if (type.startsWith("text/event-stream")) {
    return response.body
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  }
  return response.body === "" ? [] : [JSON.parse(response.body) as Record<string, unknown>];
}
