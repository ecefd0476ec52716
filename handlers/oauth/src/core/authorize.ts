/**
 * The browser leg: `GET /authorize`, `GET /oauth/callback` (the upstream sign-in returns here) and
 * `POST /oauth/consent`.
 *
 * Sources: RFC 6749 section 4.1 and 4.1.2.1 (an invalid client or redirect URI is shown to the user,
 * never redirected to); RFC 7636 (PKCE, S256 only as OAuth 2.1 and MCP 2025-11-25 require);
 * RFC 8707 section 2 (`resource`); RFC 9207 section 2 (`iss` on every authorization response);
 * MCP Security Best Practices (per-client consent before a proxy with a static upstream client
 * issues a code; browser binding).
 */
import { AUTHORIZATION_SERVER_PATHS } from "../../../../container/src/contract/index.js";
import type { RequestInfo, ServerContext } from "./context.js";
import { resolveClient, type ClientInfo } from "./clients/resolve.js";
import { findRedirect, isLoopbackRedirect } from "./clients/redirect.js";
import { consentPage, errorPage, PAGE_HEADERS, pageCsp } from "./pages.js";
import { UpstreamRefusedError, upstreamPkce } from "./upstream.js";
import { cookie, randomToken, readForm, safeEqual, sha256 } from "./util.js";
import type { StoredItem } from "./store/types.js";
import type { OAuthSettings } from "./config.js";

/** Path of the consent form target and of the upstream callback. */
export const CONSENT_PATH = AUTHORIZATION_SERVER_PATHS.consent;
export const CALLBACK_PATH = AUTHORIZATION_SERVER_PATHS.callback;

/**
 * The browser-binding cookie: `__Host-mcp_txn` (Secure, host-only, Path=/) on an https issuer;
 * `mcp_txn` without Secure only on an http loopback issuer (local development), where `__Host-`
 * cannot be used.
 */
export function bindingCookieName(settings: OAuthSettings): string {
  return settings.issuer.startsWith("https:") ? "__Host-mcp_txn" : "mcp_txn";
}

function bindingCookie(settings: OAuthSettings, value: string, maxAge: number): string {
  const secure = settings.issuer.startsWith("https:") ? "; Secure" : "";
  return `${bindingCookieName(settings)}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/**
 * The canonical form of a `resource` value (RFC 8707 section 2, RFC 3986 section 6.2.3): scheme and
 * host lower-cased, default port and one trailing `/` removed. An origin alone stands for the
 * configured resource on that origin.
 * @returns the configured resource when `value` names it, else undefined
 */
export function canonicalResource(value: string, configured: string): string | undefined {
  const canonical = (raw: string): string | undefined => {
    try {
      const url = new URL(raw);
      if (url.hash !== "" || raw.includes("#")) return undefined;
      const path = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
      return `${url.protocol}//${url.host}${path}${url.search}`;
    } catch {
      return undefined;
    }
  };
  const want = canonical(configured);
  const got = canonical(value);
  if (want === undefined || got === undefined) return undefined;
  if (got === want || got === new URL(configured).origin) return configured;
  return undefined;
}

