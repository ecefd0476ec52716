import { randomBytes } from "node:crypto";
import { HEADERS } from "../../contract/index.js";
import { readParsedBody } from "../body.js";
import type { RequestContext } from "../context.js";
import { dependencyFailure } from "../dependency.js";
import { McpHttpError } from "../errors.js";
import { isProtocolErrorResponse } from "../protocol.js";
import type { Stage } from "../pipeline.js";
import type { SessionKey, SessionStore } from "../sessions/store.js";

export interface SessionOptions {
  readonly store: SessionStore;
  /** Idle lifetime, seconds; each use moves the expiry when less than half of it is left. */
  readonly ttlSeconds: number;
  /** Clock, epoch milliseconds (tests). @default Date.now */
  readonly now?: () => number;
}

/** Session ids are 32 random bytes, base64url: visible ASCII only, as the spec requires. */
export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

/** Visible ASCII (0x21-0x7E), 1-128 characters (MCP spec 2025-06-18, Session Management). */
const SESSION_ID = /^[\x21-\x7e]{1,128}$/;

/** The tenant part of a session key: the verified tenant, or `-` without tenant isolation. */
export const NO_TENANT = "-";

/** The owner recorded with a session: `<client_id>|<sub>` of the verified token, else `anonymous`. */
export function sessionOwner(ctx: RequestContext): string {
  if (ctx.auth === undefined) return "anonymous";
  const subject = (ctx.auth.extra?.subject as string | undefined) ?? ctx.auth.clientId;
  return `${ctx.auth.clientId}|${subject}`;
}

/** Runs one store operation; its failure becomes 503 (outage) or 500 (see {@link dependencyFailure}). */
async function store<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw dependencyFailure("the session store", error);
  }
}

/**
 * The session slot (MCP spec 2025-06-18 / 2025-11-25, Streamable HTTP, "Session Management"):
 *
 * - POST `initialize` (alone): the MCP stage answers; on 200 a new session is stored for this tenant
 *   and owner and its id returned in `Mcp-Session-Id`.
 * - any other POST: `Mcp-Session-Id` missing -> 400; malformed -> 400; unknown, expired, ended, or
 *   owned by another tenant or user -> 404 (the client then starts a new session). Otherwise
 *   `ctx.session` is set and the expiry slides.
 * - DELETE: same checks, then the session is deleted -> 204.
 *
 * - the store failing: 503 + `Retry-After` when it is temporarily unavailable (timeout, refused
 *   connection, throttling, 5xx), else 500 (core/dependency.ts); the failure is logged once, by the
 *   error boundary. A failed sliding-expiry update only logs a warning: the session was found.
 *
 * The MCP server itself stays stateless (a new server per request): the session proves the client
 * initialized and pins it to its tenant and user; it is never used for authentication.
 */
export function sessionStage(options: SessionOptions): Stage {
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  return async (ctx, next) => {
    const method = ctx.request.method.toUpperCase();
    const tenantId = ctx.tenant?.tenantId ?? NO_TENANT;
    const owner = sessionOwner(ctx);

    if (method === "POST") {
      const body = await readParsedBody(ctx);
      if (body.isInitialize) {
        const response = await next();
        if (response.status !== 200 || isProtocolErrorResponse(response)) return response;
        const sessionId = newSessionId();
        const created = seconds();
        const params = body.messages[0]?.params as { protocolVersion?: unknown } | undefined;
        await store(() =>
          options.store.create({
            tenantId,
            sessionId,
            owner,
            ...(typeof params?.protocolVersion === "string" ? { protocolVersion: params.protocolVersion } : {}),
            createdAt: created,
            expiresAt: created + options.ttlSeconds,
          }),
        );
        ctx.session = { sessionId };
        ctx.logger.info("session created", { session_id_prefix: sessionId.slice(0, 8) });
        // In place: the MCP stage's response is this pipeline's own (mutable headers, body not re-wrapped).
        response.headers.set("Mcp-Session-Id", sessionId);
        return response;
      }
    }

    const header = ctx.request.headers.get(HEADERS.mcpSessionId);
    if (header === null) throw McpHttpError.badRequest("Bad Request: Mcp-Session-Id header is required", -32000);
    if (!SESSION_ID.test(header)) throw McpHttpError.badRequest("Bad Request: malformed Mcp-Session-Id header", -32000);
    const key: SessionKey = { tenantId, sessionId: header };
    const record = await store(() => options.store.get(key, seconds()));
    if (record === undefined || record.owner !== owner || record.tenantId !== tenantId) throw McpHttpError.sessionNotFound();

    if (method === "DELETE") {
      await store(() => options.store.delete(key, seconds()));
      ctx.logger.info("session deleted", { session_id_prefix: header.slice(0, 8) });
      return new Response(null, { status: 204 });
    }
    ctx.session = { sessionId: header, ...(record.protocolVersion === undefined ? {} : { protocolVersion: record.protocolVersion }) };
    const left = record.expiresAt - seconds();
    if (left < options.ttlSeconds / 2) {
      await options.store
        .touch(key, seconds() + options.ttlSeconds)
        .catch((error: unknown) => ctx.logger.warn("extending the session failed; it keeps its expiry", { error }));
    }
    return next();
  };
}
