/**
 * Access-token verification inside the function (defence in depth behind the API Gateway JWT
 * authorizer, and the only check when the function is invoked another way).
 *
 * Sources: RFC 7519 (JWT) sections 4.1.1-4.1.5; RFC 8725 (JWT BCP) section 3.1 (algorithm
 * allow-list: never `none`, never a symmetric algorithm with a public key); RFC 9068 (JWT access
 * tokens); MCP spec 2025-06-18 Authorization, "Token Handling" (validate the audience; never pass
 * the token on); Cognito developer guide, "Verifying a JSON Web Token" (check `iss`, `exp`,
 * `token_use = access`, and `client_id` because access tokens carry no `aud`).
 */
import { TokenRejectedError, type TokenVerifier, type VerificationContext, type VerifiedToken } from "./types.js";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

export interface JwtVerifierOptions {
  /** `iss` compared as an exact string (RFC 8414 section 3.3; a trailing `/` is part of it). */
  readonly issuer: string;
  /** Allowed client ids: `client_id` must be one; a token without `client_id` must have one in `aud` (API Gateway's rule). */
  readonly clientIds: readonly string[];
  /**
   * When set, `aud` must contain it (RFC 8707 resource indicator), also on tokens without `aud`.
   * Unset: a token that carries `aud` must contain the request's resource URL
   * ({@link VerificationContext.resource}); one without `aud` (Cognito access tokens) is held to the
   * `client_id` rule alone.
   */
  readonly audience?: string;
  /** JWKS URL (https, or http on loopback in tests). */
  readonly jwksUrl: string;
  /** Allowed `alg` values; asymmetric only. @default ["RS256"] */
  readonly algorithms?: readonly string[];
  /** Tolerated clock skew on `exp` / `nbf` / `iat` (an `iat` later than now plus this is refused), seconds. @default 5 */
  readonly clockToleranceSeconds?: number;
  /** Minimum time between JWKS re-fetches caused by an unknown `kid`, milliseconds. @default 30000 */
  readonly jwksCooldownMs?: number;
  /** How long a fetched JWKS is trusted before it is re-fetched, milliseconds. @default 600000 */
  readonly jwksCacheMaxAgeMs?: number;
  /** JWKS HTTP timeout, milliseconds. @default 3000 */
  readonly jwksTimeoutMs?: number;
  /** Replaces the remote JWKS (tests of the verifier alone). */
  readonly keys?: JWTVerifyGetKey;
  /**
   * How long a token that passed every check is remembered, milliseconds (never past its `exp` plus
   * the clock tolerance); a remembered token skips the signature check and the claim checks. 0 turns
   * it off. Clients send the same access token for many requests, and the RS256 signature check is
   * most of the verification's cost (about 0.2 ms). Kept short: the JWKS itself is trusted for
   * `jwksCacheMaxAgeMs`, so a key withdrawn from the JWKS stops working within both windows.
   * @default 60000
   */
  readonly verifiedCacheMs?: number;
  /** Most tokens remembered (least recently used dropped). @default 1000 */
  readonly verifiedCacheSize?: number;
  /** Clock, epoch milliseconds (for the remembered tokens; jose reads the system clock). @default Date.now */
  readonly now?: () => number;
}

const asList = (value: unknown): string[] =>
  typeof value === "string"
    ? value.split(" ").filter((s) => s !== "")
    : Array.isArray(value)
      ? value.filter((s): s is string => typeof s === "string")
      : [];

/** Maps jose's errors to a short public reason. */
function reasonFor(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof joseErrors.JWTExpired) return new TokenRejectedError("token expired", false, { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return new TokenRejectedError(`missing claim ${error.claim}`, false, { cause: error });
    const reasons: Record<string, string> = {
      iss: "unexpected issuer",
      nbf: "token not yet valid",
      exp: "token expired",
      aud: "unexpected audience",
    };
    return new TokenRejectedError(reasons[error.claim] ?? `invalid claim ${error.claim}`, false, { cause: error });
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new TokenRejectedError("algorithm not allowed", false, { cause: error });
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new TokenRejectedError("signature verification failed", false, { cause: error });
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new TokenRejectedError("no matching key", false, { cause: error });
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return new TokenRejectedError("ambiguous key", false, { cause: error });
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return new TokenRejectedError("malformed token", false, { cause: error });
  }
  // The JWKS could not be fetched or read: a timeout (JWKSTimeout), a network failure (fetch's
  // TypeError), a status other than 200 or a body that is not JSON (jose's generic JOSEError,
  // code ERR_JOSE_GENERIC), or JSON that is not a JWK Set (JWKSInvalid). None says anything about
  // the token, so none is a 401: the client would throw a valid token away.
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error instanceof TypeError ||
    (error instanceof joseErrors.JOSEError && error.code === joseErrors.JOSEError.code)
  ) {
    return new TokenRejectedError("authorization server keys unavailable", true, { cause: error });
  }
  return new TokenRejectedError("invalid token", false, { cause: error });
}

