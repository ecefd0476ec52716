/**
 * `POST /register`: OAuth 2.0 Dynamic Client Registration (RFC 7591).
 *
 * - Public clients (`token_endpoint_auth_method: none`) get an idempotent id: `mcp_` + 26 base32
 *   characters of SHA-256 over the canonical metadata with loopback ports removed, so a client that
 *   registers on every connection maps to one record, which does not count against the caps.
 * - Confidential clients get a random id and a 32-byte secret, stored as SHA-256 only.
 * - Redirect URIs: each must be acceptable at all (no fragment, no `javascript:`...); in `allowlist`
 *   mode only those on the operator's list are kept (RFC 7591 section 3.2.1 lets the server replace
 *   values); none left -> 400 `invalid_redirect_uri`.
 * - Unknown grant types (e.g. device_code) are dropped; `authorization_code` is required.
 * - Caps: new records per hour in total and per source address -> 429 with `Retry-After`.
 * - Records expire after `dcrClientTtlSeconds` without use.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestInfo, ServerContext } from "../context.js";
import { base32, CORS_HEADERS, json, oauthError, randomToken, sha256 } from "../util.js";
import { redirectAllowed, redirectUriProblem, withoutLoopbackPort } from "./redirect.js";
import { clientKey, type TokenEndpointAuthMethod } from "./resolve.js";

const MAX_BODY_BYTES = 16_384;
const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ["none", "client_secret_basic", "client_secret_post"];
const GRANT_TYPES = ["authorization_code", "refresh_token"];

/** The hour bucket of a rate counter, `yyyymmddhh` (UTC). */
function hourBucket(now: number): string {
  return new Date(now * 1000).toISOString().slice(0, 13).replace(/[-T]/g, "");
}

const invalid = (description: string, error = "invalid_client_metadata") => oauthError(400, error, description);

