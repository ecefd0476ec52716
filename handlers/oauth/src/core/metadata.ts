/**
 * Discovery documents: RFC 8414 authorization server metadata, the same document as OpenID Provider
 * metadata (OpenID Connect Discovery 1.0 section 3, plus its required `subject_types_supported` and
 * `id_token_signing_alg_values_supported`), and the JWKS (RFC 7517) of the access-token keys.
 */
import { createPublicKey } from "node:crypto";
import { AUTHORIZATION_SERVER_PATHS as P } from "../../../../container/src/contract/index.js";
import type { OAuthSettings } from "./config.js";
import { supportedScopes } from "./authorize.js";
import { CORS_HEADERS, json } from "./util.js";

/** The RFC 8414 document. Every URL derives from the configured issuer, never from `Host`. */
export function authorizationServerMetadata(settings: OAuthSettings): Record<string, unknown> {
  const at = (path: string) => `${settings.issuer}${path}`;
  const authMethods = ["none", "client_secret_basic", "client_secret_post"];
  return {
    issuer: settings.issuer,
    authorization_endpoint: at(P.authorize),
    token_endpoint: at(P.token),
    jwks_uri: at(P.jwks),
    ...(settings.dcrMode === "off" ? {} : { registration_endpoint: at(P.register) }),
    revocation_endpoint: at(P.revoke),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    code_challenge_methods_supported: ["S256"],
    scopes_supported: supportedScopes(settings),
    client_id_metadata_document_supported: settings.cimdMode !== "off",
    authorization_response_iss_parameter_supported: true,
  };
}

/** The OpenID Provider metadata: the RFC 8414 document plus the OIDC-required members. */
export function openIdConfiguration(settings: OAuthSettings): Record<string, unknown> {
  return {
    ...authorizationServerMetadata(settings),
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
}

/** The JWKS of `settings.publicKeys`. */
export function jwks(settings: OAuthSettings): { keys: Record<string, unknown>[] } {
  return {
    keys: settings.publicKeys.map((key) => ({
      ...createPublicKey(key.pem).export({ format: "jwk" }),
      kid: key.kid,
      alg: key.alg,
      use: "sig",
    })),
  };
}

const PUBLIC_CACHE = "public, max-age=300";

export function metadataResponse(body: unknown, contentType = "application/json"): Response {
  return json(200, body, { ...CORS_HEADERS, "Content-Type": contentType }, PUBLIC_CACHE);
}
