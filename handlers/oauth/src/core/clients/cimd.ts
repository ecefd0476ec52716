/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP 2025-11-25
 * Authorization, "Client ID Metadata Documents"): a `client_id` that is an https URL names a JSON
 * document the client publishes there.
 *
 * Fetch rules (the draft's security considerations; SSRF):
 * - `https`, default port, no credentials, no fragment; the host must be on the allow-list in
 *   `allowlist` mode (checked before any DNS lookup or connection);
 * - DNS is resolved first and every address must be public: loopback, private, link-local
 *   (incl. 169.254.169.254 and fd00:ec2::254), CGNAT, ULA, multicast, unspecified and IPv4-mapped
 *   forms of those refuse the fetch with no connection attempt; the connection then goes to the
 *   checked address (no second lookup, so no DNS rebinding);
 * - GET, no cookies or credentials, no redirects, at most 5 KB and 5 s.
 *
 * Validation: JSON object; `client_id` equal to the URL; non-empty `client_name` and `redirect_uris`;
 * acceptable redirect URIs; `token_endpoint_auth_method` absent or `none`; no secrets or private
 * keys; unknown grant types ignored.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { redirectUriProblem } from "./redirect.js";

/** A document that passed validation (the members this server uses). */
export interface ClientMetadataDocument {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly string[];
  readonly scope?: string;
}

/** Why a document was refused; `reason` is safe to log and to return as `error_description`. */
export class CimdError extends Error {
  override readonly name = "CimdError";
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Whether an IP address may be connected to. */
export type AddressPolicy = (address: string) => boolean;

function ipv4Public(a: number, b: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast/reserved
  if (a === 169 && b === 254) return false; // link-local, incl. instance metadata
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT (RFC 6598)
  if (a === 192 && b === 0) return false; // IETF protocol assignments, incl. 192.0.0.0/24
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  return true;
}

/** The default policy: public unicast addresses only (IPv4 and IPv6, IPv4-mapped forms unwrapped). */
export const publicAddressesOnly: AddressPolicy = (address) => {
  const family = isIP(address);
  if (family === 4) {
    const [a, b] = address.split(".").map(Number) as [number, number];
    return ipv4Public(a, b);
  }
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped !== null) return publicAddressesOnly(mapped[1]!);
  const hexMapped = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped !== null) {
    const hi = parseInt(hexMapped[1]!, 16);
    return ipv4Public(hi >> 8, hi & 255);
  }
  if (lower === "::" || lower === "::1") return false;
  const first = parseInt(lower.split(":")[0] || "0", 16);
  if ((first & 0xfe00) === 0xfc00) return false; // ULA fc00::/7 (incl. fd00:ec2::254)
  if ((first & 0xffc0) === 0xfe80) return false; // link-local
  if ((first & 0xff00) === 0xff00) return false; // multicast
  if (first === 0x2001 && parseInt(lower.split(":")[1] || "0", 16) === 0xdb8) return false; // documentation
  return true;
};

export interface CimdFetcherOptions {
  /** `allowlist`: only hosts in `allowedHosts`; `open`: any host with public addresses. */
  readonly mode: "allowlist" | "open";
  readonly allowedHosts: readonly string[];
  /** @default {@link publicAddressesOnly} */
  readonly addressPolicy?: AddressPolicy;
  /** Resolves a host name to addresses. @default node:dns lookup (all addresses) */
  readonly resolve?: (host: string) => Promise<string[]>;
  /** Extra trusted CA certificates (PEM; tests with a local TLS server). */
  readonly ca?: string;
  /** Port connected to (tests only). @default 443 */
  readonly port?: number;
  /** @default 5120 */
  readonly maxBytes?: number;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export interface FetchedDocument {
  readonly document: ClientMetadataDocument;
  /** `Cache-Control: max-age`, seconds, when given. */
  readonly maxAge?: number;
}

/** Checks a `client_id` URL before any network use. */
export function metadataUrlProblem(clientId: string, options: Pick<CimdFetcherOptions, "mode" | "allowedHosts">): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "client_id is not a URL";
  }
  if (url.protocol !== "https:") return "client_id URL must be https";
  if (url.port !== "") return "client_id URL must use the default port";
  if (url.username !== "" || url.password !== "") return "client_id URL must not contain credentials";
  if (clientId.includes("#")) return "client_id URL must not contain a fragment";
  if (url.pathname === "/") return "client_id URL must have a path";
  if (options.mode === "allowlist" && !options.allowedHosts.includes(url.hostname))
    return `host ${url.hostname} is not allowed to publish client metadata here`;
  if (isIP(url.hostname.replace(/^\[|\]$/g, "")) !== 0) return "client_id URL must name a host, not an address";
  return undefined;
}