export async function register(ctx: ServerContext, request: Request, info: RequestInfo): Promise<Response> {
  const audit = (outcome: "success" | "failure", reason: string, client_id?: string) =>
    ctx.audit("oauth.register", {
      outcome,
      reason,
      ...(client_id === undefined ? {} : { client_id }),
      ...(info.sourceIp === undefined ? {} : { source_ip: info.sourceIp }),
    });
  if (ctx.settings.dcrMode === "off") return oauthError(404, "invalid_request", "dynamic client registration is not enabled");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return invalid("Content-Type must be application/json", "invalid_request");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return invalid(`body larger than ${MAX_BODY_BYTES} bytes`, "invalid_request");
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed as Record<string, unknown>;
  } catch {
    return invalid("body must be a JSON object", "invalid_request");
  }

  const redirects = body.redirect_uris;
  if (!Array.isArray(redirects) || redirects.length === 0 || redirects.some((u) => typeof u !== "string")) {
    audit("failure", "redirect_uris missing");
    return invalid("redirect_uris must be a non-empty array of strings", "invalid_redirect_uri");
  }
  for (const uri of redirects as string[]) {
    const problem = redirectUriProblem(uri);
    if (problem !== undefined) {
      audit("failure", `redirect_uri refused: ${problem}`);
      return invalid(`redirect_uri ${JSON.stringify(uri)}: ${problem}`, "invalid_redirect_uri");
    }
  }
  const allowed =
    ctx.settings.dcrMode === "open"
      ? (redirects as string[])
      : (redirects as string[]).filter((uri) => redirectAllowed(ctx.settings.allowedRedirectUris, uri));
  if (allowed.length === 0) {
    audit("failure", "no allowed redirect_uri");
    return invalid("none of the redirect_uris is allowed by this server", "invalid_redirect_uri");
  }
  const method = (body.token_endpoint_auth_method ?? "client_secret_basic") as TokenEndpointAuthMethod;
  if (!AUTH_METHODS.includes(method)) return invalid(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(", ")}`);
  const requestedGrants = Array.isArray(body.grant_types)
    ? body.grant_types.filter((g): g is string => typeof g === "string")
    : ["authorization_code"];
  const grantTypes = GRANT_TYPES.filter((g) => requestedGrants.includes(g));
  if (!grantTypes.includes("authorization_code")) return invalid("grant_types must include authorization_code");
  const responseTypes = Array.isArray(body.response_types) ? body.response_types : ["code"];
  if (!responseTypes.includes("code")) return invalid('response_types must include "code"');
  const clientName =
    typeof body.client_name === "string" && body.client_name.trim() !== "" ? body.client_name.trim().slice(0, 200) : undefined;
  const supported = new Set([...ctx.settings.scopes, ...Object.values(ctx.settings.groupScopes).flat(), "offline_access"]);
  const scope =
    typeof body.scope === "string"
      ? body.scope
          .split(" ")
          .filter((s) => supported.has(s))
          .join(" ")
      : undefined;
  const applicationType = body.application_type === "native" || body.application_type === "web" ? body.application_type : undefined;

  const now = ctx.now();
  const metadata = {
    client_name: clientName ?? "Unnamed client",
    redirect_uris: allowed,
    grant_types: grantTypes,
    response_types: ["code"],
    token_endpoint_auth_method: method,
    ...(scope === undefined || scope === "" ? {} : { scope }),
    ...(applicationType === undefined ? {} : { application_type: applicationType }),
  };
  const confidential = method !== "none";
  let clientId: string;
  let secret: string | undefined;
  if (confidential) {
    clientId = `mcp_${base32(randomBytes(16)).slice(0, 26)}`;
    secret = randomToken(32);
  } else {
    const canonical = JSON.stringify({ ...metadata, redirect_uris: [...new Set(allowed.map(withoutLoopbackPort))].sort() });
    clientId = `mcp_${base32(createHash("sha256").update(canonical).digest()).slice(0, 26)}`;
    const { pk, sk } = clientKey(clientId);
    const existing = await ctx.store.update(
      pk,
      sk,
      { last_used_at: now, expires_at: now + ctx.settings.dcrClientTtlSeconds },
      { expected: {}, now },
    );
    if (existing !== undefined) {
      audit("success", "existing registration", clientId);
      return created(clientId, Number(existing.created_at), metadata);
    }
  }

  const bucket = hourBucket(now);
  const retryAfter = String(3600 - (now % 3600));
  const windowEnd = now - (now % 3600) + 7200;
  const ipHash = sha256(info.sourceIp ?? "unknown");
  if ((await ctx.store.increment(`rl#dcr#${bucket}`, `ip#${ipHash}`, ctx.settings.dcrMaxPerIpPerHour, windowEnd, now)) === undefined) {
    audit("failure", "per-address registration cap reached");
    return oauthError(429, "too_many_requests", "too many registrations from this address; try again later", { "Retry-After": retryAfter });
  }
  if ((await ctx.store.increment(`rl#dcr#${bucket}`, "global", ctx.settings.dcrMaxPerHour, windowEnd, now)) === undefined) {
    audit("failure", "hourly registration cap reached");
    return oauthError(429, "too_many_requests", "registration limit reached; try again later", { "Retry-After": retryAfter });
  }
  const { pk, sk } = clientKey(clientId);
  await ctx.store.put(
    {
      pk,
      sk,
      expires_at: now + ctx.settings.dcrClientTtlSeconds,
      ...metadata,
      created_at: now,
      last_used_at: now,
      source_ip_hash: ipHash,
      ...(secret === undefined ? {} : { secret_sha256: sha256(secret) }),
    },
    { ifAbsent: false, now },
  );
  audit("success", "registered", clientId);
  return created(clientId, now, metadata, secret);
}

function created(clientId: string, issuedAt: number, metadata: Record<string, unknown>, secret?: string): Response {
  return json(
    201,
    {
      client_id: clientId,
      client_id_issued_at: issuedAt,
      ...(secret === undefined ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
      ...metadata,
    },
    CORS_HEADERS,
  );
}
