/**
 * `POST /token` (RFC 6749 sections 4.1.3 and 6) and `POST /revoke` (RFC 7009).
 *
 * - authorization_code: the code is used once (conditional update); a second use revokes the grant
 *   issued from the first (RFC 6749 section 4.1.2). Client, `redirect_uri` (loopback rule), PKCE
 *   S256 (RFC 7636 section 4.6) and `resource` (RFC 8707) are re-checked.
 * - refresh_token: `mcp_rt_<grantId>.<secret>`, stored hashed on the grant. Each use rotates it
 *   (conditional update); the previous token stays usable until its successor is first used (a lost
 *   response is retried); any other reuse revokes the grant (RFC 9700 section 4.14.2). Each refresh
 *   also refreshes upstream, so a disabled or signed-out user stops at once.
 * - Access tokens: RFC 9068 JWT, `aud` = the resource.
 * - Errors: JSON (section 5.2), `Cache-Control: no-store` on every response.
 */
import { createHash } from "node:crypto";
import type { RequestInfo, ServerContext } from "./context.js";
import { authenticateClient, type ClientInfo } from "./clients/resolve.js";
import { redirectMatches } from "./clients/redirect.js";
import { canonicalResource, codeKey } from "./authorize.js";
import { signAccessToken } from "./tokens/signer.js";
import { subjectIndex, type StoredItem } from "./store/types.js";
import { UpstreamRefusedError } from "./upstream.js";
import { CORS_HEADERS, json, oauthError, randomToken, readForm, safeEqual, sha256 } from "./util.js";

const REFRESH_PREFIX = "mcp_rt_";
const grantKey = (id: string) => ({ pk: `grant#${id}`, sk: "grant" });

function parseRefreshToken(token: string): { grantId: string } | undefined {
  const match = /^mcp_rt_([A-Za-z0-9_-]{16,64})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match === null ? undefined : { grantId: match[1]! };
}

function clientError(result: { error: string; basic: boolean }): Response {
  return oauthError(401, "invalid_client", result.error, result.basic ? { "WWW-Authenticate": 'Basic realm="token"' } : {});
}

/** Revokes a grant (kept as a tombstone until it expires, so reuse keeps failing). */
async function revokeGrant(ctx: ServerContext, grantId: string): Promise<void> {
  const now = ctx.now();
  await ctx.store.update(
    grantKey(grantId).pk,
    "grant",
    { revoked: true, rt_sha256: null, prev_rt_sha256: null, upstream_refresh_token: null },
    { expected: {}, now },
  );
}

export async function token(ctx: ServerContext, request: Request, info: RequestInfo): Promise<Response> {
  const form = await readForm(request);
  if (typeof form === "string") return oauthError(400, "invalid_request", form);
  const client = await authenticateClient(ctx, request, form);
  const grantType = form.get("grant_type");
  const event = grantType === "refresh_token" ? "oauth.refresh" : "oauth.token";
  const audit = (outcome: "success" | "failure", reason: string, extra: { sub?: string; grant_id?: string } = {}) =>
    ctx.audit(event, {
      outcome,
      reason,
      ...("client_id" in client ? { client_id: client.client_id } : {}),
      ...extra,
      ...(info.sourceIp === undefined ? {} : { source_ip: info.sourceIp }),
    });
  if (!("client_id" in client)) {
    audit("failure", client.error);
    return clientError(client);
  }
  if (grantType === "authorization_code") return codeGrant(ctx, client, form, audit);
  if (grantType === "refresh_token") return refreshGrant(ctx, client, form, audit);
  audit("failure", "unsupported grant type");
  return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
}

type Audit = (outcome: "success" | "failure", reason: string, extra?: { sub?: string; grant_id?: string }) => void;

