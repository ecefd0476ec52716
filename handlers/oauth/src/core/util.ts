/**
 * Small primitives shared by the endpoints: random values, hashes, constant-time comparison,
 * HTML escaping, and the response shapes of RFC 6749 section 5 (JSON, `no-store`).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `n` random bytes, base64url (no padding). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 of `value` (UTF-8), base64url. Used for every stored code, token, secret and cookie. */
export function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url");
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Lower-case RFC 4648 base32 of `bytes`, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Constant-time string equality (lengths may differ; the comparison still takes equal time per call shape). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** Escapes `&<>"'` for HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** CORS headers for endpoints that browser-based clients call directly (no credentials). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "WWW-Authenticate, Retry-After",
};

/** Answer to a CORS preflight: any origin, no credentials. */
export function preflight(methods: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "Access-Control-Allow-Methods": methods,
      "Access-Control-Allow-Headers": "Authorization, Content-Type, MCP-Protocol-Version",
      "Access-Control-Max-Age": "86400",
    },
  });
}

/** A JSON response; `cache` is the `Cache-Control` value (token endpoints: `no-store`). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}, cache = "no-store"): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": cache,
      ...(cache === "no-store" ? { Pragma: "no-cache" } : {}),
      ...headers,
    },
  });
}

/** An OAuth error response (RFC 6749 section 5.2 shape), `no-store`, CORS open. */
export function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Response {
  return json(status, { error, error_description: description }, { ...CORS_HEADERS, ...headers });
}

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 section 3.2), at most `maxBytes`.
 * Repeated parameters are refused (section 3.1: parameters must not be included more than once).
 * @returns the parameters, or a string naming the problem
 */
export async function readForm(request: Request, maxBytes = 16_384): Promise<Map<string, string> | string> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return "Content-Type must be application/x-www-form-urlencoded";
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) return "request body too large";
  const out = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (out.has(key)) return `parameter ${key} repeated`;
    out.set(key, value);
  }
  return out;
}

/** Reads a cookie from the `Cookie` header. */
export function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** Epoch seconds. */
export type Clock = () => number;
export const systemClock: Clock = () => Math.floor(Date.now() / 1000);
