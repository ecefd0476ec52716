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
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { checkIssuedAt, claimList, createVerifiedCache, rejectionFor, verifiedToken } from "./claims.js";

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
  const tolerance = options.clockToleranceSeconds ?? 5;
  const now = options.now ?? Date.now;
  const verified = createVerifiedCache({
    ttlMs: options.verifiedCacheMs ?? 60_000,
    size: options.verifiedCacheSize ?? 1000,
    toleranceSeconds: tolerance,
    now,
  });
  return async (token, context = {}) => {
    const remembered = verified.get(token);
    if (remembered !== undefined) return checkAudience(remembered, context);
    const value = await check(token);
    verified.remember(value);
    return checkAudience(value, context);
  };

  /** The audience rule (see above); per call, because the resource URL may come from the request. */
  function checkAudience(value: VerifiedToken, context: VerificationContext): VerifiedToken {
    const audiences = claimList(value.claims.aud);
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
      const audiences = claimList(claims.aud);
      let clientId: string | undefined;
      if (typeof claims.client_id === "string") {
        if (clientIds.has(claims.client_id)) clientId = claims.client_id;
      } else {
        clientId = audiences.find((aud) => clientIds.has(aud));
      }
      if (clientId === undefined) throw new TokenRejectedError("client not allowed");
      checkIssuedAt(claims, now(), tolerance);
      return verifiedToken(token, claims, clientId);
    } catch (error) {
      throw rejectionFor(error);
    }
  }
}

export { TokenRejectedError } from "./types.js";
export type { TokenVerifier, VerificationContext, VerifiedToken } from "./types.js";
