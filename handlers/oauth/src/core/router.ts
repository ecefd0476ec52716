/**
 * The authorization server as one web-standard handler, `(Request, info) => Promise<Response>`,
 * like the MCP core: adapters (Lambda, local server) only convert requests and responses.
 *
 * Routes (design 3.3): `GET /.well-known/oauth-authorization-server`, `GET /.well-known/openid-configuration`,
 * `GET /.well-known/jwks.json`, `GET /authorize`, `POST /register`, `POST /oauth/consent`,
 * `GET /oauth/callback`, `POST /token`, `POST /revoke`. `OPTIONS` on the endpoints browsers call
 * directly answers a CORS preflight. Unknown paths 404, wrong methods 405 with `Allow`.
 */
import { AUTHORIZATION_SERVER_PATHS as P } from "../../../../container/src/contract/index.js";
import { authorize, callback, consent } from "./authorize.js";
import { register } from "./clients/dcr.js";
import type { RequestInfo, ServerContext } from "./context.js";
import { authorizationServerMetadata, jwks, metadataResponse, openIdConfiguration } from "./metadata.js";
import { errorPage } from "./pages.js";
import { revoke, token } from "./token.js";
import { oauthError, preflight } from "./util.js";

export type OAuthHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

type Endpoint = (ctx: ServerContext, request: Request, info: RequestInfo) => Promise<Response> | Response;

interface Route {
  readonly method: "GET" | "POST";
  readonly handle: Endpoint;
  /** Browsers call it cross-origin (CORS `*`, preflight answered). */
  readonly cors: boolean;
}

/** Every route of the authorization server, by path. */
export const OAUTH_ROUTES: Readonly<Record<string, Route>> = {
  [P.metadata]: { method: "GET", cors: true, handle: (ctx) => metadataResponse(authorizationServerMetadata(ctx.settings)) },
  [P.openidConfiguration]: { method: "GET", cors: true, handle: (ctx) => metadataResponse(openIdConfiguration(ctx.settings)) },
  [P.jwks]: { method: "GET", cors: true, handle: (ctx) => metadataResponse(jwks(ctx.settings), "application/jwk-set+json") },
  [P.authorize]: { method: "GET", cors: false, handle: authorize },
  [P.register]: { method: "POST", cors: true, handle: register },
  [P.consent]: { method: "POST", cors: false, handle: consent },
  [P.callback]: { method: "GET", cors: false, handle: callback },
  [P.token]: { method: "POST", cors: true, handle: token },
  [P.revoke]: { method: "POST", cors: true, handle: revoke },
};

/** The paths the authorization server answers (for dispatch in a shared server). */
export const OAUTH_PATHS: readonly string[] = Object.keys(OAUTH_ROUTES);

/**
 * The routes of the front function (design 3.1): discovery, `/authorize`, `/register`, consent. It
 * holds neither the upstream client secret nor `kms:Sign`.
 */
export const FRONT_PATHS: readonly string[] = [P.metadata, P.openidConfiguration, P.jwks, P.authorize, P.register, P.consent];

/** The routes of the token function: the upstream callback, `/token`, `/revoke` (upstream secret, `kms:Sign`). */
export const TOKEN_PATHS: readonly string[] = [P.callback, P.token, P.revoke];

/** Path-inserted RFC 8414 forms some clients also try for a root issuer (`/.well-known/oauth-authorization-server/`). */
function normalise(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/**
 * @param paths the routes this handler serves (a function serves its own share). @default every route
 */
export function createOAuthHandler(ctx: ServerContext, paths: readonly string[] = OAUTH_PATHS): OAuthHandler {
  const served = new Set(paths);
  return async (request, info = {}) => {
    const path = normalise(new URL(request.url).pathname);
    const route = served.has(path) ? OAUTH_ROUTES[path] : undefined;
    if (route === undefined) return oauthError(404, "not_found", "no such endpoint");
    const method = request.method.toUpperCase();
    if (method === "OPTIONS" && route.cors) return preflight(`${route.method}, OPTIONS`);
    if (method !== route.method && !(method === "HEAD" && route.method === "GET")) {
      return new Response(null, { status: 405, headers: { Allow: route.cors ? `${route.method}, OPTIONS` : route.method } });
    }
    try {
      return await route.handle(ctx, request, info);
    } catch (error) {
      // No stack trace or internal detail to the client; the log has it.
      ctx.audit(path === P.token ? "oauth.token" : "oauth.authorize", {
        outcome: "failure",
        reason: `internal error: ${error instanceof Error ? error.name : "unknown"}`,
      });
      console.error(error);
      if (route.method === "GET" && !route.cors)
        return errorPage(500, "Something went wrong", "The sign-in could not be completed. Try again.");
      return oauthError(500, "server_error", "internal error");
    }
  };
}
