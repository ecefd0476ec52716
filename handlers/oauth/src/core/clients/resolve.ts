/**
 * Client resolution (design 3.5, "Client kind"): a `client_id` that is an https URL with a path is a
 * Client ID Metadata Document client; otherwise a static client (`OAUTH_STATIC_CLIENTS`) or a
 * dynamically registered one (`client#<id>` items). Unknown ids resolve to undefined (`invalid_client`).
 */
import type { ServerContext } from "../context.js";
import { safeEqual, sha256 } from "../util.js";
import { CimdError, createCimdFetcher, type ClientMetadataDocument, type FetchedDocument } from "./cimd.js";

export type TokenEndpointAuthMethod = "none" | "client_secret_basic" | "client_secret_post";

export interface ClientInfo {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly string[];
  readonly token_endpoint_auth_method: TokenEndpointAuthMethod;
  readonly scope?: string;
  readonly kind: "static" | "dcr" | "cimd";
  /** Host publishing the client's metadata document (CIMD clients). */
  readonly metadata_host?: string;
  readonly skip_consent: boolean;
  readonly secret_sha256?: string;
}

/** Item key of a registered client. */
export const clientKey = (id: string) => ({ pk: `client#${id}`, sk: "client" });

/** Registered-client TTL is extended at most once a day, to keep reads free of writes. */
const TOUCH_INTERVAL_SECONDS = 86_400;

/** Whether `clientId` names a metadata document (https URL with a non-root path). */
export function isMetadataDocumentId(clientId: string): boolean {
  try {
    const url = new URL(clientId);
    return url.protocol === "https:" && url.pathname !== "/" && url.hash === "";
  } catch {
    return false;
  }
}

/** Loads a client. */
export async function resolveClient(ctx: ServerContext, clientId: string): Promise<ClientInfo | undefined> {
  if (clientId === "" || clientId.length > 2048) return undefined;
  const fixed = ctx.settings.staticClients.find((c) => c.client_id === clientId);
  if (fixed !== undefined) {
    return {
      client_id: fixed.client_id,
      client_name: fixed.client_name,
      redirect_uris: fixed.redirect_uris,
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: fixed.secret_sha256 === undefined ? "none" : "client_secret_basic",
      kind: "static",
      skip_consent: fixed.skip_consent ?? false,
      ...(fixed.secret_sha256 === undefined ? {} : { secret_sha256: fixed.secret_sha256 }),
    };
  }
  if (isMetadataDocumentId(clientId)) return metadataDocumentClient(ctx, clientId);
  if (ctx.settings.dcrMode === "off" || !clientId.startsWith("mcp_")) return undefined;
  const now = ctx.now();
  const { pk, sk } = clientKey(clientId);
  const item = await ctx.store.get(pk, sk, now);
  if (item === undefined) return undefined;
  if (typeof item.last_used_at === "number" && now - item.last_used_at > TOUCH_INTERVAL_SECONDS) {
    await ctx.store.update(pk, sk, { last_used_at: now, expires_at: now + ctx.settings.dcrClientTtlSeconds }, { expected: {}, now });
  }
  return {
    client_id: clientId,
    client_name: String(item.client_name),
    redirect_uris: item.redirect_uris as string[],
    grant_types: item.grant_types as string[],
    token_endpoint_auth_method: item.token_endpoint_auth_method as TokenEndpointAuthMethod,
    ...(typeof item.scope === "string" ? { scope: item.scope } : {}),
    kind: "dcr",
    skip_consent: false,
    ...(typeof item.secret_sha256 === "string" ? { secret_sha256: item.secret_sha256 } : {}),
  };
}

/**
 * Authenticates the client of a token or revocation request (RFC 6749 section 2.3.1): HTTP Basic or
 * `client_id` + `client_secret` in the body for confidential clients; `client_id` alone for public
 * ones. Basic credentials are form-urlencoded before base64 (section 2.3.1), hence the decoding.
 * @returns the client, or a reason string
 */
