/**
 * Settings of the authorization server, read from `OAUTH_*` environment variables. Loading fails
 * with one message naming every bad variable and what it accepts.
 *
 * URLs are https, or http on a loopback host (local development only).
 */
import { z } from "zod";
import { ENV, type IntegerVar } from "../../../../container/src/contract/index.js";

/** Modes of dynamic client registration (RFC 7591) and Client ID Metadata Documents. */
export type ClientPolicyMode = "off" | "allowlist" | "open";

/** A pre-registered client (`OAUTH_STATIC_CLIENTS`). */
export interface StaticClient {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: readonly string[];
  /** SHA-256 (base64url) of the client secret; absent for a public client. */
  readonly secret_sha256?: string | undefined;
  /** No consent page for this client (operator-approved). @default false */
  readonly skip_consent?: boolean | undefined;
}

/** The upstream OpenID provider (Amazon Cognito, or the development provider locally). */
export interface UpstreamSettings {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly clientId: string;
  /** Confidential client secret (`client_secret_basic`); only the token function holds it. */
  readonly clientSecret?: string;
  /** @default ["openid", "email", "profile"] */
  readonly scopes: readonly string[];
  /** Cognito `identity_provider` (a federated IdP; skips the Cognito page). */
  readonly identityProvider?: string;
}

/** A public verification key: RS256, PEM SubjectPublicKeyInfo. */
export interface PublicKeySpec {
  readonly kid: string;
  readonly alg: "RS256";
  readonly pem: string;
}

export interface OAuthSettings {
  /** Issuer: the MCP origin, no path, no trailing slash (RFC 8414 section 2). */
  readonly issuer: string;
  /** The one protected resource (RFC 8707): the MCP endpoint URL, canonical. Bound into `aud`. */
  readonly resource: string;
  /** Scopes granted to every user. @default ["mcp/invoke"] */
  readonly scopes: readonly string[];
  /** Cognito group -> extra scopes a member may be granted when the client asks for them. */
  readonly groupScopes: Readonly<Record<string, readonly string[]>>;
  /** Access-token lifetime, seconds (300-3600). @default 900 */
  readonly accessTokenTtlSeconds: number;
  /** Absolute refresh-token (grant) lifetime, seconds. @default 30 days */
  readonly refreshTokenTtlSeconds: number;
  /** Authorization-code lifetime, seconds. @default 60 */
  readonly codeTtlSeconds: number;
  /** Sign-in transaction lifetime, seconds. @default 600 */
  readonly txnTtlSeconds: number;
  /** How long a consent is remembered, seconds. @default 90 days */
  readonly consentTtlSeconds: number;
  readonly dcrMode: ClientPolicyMode;
  /** New registrations per hour, all sources. @default 60 */
  readonly dcrMaxPerHour: number;
  /** New registrations per hour from one source address. @default 10 */
  readonly dcrMaxPerIpPerHour: number;
  /** A registered client unused for this long expires, seconds. @default 30 days */
  readonly dcrClientTtlSeconds: number;
  readonly cimdMode: ClientPolicyMode;
  readonly cimdAllowedHosts: readonly string[];
  /** Redirect URIs DCR clients may register; `http://localhost` (or 127.0.0.1, [::1]) with no path allows every loopback redirect. */
  readonly allowedRedirectUris: readonly string[];
  readonly staticClients: readonly StaticClient[];
  readonly upstream: UpstreamSettings;
  /** ID-token claim copied into the access token's `tenant_id`. @default "custom:tenant_id" */
  readonly tenantAttribute: string;
  /** Refuse users without the tenant attribute (`access_denied`). @default false */
  readonly tenantRequired: boolean;
  /** Published keys (JWKS); the signer's key id must be one of them. */
  readonly publicKeys: readonly PublicKeySpec[];
  /** KMS key id or ARN of the signing key (token function). */
  readonly signingKeyId?: string;
  /** DynamoDB table name; undefined selects the in-memory store (local development only). */
  readonly tableName?: string;
}

/** Default redirect allow-list (RFC 8252 loopback plus the known clients' fixed callbacks). */
export const DEFAULT_ALLOWED_REDIRECT_URIS: readonly string[] = [
  "http://localhost",
  "https://claude.ai/api/mcp/auth_callback",
  "https://claude.com/api/mcp/auth_callback",
  "https://vscode.dev/redirect",
  "https://insiders.vscode.dev/redirect",
  "https://www.cursor.com/agents/mcp/oauth/callback",
  "cursor://anysphere.cursor-mcp/oauth/callback",
  "https://chatgpt.com/connector_platform_oauth_redirect",
];

