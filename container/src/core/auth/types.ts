/**
 * The verifier's result and error types, without jose: the authentication stage imports only these,
 * so jose (jwt.ts) is loaded only when authentication is configured.
 */
import type { JWTPayload } from "jose";

/** A token that passed every check. */
export interface VerifiedToken {
  /** The raw token (for the SDK's `AuthInfo.token`; never forwarded to other services). */
  readonly token: string;
  /** All claims of the payload. */
  readonly claims: JWTPayload & Record<string, unknown>;
  /** `client_id`, else the matching `aud` entry. */
  readonly clientId: string;
  /** `sub`, else the client id (client_credentials tokens from some servers have no `sub`). */
  readonly subject: string;
  /** Scopes from `scope` (space separated, RFC 8693 section 4.2) or `scp`. */
  readonly scopes: readonly string[];
  /** `exp`, epoch seconds. */
  readonly expiresAt: number;
}

/**
 * A rejected token. `reason` is safe to return in `error_description` (RFC 6750 section 3);
 * `unavailable` means the keys could not be fetched or read (a server-side failure, answered 503 +
 * `Retry-After`: the client keeps its token).
 */
export class TokenRejectedError extends Error {
  override readonly name = "TokenRejectedError";
  constructor(
    readonly reason: string,
    readonly unavailable = false,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** What the verifier knows about the request a token came with. */
export interface VerificationContext {
  /**
   * This server's resource URL for the request (RFC 9728 `resource`): a token that carries `aud` must
   * name it (or the configured audience) (MCP 2025-06-18 Authorization, "Token Handling").
   */
  readonly resource?: string;
}

/** Verifies one bearer token; rejects with {@link TokenRejectedError}. */
export type TokenVerifier = (token: string, context?: VerificationContext) => Promise<VerifiedToken>;
