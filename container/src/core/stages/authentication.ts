import { readParsedBody } from "../body.js";
import type { RequestContext } from "../context.js";
import { RETRY_AFTER_SECONDS } from "../dependency.js";
import { JsonRpcErrorCode, McpHttpError } from "../errors.js";
import type { Stage } from "../pipeline.js";
import { TokenRejectedError, type TokenVerifier } from "../auth/types.js";
import { PRM_WELL_KNOWN } from "./route.js";

export interface AuthenticationOptions {
  readonly verify: TokenVerifier;
  /** Scope every request needs; a token without it gets 403 `insufficient_scope`. */
  readonly requiredScope?: string;
  /** The MCP endpoint path (for the derived resource URL). */
  readonly path: string;
  /** Public URL of the MCP endpoint (RFC 9728 `resource`); derived from the request URL when unset. */
  readonly resourceUrl?: string;
  /**
   * Tool name -> scopes a `tools/call` of that tool needs besides `requiredScope` (the tools'
   * `requiredScopes`, core/tools.ts). A token without them gets 403 `insufficient_scope` (step-up).
   * @default none
   */
  readonly toolScopes?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The first `tools/call` in `ctx`'s body whose tool needs a scope `granted` lacks, with the scopes the
 * call needs; undefined when every call may run. Reads the body (memoized) only when a tool needs a scope.
 */
async function missingToolScope(
  ctx: RequestContext,
  toolScopes: ReadonlyMap<string, readonly string[]>,
  granted: readonly string[],
): Promise<{ tool: string; scopes: readonly string[] } | undefined> {
  if (toolScopes.size === 0 || ctx.request.method.toUpperCase() !== "POST") return undefined;
  const body = await readParsedBody(ctx);
  for (const message of body.messages) {
    if (message.kind !== "request" || message.method !== "tools/call") continue;
    const name = (message.params as { name?: unknown } | undefined)?.name;
    const scopes = typeof name === "string" ? toolScopes.get(name) : undefined;
    if (scopes !== undefined && !scopes.every((scope) => granted.includes(scope))) return { tool: name as string, scopes };
  }
  return undefined;
}

/**
 * The protected resource's URL for this request: `resourceUrl`, else the request's origin + `path`.
 * (Behind CloudFront the request origin is the execute-api domain, so set `MCP_RESOURCE_URL` there.)
 */
export function resourceUrlFor(ctx: RequestContext, path: string, resourceUrl?: string): string {
  return resourceUrl ?? `${ctx.url.origin}${path}`;
}

/**
 * URL of the RFC 9728 metadata for `resource` (section 3.1: the well-known segment goes between the
 * host and the resource's path: `https://h/mcp` -> `https://h/.well-known/oauth-protected-resource/mcp`).
 */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return `${url.origin}${PRM_WELL_KNOWN}${path}`;
}

/** Quotes an auth-param value (RFC 9110 section 11.2 quoted-string). */
const quote = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

/**
 * Builds a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 section 3; RFC 9728 section 5.1 adds
 * `resource_metadata`; MCP 2025-11-25 adds `scope` as a hint).
 */
