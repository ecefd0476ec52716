/**
 * Access tokens (RFC 9068 JWT profile) and the signer interface.
 *
 * A {@link Signer} signs a JWS signing input with RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518
 * section 3.3) and names its key. Production signs with an AWS KMS asymmetric key (kms-signer.ts:
 * the private key never leaves KMS); local development with an in-process key (local-signer.ts).
 */
import { randomUUID } from "node:crypto";

export interface Signer {
  /** `kid` of the JWS header: the key's id as published in the JWKS. */
  readonly kid: string;
  /** RS256 signature (raw bytes) over the ASCII signing input `base64url(header).base64url(payload)`. */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/** Claims of an access token this server issues (RFC 9068 section 2.2, plus `tenant_id` and `gid`). */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly client_id: string;
  readonly scope: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly auth_time?: number;
  readonly tenant_id?: string;
  /** The grant this token belongs to (audit correlation). */
  readonly gid?: string;
  readonly email?: string;
}

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString("base64url");

/**
 * Signs an access token: header `{"alg":"RS256","typ":"at+jwt","kid":<signer.kid>}` (RFC 9068
 * section 2.1), compact serialization (RFC 7515 section 7.1).
 */
export async function signAccessToken(signer: Signer, claims: Omit<AccessTokenClaims, "jti"> & { jti?: string }): Promise<string> {
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "at+jwt", kid: signer.kid }));
  const payload = b64url(JSON.stringify({ ...claims, jti: claims.jti ?? randomUUID() }));
  const input = `${header}.${payload}`;
  const signature = await signer.sign(new TextEncoder().encode(input));
  return `${input}.${b64url(signature)}`;
}
