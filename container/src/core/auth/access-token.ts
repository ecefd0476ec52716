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
import { createLocalJWKSet, decodeJwt, exportJWK, importSPKI, jwtVerify, type JWTPayload } from "jose";
import { checkIssuedAt, createVerifiedCache, rejectionFor, verifiedToken } from "./claims.js";
import { TokenRejectedError, type TokenVerifier } from "./types.js";

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
  const tolerance = options.clockToleranceSeconds ?? 5;
  const now = options.now ?? Date.now;
  const verified = createVerifiedCache({
    ttlMs: options.verifiedCacheMs ?? 60_000,
    size: options.verifiedCacheSize ?? 1000,
    toleranceSeconds: tolerance,
    now,
  });
  return async (token) => {
    const remembered = verified.get(token);
    if (remembered !== undefined) return remembered;
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
      throw rejectionFor(error);
    }
    if (typeof claims.client_id !== "string" || typeof claims.sub !== "string" || claims.sub === "")
      throw new TokenRejectedError("malformed token");
    checkIssuedAt(claims, now(), tolerance);
    const value = verifiedToken(token, claims, claims.client_id);
    verified.remember(value);
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
