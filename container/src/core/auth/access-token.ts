/**
 * Verification of the access tokens of the server's own authorization server (the one at the MCP
 * origin), and selection of the verifier by `iss` when the function also accepts another issuer's
 * tokens (Cognito machine-to-machine tokens).
 *
 * Sources: RFC 9068 section 4 (validate `typ: at+jwt`, `iss`, `aud`, signature with the issuer's
 * keys, `exp`); RFC 8725 section 3.1 (fixed algorithm list); MCP 2025-11-25 Authorization, "Token
 * Handling" (audience validation). Keys are inline public keys (no JWKS fetch), so a request costs
 * no network call, no DynamoDB and no KMS.
 */
import { createLocalJWKSet, decodeJwt, errors as joseErrors, exportJWK, importSPKI, jwtVerify, type JWTPayload } from "jose";
import { TokenRejectedError, type TokenVerifier, type VerifiedToken } from "./types.js";

/** One published key of the authorization server (`MCP_OAUTH_PUBLIC_KEYS` entry). */
export interface PublishedKey {
  readonly kid: string;
  readonly alg: "RS256";
  /** SubjectPublicKeyInfo PEM. */
  readonly pem: string;
}

export interface AccessTokenVerifierOptions {
  /** Exact `iss`: the authorization server's issuer (the MCP origin). */
  readonly issuer: string;
  /** `aud` must contain it: the MCP endpoint URL. */
  readonly audience: string;
  readonly publicKeys: readonly PublishedKey[];
  /** Tolerated clock skew, seconds. @default 5 */
  readonly clockToleranceSeconds?: number;
  /** How long a verified token is remembered, milliseconds (never past `exp`). 0 turns it off. @default 60000 */
  readonly verifiedCacheMs?: number;
  /** @default 1000 */
  readonly verifiedCacheSize?: number;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

const asList = (value: unknown): string[] =>
  typeof value === "string"
    ? value.split(" ").filter((s) => s !== "")
    : Array.isArray(value)
      ? value.filter((s): s is string => typeof s === "string")
      : [];

function reason(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof joseErrors.JWTExpired) return new TokenRejectedError("token expired", false, { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      iss: "unexpected issuer",
      aud: "unexpected audience",
      typ: "not an access token",
      nbf: "token not yet valid",
    };
    return new TokenRejectedError(
      error.reason === "missing" ? `missing claim ${error.claim}` : (reasons[error.claim] ?? `invalid claim ${error.claim}`),
      false,
      { cause: error },
    );
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new TokenRejectedError("algorithm not allowed", false, { cause: error });
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new TokenRejectedError("signature verification failed", false, { cause: error });
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new TokenRejectedError("no matching key", false, { cause: error });
  return new TokenRejectedError("malformed token", false, { cause: error });
}

/**
 * A verifier for this server's own access tokens: RS256 only, `typ` `at+jwt`, `iss` exact, `aud`
 * containing the resource, `exp`, `iat`, `sub` and `client_id` required. `client_id` is recorded,
 * not allow-listed (registered and metadata-document clients have ids unknown in advance).
 * @throws Error when a key is not an RSA SubjectPublicKeyInfo PEM (at creation, not per request)
 */
export async function createAccessTokenVerifier(options: AccessTokenVerifierOptions): Promise<TokenVerifier> {
  const jwks = createLocalJWKSet({
    keys: await Promise.all(
      options.publicKeys.map(async (k) => ({ ...(await exportJWK(await importSPKI(k.pem, k.alg))), kid: k.kid, alg: k.alg, use: "sig" })),
    ),
  });
  const cacheMs = options.verifiedCacheMs ?? 60_000;
  const cacheSize = options.verifiedCacheSize ?? 1000;
  const tolerance = options.clockToleranceSeconds ?? 5;
  const now = options.now ?? Date.now;
  const verified = new Map<string, { readonly value: VerifiedToken; readonly until: number }>();
  return async (token) => {
    const remembered = verified.get(token);
    if (remembered !== undefined && now() < remembered.until) return remembered.value;
    if (remembered !== undefined) verified.delete(token);
    let claims: JWTPayload & Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256"],
        typ: "at+jwt",
        clockTolerance: tolerance,
        requiredClaims: ["exp", "iat", "sub", "client_id"],
        currentDate: new Date(now()),
      }));
    } catch (error) {
      throw reason(error);
    }
    if (typeof claims.client_id !== "string" || typeof claims.sub !== "string" || claims.sub === "")
      throw new TokenRejectedError("malformed token");
    const value: VerifiedToken = Object.freeze({
      token,
      claims: Object.freeze(claims),
      clientId: claims.client_id,
      subject: claims.sub,
      scopes: Object.freeze(asList(claims.scope)),
      expiresAt: claims.exp as number,
    });
    if (cacheMs > 0) {
      verified.set(token, { value, until: Math.min(now() + cacheMs, (value.expiresAt + tolerance) * 1000) });
      if (verified.size > cacheSize) verified.delete(verified.keys().next().value!);
    }
    return value;
  };
}

/**
 * Picks the verifier by the token's `iss` (read without trusting it, only to choose); an unknown
 * or missing `iss` is refused before any key lookup.
 * @param verifiers issuer -> verifier
 */
export function verifierByIssuer(verifiers: Readonly<Record<string, TokenVerifier>>): TokenVerifier {
  return async (token) => {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch (error) {
      throw new TokenRejectedError("malformed token", false, { cause: error });
    }
    const verifier = typeof iss === "string" && Object.hasOwn(verifiers, iss) ? verifiers[iss] : undefined;
    if (verifier === undefined) throw new TokenRejectedError("unexpected issuer");
    return verifier(token);
  };
}