async function codeGrant(ctx: ServerContext, client: ClientInfo, form: Map<string, string>, audit: Audit): Promise<Response> {
  const { settings } = ctx;
  const code = form.get("code");
  const verifier = form.get("code_verifier");
  const redirectUri = form.get("redirect_uri");
  if (code === undefined || code === "") return oauthError(400, "invalid_request", "code required");
  if (verifier === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
    return oauthError(400, "invalid_request", "code_verifier required (43-128 characters, RFC 7636 section 4.1)");
  const now = ctx.now();
  const { pk, sk } = codeKey(code);
  const used = await ctx.store.update(pk, sk, { used_at: now }, { expected: { used_at: null }, now });
  if (used === undefined) {
    const replay = await ctx.store.get(pk, sk, now);
    if (replay !== undefined) {
      await revokeGrant(ctx, String(replay.grant_id));
      audit("failure", "authorization code reused; grant revoked", { sub: String(replay.sub), grant_id: String(replay.grant_id) });
    } else audit("failure", "unknown authorization code");
    return oauthError(400, "invalid_grant", "authorization code invalid, expired or already used");
  }
  const grantId = String(used.grant_id);
  const refuse = (description: string) => {
    audit("failure", description, { sub: String(used.sub), grant_id: grantId });
    return oauthError(400, "invalid_grant", description);
  };
  if (Number(used.valid_until) <= now) return refuse("authorization code expired");
  if (used.client_id !== client.client_id) return refuse("authorization code was issued to another client");
  if (redirectUri === undefined || !redirectMatches(String(used.redirect_uri), redirectUri))
    return refuse("redirect_uri does not match the authorization request");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  if (!safeEqual(challenge, String(used.code_challenge))) return refuse("PKCE verification failed");
  const resourceParam = form.get("resource");
  if (resourceParam !== undefined && canonicalResource(resourceParam, settings.resource) !== used.resource) {
    audit("failure", "unknown resource", { sub: String(used.sub), grant_id: grantId });
    return oauthError(400, "invalid_target", "unknown resource");
  }
  const scopes = String(used.scope)
    .split(" ")
    .filter((s) => s !== "");
  const withRefresh = client.grant_types.includes("refresh_token") || scopes.includes("offline_access");
  const refreshToken = withRefresh ? `${REFRESH_PREFIX}${grantId}.${randomToken(32)}` : undefined;
  const grant: StoredItem = {
    ...grantKey(grantId),
    expires_at: now + settings.refreshTokenTtlSeconds,
    sub: String(used.sub),
    email: String(used.email),
    client_id: client.client_id,
    scope: String(used.scope),
    resource: String(used.resource),
    auth_time: Number(used.auth_time),
    created_at: now,
    last_refresh_at: now,
    rt_generation: 0,
    ...(refreshToken === undefined ? {} : { rt_sha256: sha256(refreshToken) }),
    ...(typeof used.tenant_id === "string" ? { tenant_id: used.tenant_id } : {}),
    ...(typeof used.upstream_refresh_token === "string" ? { upstream_refresh_token: used.upstream_refresh_token } : {}),
    ...subjectIndex(String(used.sub), grantId),
  };
  if (!(await ctx.store.put(grant, { ifAbsent: true, now }))) return refuse("grant already exists");
  audit("success", "code exchanged", { sub: grant.sub as string, grant_id: grantId });
  return tokenResponse(ctx, grant, grantId, refreshToken);
}

async function refreshGrant(ctx: ServerContext, client: ClientInfo, form: Map<string, string>, audit: Audit): Promise<Response> {
  const { settings } = ctx;
  const presented = form.get("refresh_token") ?? "";
  const parsed = parseRefreshToken(presented);
  if (parsed === undefined) {
    audit("failure", "malformed refresh token");
    return oauthError(400, "invalid_grant", "refresh token invalid");
  }
  const { grantId } = parsed;
  const now = ctx.now();
  const grant = await ctx.store.get(grantKey(grantId).pk, "grant", now);
  const refuse = (reason: string, sub?: string) => {
    audit("failure", reason, { grant_id: grantId, ...(sub === undefined ? {} : { sub }) });
    return oauthError(400, "invalid_grant", "refresh token invalid, expired or revoked");
  };
  if (grant === undefined) return refuse("unknown grant");
  const sub = String(grant.sub);
  if (grant.revoked === true) return refuse("grant revoked", sub);
  if (grant.client_id !== client.client_id) return refuse("refresh token of another client", sub);
  const resourceParam = form.get("resource");
  if (resourceParam !== undefined && canonicalResource(resourceParam, settings.resource) !== grant.resource) {
    audit("failure", "unknown resource", { sub, grant_id: grantId });
    return oauthError(400, "invalid_target", "unknown resource");
  }
  const hash = sha256(presented);
  const current = typeof grant.rt_sha256 === "string" ? grant.rt_sha256 : "";
  const previous = typeof grant.prev_rt_sha256 === "string" ? grant.prev_rt_sha256 : "";
  const isCurrent = current !== "" && safeEqual(hash, current);
  const isGrace = !isCurrent && previous !== "" && safeEqual(hash, previous);
  if (!isCurrent && !isGrace) {
    await revokeGrant(ctx, grantId);
    return refuse("refresh token reused; grant revoked", sub);
  }
  const requestedScope = form.get("scope");
  const grantScopes = String(grant.scope)
    .split(" ")
    .filter((s) => s !== "");
  if (requestedScope !== undefined && requestedScope.split(" ").some((s) => s !== "" && !grantScopes.includes(s))) {
    audit("failure", "scope beyond the grant", { sub, grant_id: grantId });
    return oauthError(400, "invalid_scope", "scope exceeds the original grant");
  }

  let upstreamRefreshToken = typeof grant.upstream_refresh_token === "string" ? grant.upstream_refresh_token : undefined;
  if (upstreamRefreshToken !== undefined) {
    try {
      const refreshed = await ctx.upstream.refresh(upstreamRefreshToken);
      if (refreshed.refreshToken !== undefined) upstreamRefreshToken = refreshed.refreshToken;
    } catch (error) {
      if (error instanceof UpstreamRefusedError) {
        await revokeGrant(ctx, grantId);
        return refuse(`upstream refused refresh (${error.error}); grant revoked`, sub);
      }
      audit("failure", "upstream unavailable", { sub, grant_id: grantId });
      return oauthError(503, "temporarily_unavailable", "the identity provider could not be reached; retry later", { "Retry-After": "5" });
    }
  }

  const next = `${REFRESH_PREFIX}${grantId}.${randomToken(32)}`;
  const set = {
    rt_sha256: sha256(next),
    // Using the current token retires the previous one; a grace use keeps the previous one.
    prev_rt_sha256: isCurrent ? hash : previous,
    rt_generation: Number(grant.rt_generation ?? 0) + 1,
    last_refresh_at: now,
    ...(upstreamRefreshToken === undefined ? {} : { upstream_refresh_token: upstreamRefreshToken }),
  };
  const updated = await ctx.store.update(grantKey(grantId).pk, "grant", set, {
    expected: { rt_sha256: current, prev_rt_sha256: previous === "" ? null : previous },
    now,
  });
  if (updated === undefined) return refuse("concurrent refresh lost the race", sub);
  audit("success", isGrace ? "refreshed (previous token, lost-response grace)" : "refreshed", { sub, grant_id: grantId });
  const scoped = requestedScope === undefined ? updated : { ...updated, scope: requestedScope };
  return tokenResponse(ctx, scoped, grantId, next);
}

async function tokenResponse(ctx: ServerContext, grant: StoredItem, grantId: string, refreshToken: string | undefined): Promise<Response> {
  const { settings } = ctx;
  if (ctx.signer === undefined) throw new Error("no signer configured for the token endpoint");
  const now = ctx.now();
  const scope = String(grant.scope)
    .split(" ")
    .filter((s) => s !== "" && s !== "offline_access")
    .join(" ");
  const accessToken = await signAccessToken(ctx.signer, {
    iss: settings.issuer,
    sub: String(grant.sub),
    aud: String(grant.resource),
    client_id: String(grant.client_id),
    scope,
    iat: now,
    exp: now + settings.accessTokenTtlSeconds,
    auth_time: Number(grant.auth_time),
    gid: grantId,
    ...(typeof grant.tenant_id === "string" ? { tenant_id: grant.tenant_id } : {}),
  });
  return json(
    200,
    {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: settings.accessTokenTtlSeconds,
      scope: String(grant.scope),
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    },
    CORS_HEADERS,
  );
}

/** `POST /revoke` (RFC 7009 section 2): revokes the grant of a refresh token; 200 for unknown tokens. */
export async function revoke(ctx: ServerContext, request: Request, info: RequestInfo): Promise<Response> {
  const form = await readForm(request);
  if (typeof form === "string") return oauthError(400, "invalid_request", form);
  const client = await authenticateClient(ctx, request, form);
  const audit = (outcome: "success" | "failure", reason: string, extra: { sub?: string; grant_id?: string } = {}) =>
    ctx.audit("oauth.revoke", {
      outcome,
      reason,
      ...("client_id" in client ? { client_id: client.client_id } : {}),
      ...extra,
      ...(info.sourceIp === undefined ? {} : { source_ip: info.sourceIp }),
    });
  if (!("client_id" in client)) {
    audit("failure", client.error);
    return clientError(client);
  }
  const presented = form.get("token");
  if (presented === undefined) return oauthError(400, "invalid_request", "token required");
  const parsed = parseRefreshToken(presented);
  const ok = () => new Response(null, { status: 200, headers: { ...CORS_HEADERS, "Cache-Control": "no-store" } });
  if (parsed === undefined) {
    audit("success", "not a refresh token of this server (access tokens expire on their own)");
    return ok();
  }
  const now = ctx.now();
  const grant = await ctx.store.get(grantKey(parsed.grantId).pk, "grant", now);
  const hash = sha256(presented);
  if (grant === undefined || grant.client_id !== client.client_id || !(grant.rt_sha256 === hash || grant.prev_rt_sha256 === hash)) {
    audit("success", "unknown token", { grant_id: parsed.grantId });
    return ok();
  }
  await revokeGrant(ctx, parsed.grantId);
  audit("success", "grant revoked", { sub: String(grant.sub), grant_id: parsed.grantId });
  return ok();
}
