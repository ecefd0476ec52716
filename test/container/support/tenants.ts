/**
 * Helpers for the multi-tenant tests (tenancy, metering, router): a recording logger, a token
 * verifier that knows a few tokens (the JWT checks themselves are tested in auth.test.ts against a
 * real authorization server), a recording STS stand-in (STS cannot run here), and MCP requests.
 */
import type { AssumeRoleCommand, AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import type { TokenVerifier } from "../../../container/src/core/auth/types.js";
import { TokenRejectedError } from "../../../container/src/core/auth/types.js";
import { createJsonLogger, type Logger } from "../../../container/src/core/logger.js";
import type { McpFetchHandler } from "../../../container/src/core/handler.js";

/** A logger that keeps every line (all levels) as a parsed object. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** Environment of a server with authentication and tenant isolation (the verifier below replaces JWKS). */
export const TENANT_ENV = {
  LOG_LEVEL: "silent",
  MCP_AUTH_ENABLED: "true",
  MCP_JWT_ISSUER: "https://issuer.example.com",
  MCP_JWT_CLIENT_IDS: "client",
  MCP_TENANT_ISOLATION: "true",
} as const;

/** Accepts `token-<tenant>` and returns a verified token whose `tenant_id` claim is `<tenant>`. */
export const tenantTokenVerifier: TokenVerifier = async (token) => {
  const match = /^token-(.+)$/.exec(token);
  if (match === null) throw new TokenRejectedError("unknown test token");
  const tenant = match[1]!;
  return {
    token,
    claims: { tenant_id: tenant, client_id: "client", sub: `user-${tenant}` },
    clientId: "client",
    subject: `user-${tenant}`,
    scopes: [],
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  };
};

export interface FakeSts {
  readonly sts: { send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput> };
  /** Every command sent, in order. */
  readonly commands: AssumeRoleCommand[];
  /** Makes call number `n` (1-based) fail with `error`. */
  failCall(n: number, error: Error): void;
}

/**
 * Answers AssumeRole like STS: `AccessKeyId` `ASIA<n>` (n = call number, so each session is
 * recognisable), `Expiration` = clock + `DurationSeconds`. Each answer takes `delayMs`.
 */
export function fakeSts(now: () => number = Date.now, delayMs = 5): FakeSts {
  const commands: AssumeRoleCommand[] = [];
  const failures = new Map<number, Error>();
  return {
    commands,
    failCall: (n, error) => void failures.set(n, error),
    sts: {
      async send(command) {
        commands.push(command);
        const n = commands.length;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const failure = failures.get(n);
        if (failure !== undefined) throw failure;
        return {
          $metadata: { httpStatusCode: 200 },
          Credentials: {
            AccessKeyId: `ASIA${String(n).padStart(12, "0")}`,
            SecretAccessKey: `secret-${n}`,
            SessionToken: `session-token-${n}`,
            Expiration: new Date(now() + (command.input.DurationSeconds ?? 3600) * 1000),
          },
          AssumedRoleUser: {
            AssumedRoleId: `AROA:${command.input.RoleSessionName}`,
            Arn: `arn:aws:sts::123456789012:assumed-role/tenant/${command.input.RoleSessionName}`,
          },
        };
      },
    },
  };
}

export const MCP_HEADERS = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": "2025-06-18",
} as const;

/** POSTs one JSON-RPC message (or a batch) as `tenant` and returns the status and the JSON-RPC messages of the answer. */
export async function postAs(
  handler: McpFetchHandler,
  tenant: string,
  body: unknown,
  invocation: Parameters<McpFetchHandler>[1] = {},
): Promise<{ status: number; messages: Array<Record<string, unknown>> }> {
  const response = await handler(
    new Request("https://mcp.example.com/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer token-${tenant}` },
      body: JSON.stringify(body),
    }),
    invocation,
  );
  const text = await response.text();
  const messages = text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  return {
    status: response.status,
    messages: messages.length > 0 || text === "" ? messages : [JSON.parse(text) as Record<string, unknown>],
  };
}

/** A `tools/call` message. */
export const toolCall = (name: string, args: Record<string, unknown>, id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

/** The `structuredContent` of the (last) result in `messages`, or throws with the messages. */
export function structured(messages: Array<Record<string, unknown>>): Record<string, unknown> {
  const result = messages.at(-1)?.result as { structuredContent?: Record<string, unknown>; isError?: boolean } | undefined;
  if (result?.structuredContent === undefined || result.isError === true)
    throw new Error(`no structured result: ${JSON.stringify(messages)}`);
  return result.structuredContent;
}