/** Default CIMD host allow-list. */
export const DEFAULT_CIMD_HOSTS: readonly string[] = ENV.OAUTH_CIMD_ALLOWED_HOSTS.default;

/** Whether `hostname` (as in `URL.hostname`) is a loopback host. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** An https URL, or http on a loopback host. */
const webUrl = () =>
  z.string().refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
    } catch {
      return false;
    }
  }, "must be an https URL (http only on a loopback host)");

const origin = () =>
  webUrl().refine((value) => {
    const url = new URL(value);
    return url.pathname === "/" && !value.endsWith("/") && url.search === "" && url.hash === "";
  }, "must be an origin: scheme and host, no path, no trailing slash");

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const list = () => z.string().transform((s) => s.split(/[\s,]+/).filter((x) => x !== ""));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A whole number with the range and default of its entry in the wire contract (container/src/contract). */
const intOf = (variable: IntegerVar) => int(variable.min, variable.max).default(variable.default!);
const mode = () => z.enum(["off", "allowlist", "open"]);

const schema = z.object({
  OAUTH_ISSUER: origin(),
  OAUTH_RESOURCE: webUrl(),
  OAUTH_SCOPES: list().default(["mcp/invoke"]),
  OAUTH_GROUP_SCOPES: jsonOf(z.record(z.string(), z.array(z.string().regex(/^\S+$/)))).default({}),
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: intOf(ENV.OAUTH_ACCESS_TOKEN_TTL_SECONDS),
  OAUTH_REFRESH_TOKEN_TTL_SECONDS: intOf(ENV.OAUTH_REFRESH_TOKEN_TTL_SECONDS),
  OAUTH_CODE_TTL_SECONDS: intOf(ENV.OAUTH_CODE_TTL_SECONDS),
  OAUTH_TXN_TTL_SECONDS: intOf(ENV.OAUTH_TXN_TTL_SECONDS),
  OAUTH_CONSENT_TTL_SECONDS: intOf(ENV.OAUTH_CONSENT_TTL_SECONDS),
  OAUTH_DCR_MODE: mode().default("allowlist"),
  OAUTH_DCR_MAX_PER_HOUR: intOf(ENV.OAUTH_DCR_MAX_PER_HOUR),
  OAUTH_DCR_MAX_PER_IP_PER_HOUR: intOf(ENV.OAUTH_DCR_MAX_PER_IP_PER_HOUR),
  OAUTH_DCR_CLIENT_TTL_SECONDS: intOf(ENV.OAUTH_DCR_CLIENT_TTL_SECONDS),
  OAUTH_CIMD_MODE: mode().default("allowlist"),
  OAUTH_CIMD_ALLOWED_HOSTS: list().default([...DEFAULT_CIMD_HOSTS]),
  OAUTH_ALLOWED_REDIRECT_URIS: jsonOf(z.array(z.string())).default([...DEFAULT_ALLOWED_REDIRECT_URIS]),
  OAUTH_STATIC_CLIENTS: jsonOf(
    z.array(
      z.object({
        client_id: z.string().min(1),
        client_name: z.string().min(1),
        redirect_uris: z.array(z.string()).min(1),
        secret_sha256: z.string().optional(),
        skip_consent: z.boolean().optional(),
      }),
    ),
  ).default([]),
  OAUTH_UPSTREAM_ISSUER: webUrl(),
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: webUrl(),
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: webUrl(),
  OAUTH_UPSTREAM_JWKS_URI: webUrl(),
  OAUTH_UPSTREAM_CLIENT_ID: z.string().min(1),
  OAUTH_UPSTREAM_CLIENT_SECRET: z.string().min(1).optional(),
  OAUTH_UPSTREAM_SCOPES: list().default(["openid", "email", "profile"]),
  OAUTH_UPSTREAM_IDENTITY_PROVIDER: z.string().min(1).optional(),
  OAUTH_TENANT_ATTRIBUTE: z.string().min(1).default("custom:tenant_id"),
  OAUTH_TENANT_REQUIRED: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  OAUTH_PUBLIC_KEYS: jsonOf(
    z.array(z.object({ kid: z.string().min(1), alg: z.literal("RS256"), pem: z.string().includes("BEGIN PUBLIC KEY") })).min(1),
  ),
  OAUTH_SIGNING_KEY_ID: z.string().min(1).optional(),
  OAUTH_TABLE_NAME: z.string().min(3).optional(),
});