export async function authenticateClient(
  ctx: ServerContext,
  request: Request,
  form: Map<string, string>,
): Promise<ClientInfo | { error: string; basic: boolean }> {
  const header = request.headers.get("authorization") ?? "";
  let id = form.get("client_id");
  let secret = form.get("client_secret");
  let basic = false;
  if (/^basic /i.test(header)) {
    basic = true;
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return { error: "malformed Basic credentials", basic };
    const basicId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
    if (id !== undefined && id !== basicId) return { error: "client_id differs from the Basic credentials", basic };
    id = basicId;
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
  }
  if (id === undefined || id === "") return { error: "client_id required", basic };
  const client = await resolveClient(ctx, id);
  if (client === undefined) return { error: "unknown client", basic };
  if (client.secret_sha256 !== undefined) {
    if (secret === undefined || !safeEqual(sha256(secret), client.secret_sha256))
      return { error: "client authentication failed", basic: true };
  }
  return client;
}

/** Freshness bounds of a cached document, seconds (design 3.5: clamped 5 min to 24 h). */
const CIMD_MIN_FRESH = 300;
const CIMD_MAX_FRESH = 86_400;
/** A stale copy serves for this long when a fetch fails, seconds. */
const CIMD_STALE = 7 * 86_400;

const defaultFetchers = new WeakMap<object, (clientId: string) => Promise<FetchedDocument>>();

function fetcherFor(ctx: ServerContext): (clientId: string) => Promise<FetchedDocument> {
  if (ctx.cimd !== undefined) return ctx.cimd;
  let fetcher = defaultFetchers.get(ctx.settings);
  if (fetcher === undefined) {
    fetcher = createCimdFetcher({
      mode: ctx.settings.cimdMode === "open" ? "open" : "allowlist",
      allowedHosts: ctx.settings.cimdAllowedHosts,
    });
    defaultFetchers.set(ctx.settings, fetcher);
  }
  return fetcher;
}

/**
 * A Client ID Metadata Document client: the cached document while fresh, else fetched (a failed
 * fetch falls back to a stale copy up to 7 days old).
 */
async function metadataDocumentClient(ctx: ServerContext, clientId: string): Promise<ClientInfo | undefined> {
  if (ctx.settings.cimdMode === "off") return undefined;
  const now = ctx.now();
  const key = { pk: `cimd#${sha256(clientId)}`, sk: "doc" };
  const cached = await ctx.store.get(key.pk, key.sk, now);
  let document = cached !== undefined && cached.url === clientId ? (cached.document as unknown as ClientMetadataDocument) : undefined;
  if (document === undefined || Number(cached!.fresh_until) <= now) {
    try {
      const fetched = await fetcherFor(ctx)(clientId);
      document = fetched.document;
      const fresh = Math.min(CIMD_MAX_FRESH, Math.max(CIMD_MIN_FRESH, fetched.maxAge ?? CIMD_MIN_FRESH));
      await ctx.store.put(
        {
          ...key,
          url: clientId,
          document: { ...document } as never,
          fetched_at: now,
          fresh_until: now + fresh,
          expires_at: now + CIMD_STALE,
        },
        { ifAbsent: false, now },
      );
      ctx.audit("oauth.cimd_fetch", { outcome: "success", reason: "fetched", client_id: clientId });
    } catch (error) {
      const reason = error instanceof CimdError ? error.reason : "fetch failed";
      ctx.audit("oauth.cimd_fetch", {
        outcome: "failure",
        reason: document === undefined ? reason : `${reason}; stale copy used`,
        client_id: clientId,
      });
      if (document === undefined) return undefined;
    }
  }
  return {
    client_id: clientId,
    client_name: document.client_name,
    redirect_uris: document.redirect_uris,
    grant_types: document.grant_types,
    token_endpoint_auth_method: "none",
    ...(document.scope === undefined ? {} : { scope: document.scope }),
    kind: "cimd",
    metadata_host: new URL(clientId).hostname,
    skip_consent: false,
  };
}