/** The authorization-response redirect: `params` plus `iss` (RFC 9207), exactly once each. */
export function authorizationRedirect(
  settings: OAuthSettings,
  redirectUri: string,
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Response {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  url.searchParams.set("iss", settings.issuer);
  return new Response(null, { status: 302, headers: { Location: url.href, "Cache-Control": "no-store", ...headers } });
}

const txnKey = (id: string) => ({ pk: `txn#${id}`, sk: "txn" });
const consentKey = (sub: string, clientId: string) => ({ pk: `consent#${sub}`, sk: `client#${clientId}` });
export const codeKey = (code: string) => ({ pk: `code#${sha256(code)}`, sk: "code" });

/** Scopes a request may ask for: the base scopes, every group scope and `offline_access`. */
export function supportedScopes(settings: OAuthSettings): string[] {
  return [...new Set([...settings.scopes, ...Object.values(settings.groupScopes).flat(), "offline_access"])];
}

/** `GET /authorize` (RFC 6749 section 4.1.1). */
export async function authorize(ctx: ServerContext, request: Request, info: RequestInfo): Promise<Response> {
  const { settings } = ctx;
  const query = new URL(request.url).searchParams;
  const one = (name: string): string | undefined => {
    const values = query.getAll(name);
    return values.length === 1 ? values[0] : undefined;
  };
  const audit = (outcome: "success" | "failure", reason: string, client_id?: string) =>
    ctx.audit("oauth.authorize", {
      outcome,
      reason,
      ...(client_id === undefined ? {} : { client_id }),
      ...(info.sourceIp === undefined ? {} : { source_ip: info.sourceIp }),
    });

  const clientId = one("client_id");
  const client = clientId === undefined ? undefined : await resolveClient(ctx, clientId);
  if (client === undefined) {
    audit("failure", "unknown client", clientId);
    return errorPage(
      400,
      "Unknown application",
      "The application that sent you here is not registered with this server. Nothing was shared.",
    );
  }
  const requestedRedirect = one("redirect_uri");
  let redirectUri: string | undefined;
  if (requestedRedirect === undefined) {
    if (client.redirect_uris.length === 1 && !isLoopbackRedirect(client.redirect_uris[0]!)) redirectUri = client.redirect_uris[0];
  } else if (findRedirect(client.redirect_uris, requestedRedirect) !== undefined) {
    redirectUri = requestedRedirect;
  }
  if (redirectUri === undefined) {
    audit("failure", "redirect_uri not registered", client.client_id);
    return errorPage(
      400,
      "Invalid redirect",
      "The address this application asked to return to is not registered for it. Nothing was shared.",
    );
  }

  const state = one("state");
  const fail = (error: string, description: string) => {
    audit("failure", description, client.client_id);
    return authorizationRedirect(settings, redirectUri!, { error, error_description: description, state });
  };
  for (const name of [
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "resource",
    "prompt",
  ]) {
    if (query.getAll(name).length > 1) return fail("invalid_request", `parameter ${name} repeated`);
  }
  if (one("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code");
  const challenge = one("code_challenge");
  if (challenge === undefined) return fail("invalid_request", "code_challenge required (PKCE)");
  if (one("code_challenge_method") !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail("invalid_request", "code_challenge must be a base64url SHA-256 value");
  const resourceParam = one("resource");
  const resource = resourceParam === undefined ? settings.resource : canonicalResource(resourceParam, settings.resource);
  if (resource === undefined) return fail("invalid_target", "unknown resource");
  const supported = new Set(supportedScopes(settings));
  const requested = (one("scope") ?? client.scope ?? "").split(" ").filter((s) => supported.has(s));
  const scopes = requested.some((s) => s !== "offline_access") ? requested : [...settings.scopes, ...requested];
  const prompt = one("prompt");
  if (prompt !== undefined && prompt.split(" ").includes("none")) return fail("interaction_required", "prompt=none is not supported");

  const now = ctx.now();
  const id = randomToken(24);
  const binding = randomToken(32);
  const pkce = await upstreamPkce();
  await ctx.store.put(
    {
      ...txnKey(id),
      expires_at: now + settings.txnTtlSeconds,
      status: "upstream",
      client_id: client.client_id,
      redirect_uri: redirectUri,
      ...(state === undefined ? {} : { state }),
      code_challenge: challenge,
      scope: [...new Set(scopes)].join(" "),
      resource,
      ...(prompt === undefined ? {} : { prompt }),
      binding_sha256: sha256(binding),
      upstream_verifier: pkce.verifier,
      nonce: pkce.nonce,
      csrf: randomToken(24),
    },
    { ifAbsent: true, now },
  );
  audit("success", "sent to upstream sign-in", client.client_id);
  return new Response(null, {
    status: 302,
    headers: {
      Location: ctx.upstream.authorizationUrl({ state: id, codeChallenge: pkce.challenge, nonce: pkce.nonce }),
      "Set-Cookie": bindingCookie(settings, binding, settings.txnTtlSeconds),
      "Cache-Control": "no-store",
    },
  });
}

/** The granted scopes: requested ones the user may have (group scopes need the group). */
function grantableScopes(settings: OAuthSettings, requested: string, groups: readonly string[]): string[] {
  const allowed = new Set([...settings.scopes, "offline_access", ...groups.flatMap((g) => settings.groupScopes[g] ?? [])]);
  return requested.split(" ").filter((s) => s !== "" && allowed.has(s));
}

/** `GET /oauth/callback`: the upstream provider returns the browser here. */
export async function callback(ctx: ServerContext, request: Request, info: RequestInfo): Promise<Response> {
  const { settings } = ctx;
  const url = new URL(request.url);
  const id = url.searchParams.get("state") ?? "";
  const now = ctx.now();
  const txn = id === "" ? undefined : await ctx.store.get(txnKey(id).pk, "txn", now);
  const audit = (outcome: "success" | "failure", reason: string, extra: { client_id?: string; sub?: string } = {}) =>
    ctx.audit("oauth.callback", { outcome, reason, ...extra, ...(info.sourceIp === undefined ? {} : { source_ip: info.sourceIp }) });
  if (txn === undefined || txn.status !== "upstream") {
    audit("failure", "unknown or finished sign-in");
    return errorPage(400, "Sign-in expired", "This sign-in is unknown or already finished. Start again from your application.");
  }
  const binding = cookie(request, bindingCookieName(settings));
  if (binding === undefined || !safeEqual(sha256(binding), String(txn.binding_sha256))) {
    audit("failure", "browser binding cookie missing or wrong", { client_id: String(txn.client_id) });
    return errorPage(
      400,
      "Sign-in not started in this browser",
      "This sign-in was started in another browser. Start again from your application.",
    );
  }
  // Single use: only one callback may move the transaction on.
  const claimed = await ctx.store.update(txnKey(id).pk, "txn", { status: "exchanging" }, { expected: { status: "upstream" }, now });
  if (claimed === undefined)
    return errorPage(400, "Sign-in expired", "This sign-in is already finished. Start again from your application.");
  const deny = (error: string, description: string, reason: string, sub?: string) => {
    audit("failure", reason, { client_id: String(txn.client_id), ...(sub === undefined ? {} : { sub }) });
    return authorizationRedirect(settings, String(txn.redirect_uri), {
      error,
      error_description: description,
      state: txn.state as string | undefined,
    });
  };
  let identity: Awaited<ReturnType<typeof ctx.upstream.exchange>>;
  try {
    identity = await ctx.upstream.exchange(url, { state: id, codeVerifier: String(txn.upstream_verifier), nonce: String(txn.nonce) });
  } catch (error) {
    if (error instanceof UpstreamRefusedError)
      return deny(
        error.error === "access_denied" ? "access_denied" : "server_error",
        "sign-in was not completed",
        `upstream refused: ${error.error}`,
      );
    return deny(
      "temporarily_unavailable",
      "the identity provider could not be reached",
      `upstream failure: ${error instanceof Error ? error.message : "unknown"}`,
    );
  }
  const tenant = identity.claims[settings.tenantAttribute];
  const tenantId = typeof tenant === "string" && tenant !== "" ? tenant : undefined;
  if (settings.tenantRequired && tenantId === undefined)
    return deny("access_denied", "the user belongs to no tenant", "user without tenant attribute", identity.sub);
  const groups = Array.isArray(identity.claims["cognito:groups"])
    ? (identity.claims["cognito:groups"] as unknown[]).filter((g): g is string => typeof g === "string")
    : [];
  const scopes = grantableScopes(settings, String(txn.scope), groups);
  const email = typeof identity.claims.email === "string" ? identity.claims.email : identity.sub;
  const signedIn = await ctx.store.update(
    txnKey(id).pk,
    "txn",
    {
      status: "consent",
      sub: identity.sub,
      email,
      scope: scopes.join(" "),
      auth_time: identity.authTime,
      upstream_verifier: null,
      ...(tenantId === undefined ? {} : { tenant_id: tenantId }),
      ...(identity.refreshToken === undefined ? {} : { upstream_refresh_token: identity.refreshToken }),
    },
    { expected: { status: "exchanging" }, now },
  );
  if (signedIn === undefined) return errorPage(400, "Sign-in expired", "This sign-in took too long. Start again from your application.");
  const client = await resolveClient(ctx, String(txn.client_id));
  if (client === undefined) return deny("access_denied", "the application is no longer registered", "client vanished", identity.sub);
  audit("success", "signed in upstream", { client_id: client.client_id, sub: identity.sub });

  const forceConsent = typeof txn.prompt === "string" && txn.prompt.split(" ").includes("consent");
  if (client.skip_consent && !forceConsent) return issueCode(ctx, signedIn, "skip_consent");
  const remembered = await ctx.store.get(consentKey(identity.sub, client.client_id).pk, consentKey(identity.sub, client.client_id).sk, now);
  const rememberedScopes = Array.isArray(remembered?.scopes) ? (remembered.scopes as string[]) : [];
  if (!forceConsent && remembered !== undefined && scopes.every((s) => rememberedScopes.includes(s)))
    return issueCode(ctx, signedIn, "consent on record");
  return renderConsent(signedIn, client);
}

function renderConsent(txn: StoredItem, client: ClientInfo): Response {
  const redirect = new URL(String(txn.redirect_uri));
  const loopback = isLoopbackRedirect(redirect.href);
  const html = consentPage({
    action: CONSENT_PATH,
    email: String(txn.email),
    clientName: client.client_name,
    clientSource:
      client.kind === "cimd"
        ? `published by ${client.metadata_host ?? "unknown host"}`
        : client.kind === "dcr"
          ? "registered dynamically"
          : "pre-registered by the operator",
    redirectHost: loopback
      ? `${redirect.protocol}//${redirect.host} (this computer)`
      : redirect.protocol === "https:"
        ? redirect.host
        : `${redirect.protocol}//${redirect.host}`,
    loopback,
    resource: String(txn.resource),
    scopes: String(txn.scope)
      .split(" ")
      .filter((s) => s !== ""),
    txn: txn.pk.slice("txn#".length),
    csrf: String(txn.csrf),
  });
  // The Approve / Deny answer is a redirect to the client: form-action must allow its target.
  return new Response(html, { status: 200, headers: { ...PAGE_HEADERS, "Content-Security-Policy": pageCsp(redirect.href) } });
}

/**
 * Whether a form POST comes from our own pages: neither `Origin` (when it names an origin) nor
 * `Sec-Fetch-Site` may say otherwise, and one of them must say so. Our pages send
 * `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` on a form POST (Fetch,
 * "serializing a request origin"); `Sec-Fetch-Site: same-origin` then tells (Fetch Metadata).
 */
function sameOrigin(settings: OAuthSettings, request: Request): boolean {
  const own = new URL(settings.issuer).origin;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (origin !== null && origin !== "null" && origin !== own) return false;
  if (site !== null && site !== "same-origin") return false;
  return site === "same-origin" || origin === own;
}

/** `POST /oauth/consent`: Approve or Deny from the consent page. */
export async function consent(ctx: ServerContext, request: Request, info: RequestInfo): Promise<Response> {
  const { settings } = ctx;
  const audit = (outcome: "success" | "failure", reason: string, extra: { client_id?: string; sub?: string } = {}) =>
    ctx.audit("oauth.consent", { outcome, reason, ...extra, ...(info.sourceIp === undefined ? {} : { source_ip: info.sourceIp }) });
  if (!sameOrigin(settings, request)) {
    audit("failure", "cross-site consent post");
    return errorPage(403, "Request refused", "This form can only be submitted from this site.");
  }
  const form = await readForm(request);
  if (typeof form === "string") return errorPage(400, "Invalid request", form);
  const id = form.get("txn") ?? "";
  const now = ctx.now();
  const txn = id === "" ? undefined : await ctx.store.get(txnKey(id).pk, "txn", now);
  if (txn === undefined || txn.status !== "consent") {
    audit("failure", "unknown or finished sign-in");
    return errorPage(400, "Sign-in expired", "This sign-in is unknown or already finished. Start again from your application.");
  }
  const binding = cookie(request, bindingCookieName(settings));
  const csrf = form.get("csrf") ?? "";
  if (binding === undefined || !safeEqual(sha256(binding), String(txn.binding_sha256)) || !safeEqual(csrf, String(txn.csrf))) {
    audit("failure", "csrf token or binding cookie wrong", { client_id: String(txn.client_id), sub: String(txn.sub) });
    return errorPage(403, "Request refused", "This form was not issued to this browser for this sign-in.");
  }
  const decided = await ctx.store.update(txnKey(id).pk, "txn", { status: "decided" }, { expected: { status: "consent" }, now });
  if (decided === undefined) return errorPage(400, "Sign-in expired", "This sign-in is already finished.");
  if (form.get("decision") !== "approve") {
    audit("failure", "user denied", { client_id: String(txn.client_id), sub: String(txn.sub) });
    await ctx.store.delete(txnKey(id).pk, "txn");
    return authorizationRedirect(
      settings,
      String(txn.redirect_uri),
      { error: "access_denied", error_description: "the user denied access", state: txn.state as string | undefined },
      { "Set-Cookie": bindingCookie(settings, "", 0) },
    );
  }
  const redirectHost = new URL(String(txn.redirect_uri)).host;
  await ctx.store.put(
    {
      ...consentKey(String(txn.sub), String(txn.client_id)),
      expires_at: now + settings.consentTtlSeconds,
      scopes: String(txn.scope)
        .split(" ")
        .filter((s) => s !== ""),
      redirect_host: redirectHost,
      approved_at: now,
    },
    { ifAbsent: false, now },
  );
  audit("success", "user approved", { client_id: String(txn.client_id), sub: String(txn.sub) });
  return issueCode(ctx, decided, "approved");
}

/** Stores a single-use code for the signed-in transaction and redirects to the client. */
async function issueCode(ctx: ServerContext, txn: StoredItem, reason: string): Promise<Response> {
  const { settings } = ctx;
  const now = ctx.now();
  const code = randomToken(32);
  const grantId = randomToken(16);
  await ctx.store.put(
    {
      ...codeKey(code),
      // Kept past its validity so that a replay can still be recognised and revoke the grant.
      expires_at: now + Math.max(300, settings.codeTtlSeconds),
      valid_until: now + settings.codeTtlSeconds,
      grant_id: grantId,
      client_id: String(txn.client_id),
      redirect_uri: String(txn.redirect_uri),
      code_challenge: String(txn.code_challenge),
      scope: String(txn.scope),
      resource: String(txn.resource),
      sub: String(txn.sub),
      email: String(txn.email),
      auth_time: Number(txn.auth_time),
      ...(typeof txn.tenant_id === "string" ? { tenant_id: txn.tenant_id } : {}),
      ...(typeof txn.upstream_refresh_token === "string" ? { upstream_refresh_token: txn.upstream_refresh_token } : {}),
    },
    { ifAbsent: true, now },
  );
  await ctx.store.delete(txn.pk, "txn");
  ctx.audit("oauth.authorize", {
    outcome: "success",
    reason: `code issued (${reason})`,
    client_id: String(txn.client_id),
    sub: String(txn.sub),
    grant_id: grantId,
  });
  return authorizationRedirect(
    settings,
    String(txn.redirect_uri),
    { code, state: txn.state as string | undefined },
    { "Set-Cookie": bindingCookie(settings, "", 0) },
  );
}