export function createCimdFetcher(options: CimdFetcherOptions): (clientId: string) => Promise<FetchedDocument> {
  const policy = options.addressPolicy ?? publicAddressesOnly;
  const resolve = options.resolve ?? (async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address));
  const maxBytes = options.maxBytes ?? 5120;
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (clientId) => {
    const problem = metadataUrlProblem(clientId, options);
    if (problem !== undefined) throw new CimdError(problem);
    const url = new URL(clientId);
    const addresses = await withTimeout(resolve(url.hostname), timeoutMs, "DNS lookup timed out");
    if (addresses.length === 0) throw new CimdError("host does not resolve");
    const refused = addresses.find((a) => !policy(a));
    if (refused !== undefined) throw new CimdError(`host resolves to a non-public address (${refused})`);
    const address = addresses[0]!;
    const { status, body, cacheControl } = await get(url, address, options, maxBytes, timeoutMs);
    if (status !== 200)
      throw new CimdError(status >= 300 && status < 400 ? "redirects are not followed" : `document answered HTTP ${status}`);
    const document = validate(body, clientId);
    const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? "")?.[1];
    return { document, ...(maxAge === undefined ? {} : { maxAge: Number(maxAge) }) };
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CimdError(message)), ms)))]).finally(
    () => clearTimeout(timer),
  );
}

function get(
  url: URL,
  address: string,
  options: CimdFetcherOptions,
  maxBytes: number,
  timeoutMs: number,
): Promise<{ status: number; body: string; cacheControl?: string }> {
  return new Promise((resolve, reject) => {
    const family = isIP(address);
    const req = httpsRequest(
      {
        host: url.hostname,
        servername: url.hostname,
        port: options.port ?? 443,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { accept: "application/json", "user-agent": "mcp-authorization-server" },
        // Connect to the address that passed the policy; no second lookup.
        lookup: ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) =>
          opts.all === true ? callback(null, [{ address, family }]) : callback(null, address, family)) as never,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        agent: false,
      },
      (res) => {
        let size = 0;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new CimdError(`document larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ...(res.headers["cache-control"] === undefined ? {} : { cacheControl: res.headers["cache-control"] }),
          }),
        );
        res.on("error", (error) => reject(new CimdError(`document could not be read: ${error.message}`)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new CimdError(`document not received within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", (error) => reject(new CimdError(`document could not be fetched: ${error.message}`)));
    req.end();
  });
}

const SECRET_MEMBERS = ["client_secret", "client_secret_expires_at", "registration_access_token"];

function validate(text: string, clientId: string): ClientMetadataDocument {
  let doc: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    doc = parsed as Record<string, unknown>;
  } catch {
    throw new CimdError("document is not a JSON object");
  }
  if (doc.client_id !== clientId) throw new CimdError("document client_id differs from its URL");
  if (typeof doc.client_name !== "string" || doc.client_name.trim() === "") throw new CimdError("document has no client_name");
  if (
    !Array.isArray(doc.redirect_uris) ||
    doc.redirect_uris.length === 0 ||
    doc.redirect_uris.some((u) => typeof u !== "string" || redirectUriProblem(u) !== undefined)
  ) {
    throw new CimdError("document redirect_uris missing or not acceptable");
  }
  if (doc.token_endpoint_auth_method !== undefined && doc.token_endpoint_auth_method !== "none")
    throw new CimdError('document token_endpoint_auth_method must be "none"');
  if (SECRET_MEMBERS.some((m) => m in doc)) throw new CimdError("document contains a secret");
  const keys = (doc.jwks as { keys?: unknown } | undefined)?.keys;
  if (Array.isArray(keys) && keys.some((k) => typeof k === "object" && k !== null && "d" in k))
    throw new CimdError("document contains a private key");
  const grants = Array.isArray(doc.grant_types)
    ? doc.grant_types.filter((g): g is string => g === "authorization_code" || g === "refresh_token")
    : ["authorization_code"];
  return {
    client_id: clientId,
    client_name: doc.client_name.trim().slice(0, 200),
    redirect_uris: doc.redirect_uris as string[],
    grant_types: grants.length === 0 ? ["authorization_code"] : grants,
    ...(typeof doc.scope === "string" ? { scope: doc.scope } : {}),
  };
}