export function bearerChallenge(params: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${quote(value)}`);
  return parts.length === 0 ? "Bearer" : `Bearer ${parts.join(", ")}`;
}

/** `Bearer <token68>` (RFC 6750 section 2.1); the scheme is case-insensitive (RFC 9110 section 11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The authentication slot: verifies the bearer token in the function and sets `ctx.auth` (which the
 * MCP stage hands to tool handlers as `extra.authInfo`; `extra.authInfo.extra.claims` holds all claims).
 * Sources: MCP spec 2025-06-18 Authorization (resource server rules, 401 with `resource_metadata`,
 * 403 for scopes); RFC 6750 sections 2.1, 3, 3.1; RFC 9728 section 5.1.
 *
 * - no `Authorization` header, or another scheme -> 401 `Bearer resource_metadata="...", scope="..."`
 *   (no `error`, as RFC 6750 section 3.1 asks for requests without credentials)
 * - a token in the query string (`access_token`), or a malformed `Bearer` value -> 400 `invalid_request`
 *   (MCP: "Access tokens MUST NOT be included in the URI query string")
 * - a token that fails verification -> 401 `error="invalid_token", error_description="<reason>"`
 * - the JWKS cannot be fetched or read (timeout, refused, non-200, not JSON, not a JWK Set) -> 503 +
 *   `Retry-After` (a server problem: clients must not re-authenticate)
 * - the required scope missing -> 403 `error="insufficient_scope", scope="<scope>"`
 * - a `tools/call` of a tool whose `requiredScopes` the token lacks -> 403 `error="insufficient_scope"`
 *   with `scope` = the required scope plus the tool's (MCP 2025-11-25 Authorization, "Scope Challenge
 *   Handling": the scopes the operation needs, so the client can re-authorize with them)
 */
export function authenticationStage(options: AuthenticationOptions): Stage {
  return async (ctx, next) => {
    const resource = resourceUrlFor(ctx, options.path, options.resourceUrl);
    // The metadata URL is built only for a challenge: most requests pass.
    const challenge = (status: number, message: string, params: Record<string, string | undefined> = {}) =>
      new McpHttpError(status, JsonRpcErrorCode.ServerError, message, {
        headers: {
          "WWW-Authenticate": bearerChallenge({
            ...params,
            scope: params.scope ?? options.requiredScope,
            resource_metadata: resourceMetadataUrl(resource),
          }),
        },
      });

    if (ctx.url.search !== "" && ctx.url.searchParams.has("access_token")) {
      throw challenge(400, "Bad Request: access tokens must not be sent in the query string", { error: "invalid_request" });
    }
    const header = ctx.request.headers.get("authorization");
    if (header === null || !/^bearer(\s|$)/i.test(header.trim())) {
      throw challenge(401, "Unauthorized: a bearer token is required");
    }
    const match = BEARER.exec(header.trim());
    if (match === null) {
      throw challenge(400, "Bad Request: malformed Authorization header", {
        error: "invalid_request",
        error_description: "malformed bearer token",
      });
    }
    let verified: Awaited<ReturnType<typeof options.verify>>;
    try {
      verified = await options.verify(match[1]!, { resource });
    } catch (error) {
      const rejected = error instanceof TokenRejectedError ? error : new TokenRejectedError("invalid token", false, { cause: error });
      if (rejected.unavailable) {
        throw new McpHttpError(503, JsonRpcErrorCode.InternalError, "Service Unavailable: cannot verify tokens right now", {
          headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
          cause: rejected,
        });
      }
      ctx.logger.info("token rejected", { reason: rejected.reason });
      throw challenge(401, `Unauthorized: ${rejected.reason}`, { error: "invalid_token", error_description: rejected.reason });
    }
    if (options.requiredScope !== undefined && !verified.scopes.includes(options.requiredScope)) {
      throw challenge(403, `Forbidden: the token lacks the scope ${options.requiredScope}`, {
        error: "insufficient_scope",
        error_description: `scope ${options.requiredScope} required`,
      });
    }
    const stepUp = options.toolScopes === undefined ? undefined : await missingToolScope(ctx, options.toolScopes, verified.scopes);
    if (stepUp !== undefined) {
      const needed = [...new Set([...(options.requiredScope === undefined ? [] : [options.requiredScope]), ...stepUp.scopes])];
      ctx.logger.info("tool call refused: insufficient scope", { tool: stepUp.tool, needed });
      throw challenge(403, `Forbidden: the tool ${stepUp.tool} needs the scope ${stepUp.scopes.join(" ")}`, {
        error: "insufficient_scope",
        error_description: `tool ${stepUp.tool} requires scope ${stepUp.scopes.join(" ")}`,
        scope: needed.join(" "),
      });
    }
    ctx.auth = {
      token: verified.token,
      clientId: verified.clientId,
      scopes: [...verified.scopes],
      expiresAt: verified.expiresAt,
      resource: new URL(resource),
      extra: { subject: verified.subject, claims: verified.claims },
    };
    return next();
  };
}

/**
 * The RFC 9728 Protected Resource Metadata document (section 2) for this server: `resource`,
 * `authorization_servers` (the token issuer), `scopes_supported`, `bearer_methods_supported: ["header"]`.
 */
export function protectedResourceMetadata(
  ctx: RequestContext,
  options: { path: string; resourceUrl?: string; issuer: string; requiredScope?: string; resourceName?: string },
): Record<string, unknown> {
  return {
    resource: resourceUrlFor(ctx, options.path, options.resourceUrl),
    authorization_servers: [options.issuer],
    ...(options.requiredScope === undefined ? {} : { scopes_supported: [options.requiredScope] }),
    bearer_methods_supported: ["header"],
    ...(options.resourceName === undefined ? {} : { resource_name: options.resourceName }),
  };
}