/**
 * Creates a verifier. Checks, in order: compact JWS with an allowed asymmetric `alg` (`none` and
 * HS* are refused before any key is looked up); signature against the JWKS key named by `kid`
 * (an unknown `kid` re-fetches the JWKS once per cooldown, so key rotation needs no restart);
 * `iss` exactly as configured; `exp` present and not past; `nbf` and `iat` not in the future (both
 * with `clockToleranceSeconds`); `token_use`, when present, `access` (refuses Cognito ID tokens);
 * client (`client_id`, else `aud`) in the allow-list. Audience (MCP 2025-06-18 / 2025-11-25
 * Authorization, "Token Handling": servers MUST reject tokens not issued for them): with `audience`
 * configured `aud` must contain it; otherwise a token that carries `aud` must contain the request's
 * resource URL (`context.resource`), and a token without `aud` (a Cognito access token) passes on
 * the client rule. A token that passed is remembered for `verifiedCacheMs` (at most until `exp`), so
 * a client's next requests skip the signature check; the audience is checked on every call.
 * @throws Error when `algorithms` contains a symmetric or `none` algorithm
 */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const algorithms = [...(options.algorithms ?? ["RS256"])];
  for (const alg of algorithms) {
    if (alg === "none" || alg.startsWith("HS"))
      throw new Error(`JwtVerifierOptions.algorithms: "${alg}" is not allowed (asymmetric algorithms only)`);
  }
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
      timeoutDuration: options.jwksTimeoutMs ?? 3_000,
    });
  const clientIds = new Set(options.clientIds);
  const cacheMs = options.verifiedCacheMs ?? 60_000;
  const cacheSize = options.verifiedCacheSize ?? 1000;
  const tolerance = options.clockToleranceSeconds ?? 5;
  const now = options.now ?? Date.now;
  const verified = new Map<string, { readonly value: VerifiedToken; readonly until: number }>();
  return async (token, context = {}) => {
    const remembered = verified.get(token);
    if (remembered !== undefined) {
      verified.delete(token);
      if (now() < remembered.until) {
        verified.set(token, remembered);
        return checkAudience(remembered.value, context);
      }
    }
    const value = await check(token);
    if (cacheMs > 0) {
      verified.set(token, { value, until: Math.min(now() + cacheMs, (value.expiresAt + tolerance) * 1000) });
      if (verified.size > cacheSize) verified.delete(verified.keys().next().value!);
    }
    return checkAudience(value, context);
  };

  /** The audience rule (see above); per call, because the resource URL may come from the request. */
  function checkAudience(value: VerifiedToken, context: VerificationContext): VerifiedToken {
    const audiences = asList(value.claims.aud);
    if (options.audience !== undefined) {
      if (!audiences.includes(options.audience)) throw new TokenRejectedError("unexpected audience");
    } else if (value.claims.aud !== undefined && context.resource !== undefined && !audiences.includes(context.resource)) {
      throw new TokenRejectedError("unexpected audience");
    }
    return value;
  }

  async function check(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        algorithms,
        clockTolerance: tolerance,
        requiredClaims: ["exp"],
      });
      const claims = payload as JWTPayload & Record<string, unknown>;
      if (claims.token_use !== undefined && claims.token_use !== "access") throw new TokenRejectedError("not an access token");
      const audiences = asList(claims.aud);
      let clientId: string | undefined;
      if (typeof claims.client_id === "string") {
        if (clientIds.has(claims.client_id)) clientId = claims.client_id;
      } else {
        clientId = audiences.find((aud) => clientIds.has(aud));
      }
      if (clientId === undefined) throw new TokenRejectedError("client not allowed");
      // jose checks `iat` only against a maximum token age; an `iat` in the future is refused here.
      if (typeof claims.iat === "number" && claims.iat > Math.floor(now() / 1000) + tolerance)
        throw new TokenRejectedError("token issued in the future");
      return Object.freeze({
        token,
        claims: Object.freeze(claims),
        clientId,
        subject: typeof claims.sub === "string" && claims.sub !== "" ? claims.sub : clientId,
        scopes: Object.freeze(asList(claims.scope ?? claims.scp)),
        expiresAt: claims.exp as number,
      });
    } catch (error) {
      throw reasonFor(error);
    }
  }
}

export { TokenRejectedError } from "./types.js";
export type { TokenVerifier, VerificationContext, VerifiedToken } from "./types.js";
