/**
 * The checks and bookkeeping both token verifiers share (jwt.ts for the Cognito issuer, access-token.ts
 * for this origin's authorization server): one mapping of jose's errors to a public reason, the
 * `iat` rule, the scope list, the {@link VerifiedToken} they return and the cache of verified tokens.
 *
 * Sources: RFC 7519 section 4.1.6 (`iat`); RFC 8693 section 4.2 (`scope`, space separated); RFC 6750
 * section 3 (reasons safe for `error_description`).
 */
import { errors as joseErrors, type JWTPayload } from "jose";
import { TokenRejectedError, type VerifiedToken } from "./types.js";

/** A string claim split on spaces, or an array claim's strings; anything else is empty. */
export function claimList(value: unknown): string[] {
  return typeof value === "string"
    ? value.split(" ").filter((s) => s !== "")
    : Array.isArray(value)
      ? value.filter((s): s is string => typeof s === "string")
      : [];
}

/** Public reasons for jose's claim failures, by claim. */
const CLAIM_REASONS: Readonly<Record<string, string>> = {
  iss: "unexpected issuer",
  aud: "unexpected audience",
  typ: "not an access token",
  nbf: "token not yet valid",
  exp: "token expired",
};

/**
 * Maps an error thrown while verifying to a {@link TokenRejectedError} with a short public reason.
 * Failures to fetch or read a remote JWKS (timeout, network `TypeError`, non-200 or non-JSON body,
 * not a JWK Set) say nothing about the token: they are `unavailable` (503), never a 401.
 */
export function rejectionFor(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  const rejected = (reason: string, unavailable = false) => new TokenRejectedError(reason, unavailable, { cause: error });
  if (error instanceof joseErrors.JWTExpired) return rejected("token expired");
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return rejected(
      error.reason === "missing" ? `missing claim ${error.claim}` : (CLAIM_REASONS[error.claim] ?? `invalid claim ${error.claim}`),
    );
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return rejected("algorithm not allowed");
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return rejected("signature verification failed");
  if (error instanceof joseErrors.JWKSNoMatchingKey) return rejected("no matching key");
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return rejected("ambiguous key");
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return rejected("malformed token");
  }
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error instanceof TypeError ||
    (error instanceof joseErrors.JOSEError && error.code === joseErrors.JOSEError.code)
  ) {
    return rejected("authorization server keys unavailable", true);
  }
  return rejected("invalid token");
}

/**
 * Refuses an `iat` later than now plus the tolerance (jose checks `iat` only against a maximum age).
 * @throws TokenRejectedError "token issued in the future"
 */
export function checkIssuedAt(claims: JWTPayload, nowMs: number, toleranceSeconds: number): void {
  if (typeof claims.iat === "number" && claims.iat > Math.floor(nowMs / 1000) + toleranceSeconds)
    throw new TokenRejectedError("token issued in the future");
}

/** The frozen result of a verification: scopes from `scope` (or `scp`), subject defaulting to the client. */
export function verifiedToken(token: string, claims: JWTPayload & Record<string, unknown>, clientId: string): VerifiedToken {
  return Object.freeze({
    token,
    claims: Object.freeze(claims),
    clientId,
    subject: typeof claims.sub === "string" && claims.sub !== "" ? claims.sub : clientId,
    scopes: Object.freeze(claimList(claims.scope ?? claims.scp)),
    expiresAt: claims.exp as number,
  });
}

/** Options of {@link createVerifiedCache}. */
export interface VerifiedCacheOptions {
  /** How long a verified token is remembered, milliseconds (never past `exp` plus the tolerance). 0 turns it off. */
  readonly ttlMs: number;
  /** Most tokens remembered; the least recently used is dropped. */
  readonly size: number;
  /** Clock tolerance added to `exp`, seconds. */
  readonly toleranceSeconds: number;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** Tokens that passed every check, so a client's next requests skip the signature check (about 0.2 ms each). */
export interface VerifiedCache {
  /** The remembered result, or undefined when absent or past its time. */
  get(token: string): VerifiedToken | undefined;
  remember(value: VerifiedToken): void;
}

/** A least-recently-used cache of verified tokens (see {@link VerifiedCacheOptions}). */
export function createVerifiedCache(options: VerifiedCacheOptions): VerifiedCache {
  const entries = new Map<string, { readonly value: VerifiedToken; readonly until: number }>();
  return {
    get(token) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      entries.delete(token);
      if (options.now() >= entry.until) return undefined;
      entries.set(token, entry);
      return entry.value;
    },
    remember(value) {
      if (options.ttlMs <= 0) return;
      entries.set(value.token, {
        value,
        until: Math.min(options.now() + options.ttlMs, (value.expiresAt + options.toleranceSeconds) * 1000),
      });
      if (entries.size > options.size) entries.delete(entries.keys().next().value!);
    },
  };
}
