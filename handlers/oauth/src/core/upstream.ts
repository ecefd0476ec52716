/**
 * The upstream leg: this server is a confidential OpenID Connect relying party of Amazon Cognito
 * (or of the development provider locally), with one fixed callback `<issuer>/oauth/callback`.
 * Built on `oauth4webapi` (an OpenID-certified relying-party library): response validation
 * (RFC 9207 `iss` when sent, `state`), the code exchange with PKCE and `client_secret_basic`, ID
 * token claim checks (`iss`, `aud`, `exp`, `iat`, `nonce`), and refresh.
 *
 * The ID token comes straight from the token endpoint over TLS, so its claims are checked and its
 * signature is not (OpenID Connect Core 1.0 section 3.1.3.7, item 6).
 */
import * as oauth from "oauth4webapi";
import type { UpstreamSettings } from "./config.js";
import { isLoopbackHost } from "./config.js";

/** Who signed in upstream. */
export interface UpstreamIdentity {
  readonly sub: string;
  /** All ID-token claims (email, tenant attribute, `cognito:groups`...). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Upstream refresh token, kept on the grant for the re-check on each refresh. */
  readonly refreshToken?: string;
  /** `auth_time`, else the time of the exchange, epoch seconds. */
  readonly authTime: number;
}

/** The upstream provider refused (an OAuth error response); `error` is its error code. */
export class UpstreamRefusedError extends Error {
  override readonly name = "UpstreamRefusedError";
  constructor(
    readonly error: string,
    options?: { cause?: unknown },
  ) {
    super(`upstream refused: ${error}`, options);
  }
}

export interface Upstream {
  /** The URL to send the browser to (our client, our PKCE challenge, `state` = the transaction id). */
  authorizationUrl(params: { state: string; codeChallenge: string; nonce: string }): string;
  /**
   * Validates the callback and exchanges its code.
   * @throws UpstreamRefusedError for an error response (in the callback or from the token endpoint)
   * @throws Error for network failures and invalid responses
   */
  exchange(callback: URL, expected: { state: string; codeVerifier: string; nonce: string }): Promise<UpstreamIdentity>;
  /**
   * Refreshes upstream: proves the user is still enabled and signed in.
   * @returns the new upstream refresh token when one was issued
   * @throws UpstreamRefusedError when the provider refuses (disabled user, revoked token)
   */
  refresh(refreshToken: string): Promise<{ refreshToken?: string }>;
}

/** Bound on every upstream HTTP call, milliseconds (clients give the whole flow about 10 s). */
export const UPSTREAM_TIMEOUT_MS = 5_000;

export function createUpstream(settings: UpstreamSettings, callbackUrl: string, fetchImpl?: typeof fetch): Upstream {
  const as: oauth.AuthorizationServer = {
    issuer: settings.issuer,
    authorization_endpoint: settings.authorizationEndpoint,
    token_endpoint: settings.tokenEndpoint,
    jwks_uri: settings.jwksUri,
  };
  const client: oauth.Client = { client_id: settings.clientId };
  const auth = settings.clientSecret === undefined ? oauth.None() : oauth.ClientSecretBasic(settings.clientSecret);
  // Plain http only to a loopback provider (local development); configuration refuses it elsewhere.
  const token = new URL(settings.tokenEndpoint);
  const insecure = token.protocol === "http:" && isLoopbackHost(token.hostname);
  const options = (): oauth.TokenEndpointRequestOptions => ({
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(fetchImpl === undefined ? {} : { [oauth.customFetch]: fetchImpl }),
  });
  const refused = (error: unknown): never => {
    if (error instanceof oauth.ResponseBodyError) throw new UpstreamRefusedError(error.error, { cause: error });
    if (error instanceof oauth.AuthorizationResponseError) throw new UpstreamRefusedError(error.error, { cause: error });
    throw error;
  };
  return {
    authorizationUrl({ state, codeChallenge, nonce }) {
      const url = new URL(settings.authorizationEndpoint);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", settings.clientId);
      url.searchParams.set("redirect_uri", callbackUrl);
      url.searchParams.set("scope", settings.scopes.join(" "));
      url.searchParams.set("state", state);
      url.searchParams.set("nonce", nonce);
      url.searchParams.set("code_challenge", codeChallenge);
      url.searchParams.set("code_challenge_method", "S256");
      if (settings.identityProvider !== undefined) url.searchParams.set("identity_provider", settings.identityProvider);
      return url.href;
    },
    async exchange(callback, expected) {
      try {
        const params = oauth.validateAuthResponse(as, client, callback, expected.state);
        const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, callbackUrl, expected.codeVerifier, options());
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: expected.nonce,
          requireIdToken: true,
        });
        const claims = oauth.getValidatedIdTokenClaims(result)!;
        return {
          sub: claims.sub,
          claims: { ...claims },
          ...(result.refresh_token === undefined ? {} : { refreshToken: result.refresh_token }),
          authTime: typeof claims.auth_time === "number" ? claims.auth_time : Math.floor(Date.now() / 1000),
        };
      } catch (error) {
        return refused(error);
      }
    },
    async refresh(refreshToken) {
      try {
        const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, options());
        const result = await oauth.processRefreshTokenResponse(as, client, response);
        return result.refresh_token === undefined ? {} : { refreshToken: result.refresh_token };
      } catch (error) {
        return refused(error);
      }
    },
  };
}

/** A fresh PKCE pair and nonce for the upstream leg. */
export async function upstreamPkce(): Promise<{ verifier: string; challenge: string; nonce: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), nonce: oauth.generateRandomNonce() };
}