/** The environment variables the settings are read from (the wire contract lists the same). */
export const OAUTH_ENV_NAMES: readonly string[] = Object.keys(schema.shape);

/** Invalid configuration; the message names each variable. */
export class OAuthConfigError extends Error {
  override readonly name = "OAuthConfigError";
}

/**
 * Reads and validates the settings.
 * @throws OAuthConfigError naming every invalid or missing variable
 */
export function loadOAuthSettings(env: Readonly<Record<string, string | undefined>> = process.env): OAuthSettings {
  const input = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${String(issue.path[0])}=${JSON.stringify(input[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new OAuthConfigError(`invalid authorization server configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  return {
    issuer: e.OAUTH_ISSUER,
    resource: e.OAUTH_RESOURCE,
    scopes: e.OAUTH_SCOPES,
    groupScopes: e.OAUTH_GROUP_SCOPES,
    accessTokenTtlSeconds: e.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.OAUTH_REFRESH_TOKEN_TTL_SECONDS,
    codeTtlSeconds: e.OAUTH_CODE_TTL_SECONDS,
    txnTtlSeconds: e.OAUTH_TXN_TTL_SECONDS,
    consentTtlSeconds: e.OAUTH_CONSENT_TTL_SECONDS,
    dcrMode: e.OAUTH_DCR_MODE,
    dcrMaxPerHour: e.OAUTH_DCR_MAX_PER_HOUR,
    dcrMaxPerIpPerHour: e.OAUTH_DCR_MAX_PER_IP_PER_HOUR,
    dcrClientTtlSeconds: e.OAUTH_DCR_CLIENT_TTL_SECONDS,
    cimdMode: e.OAUTH_CIMD_MODE,
    cimdAllowedHosts: e.OAUTH_CIMD_ALLOWED_HOSTS,
    allowedRedirectUris: e.OAUTH_ALLOWED_REDIRECT_URIS,
    staticClients: e.OAUTH_STATIC_CLIENTS,
    upstream: {
      issuer: e.OAUTH_UPSTREAM_ISSUER,
      authorizationEndpoint: e.OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT,
      tokenEndpoint: e.OAUTH_UPSTREAM_TOKEN_ENDPOINT,
      jwksUri: e.OAUTH_UPSTREAM_JWKS_URI,
      clientId: e.OAUTH_UPSTREAM_CLIENT_ID,
      ...(e.OAUTH_UPSTREAM_CLIENT_SECRET === undefined ? {} : { clientSecret: e.OAUTH_UPSTREAM_CLIENT_SECRET }),
      scopes: e.OAUTH_UPSTREAM_SCOPES,
      ...(e.OAUTH_UPSTREAM_IDENTITY_PROVIDER === undefined ? {} : { identityProvider: e.OAUTH_UPSTREAM_IDENTITY_PROVIDER }),
    },
    tenantAttribute: e.OAUTH_TENANT_ATTRIBUTE,
    tenantRequired: e.OAUTH_TENANT_REQUIRED,
    publicKeys: e.OAUTH_PUBLIC_KEYS,
    ...(e.OAUTH_SIGNING_KEY_ID === undefined ? {} : { signingKeyId: e.OAUTH_SIGNING_KEY_ID }),
    ...(e.OAUTH_TABLE_NAME === undefined ? {} : { tableName: e.OAUTH_TABLE_NAME }),
  };
}

/** Settings with defaults for everything but the deployment-specific values (local server, tests). */
export function settingsWithDefaults(
  values: Pick<OAuthSettings, "issuer" | "resource" | "upstream" | "publicKeys"> & Partial<OAuthSettings>,
): OAuthSettings {
  return {
    scopes: ["mcp/invoke"],
    groupScopes: {},
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 30 * 86400,
    codeTtlSeconds: 60,
    txnTtlSeconds: 600,
    consentTtlSeconds: 90 * 86400,
    dcrMode: "allowlist",
    dcrMaxPerHour: 60,
    dcrMaxPerIpPerHour: 10,
    dcrClientTtlSeconds: 30 * 86400,
    cimdMode: "allowlist",
    cimdAllowedHosts: DEFAULT_CIMD_HOSTS,
    allowedRedirectUris: DEFAULT_ALLOWED_REDIRECT_URIS,
    staticClients: [],
    tenantAttribute: "custom:tenant_id",
    tenantRequired: false,
    ...values,
  };
}
