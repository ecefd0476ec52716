/**
 * A real OAuth authorization server for tests: `oidc-provider` (a certified OpenID provider) on
 * 127.0.0.1, issuing `client_credentials` JWT access tokens (RFC 9068, `typ: at+jwt`, RS256) shaped
 * like Cognito's: `client_id`, `scope`, and a custom `tenant_id` claim per client. The JWKS is served
 * at `/.well-known/jwks.json` (Cognito's path) by a thin wrapper that can publish extra keys, to test
 * key rotation, and counts how often the JWKS was fetched.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export const MCP_SCOPE = "mcp/invoke";
/** The resource indicator the provider puts in `aud`. */
export const RESOURCE = "https://mcp.example.com/mcp";

export interface TestClient {
  readonly clientId: string;
  readonly secret: string;
  /** `tenant_id` claim of its tokens; omitted when undefined. */
  readonly tenantId?: string;
  /** Scopes it may request. @default "mcp/invoke" */
  readonly scope?: string;
}

export interface AuthorizationServer {
  /** `http://127.0.0.1:<port>` (the `iss` of every token). */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The provider's signing key (kid `k1`), for hand-made tokens. */
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Publishes one more public key in the JWKS. */
  publishKey(jwk: JWK): void;
  /** A real access token from the token endpoint (client_credentials grant, HTTP Basic client auth). */
  token(clientId: string, scope?: string): Promise<string>;
  /** Signs `claims` with the provider's key (or `key`/`kid`): a token the provider did not issue but could have. */
  sign(claims: JWTPayload, options?: { key?: CryptoKey; kid?: string; alg?: string; typ?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Standard claims of a valid hand-made token for `clientId` (expires in 10 minutes). */
export function baseClaims(issuer: string, clientId: string, extra: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    sub: clientId,
    client_id: clientId,
    scope: MCP_SCOPE,
    iat: now,
    exp: now + 600,
    jti: `t-${now}-${Math.random()}`,
    ...extra,
  };
}

/**
 * Starts the provider; resolves once it listens. `claimsFor`, when given, supplies the extra access
 * token claims of a client's token in place of `TestClient.tenantId` (e.g. the pre token generation
 * trigger's claims); when it throws, the token request fails.
 */
export async function startAuthorizationServer(
  clients: readonly TestClient[],
  claimsFor?: (clientId: string) => Promise<Record<string, unknown>>,
): Promise<AuthorizationServer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: "k1", alg: "RS256", use: "sig" };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const extraKeys: JWK[] = [];
  let fetches = 0;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tenants = new Map(clients.map((c) => [c.clientId, c.tenantId]));

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.secret,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      scope: c.scope ?? MCP_SCOPE,
    })),
    jwks: { keys: [privateJwk] },
    scopes: [MCP_SCOPE, "other/read"],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        getResourceServerInfo: () => ({ scope: `${MCP_SCOPE} other/read`, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } }),
        useGrantedResource: () => true,
      },
    },
    ttl: { ClientCredentials: 600 },
    extraTokenClaims: async (_ctx, token) => {
      if (claimsFor !== undefined) return claimsFor((token as { clientId?: string }).clientId ?? "");
      const tenantId = tenants.get((token as { clientId?: string }).clientId ?? "");
      return tenantId === undefined ? {} : { tenant_id: tenantId };
    },
    routes: { jwks: "/.well-known/jwks.json" },
  });
  const callback = provider.callback();
  server.on("request", (request, response) => {
    if (request.url === "/.well-known/jwks.json") {
      fetches += 1;
      response.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify({ keys: [publicJwk, ...extraKeys] }));
      return;
    }
    callback(request, response);
  });

  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    privateKey,
    publicJwk,
    jwksFetches: () => fetches,
    publishKey: (jwk) => void extraKeys.push(jwk),
    async token(clientId, scope = MCP_SCOPE) {
      const client = clients.find((c) => c.clientId === clientId);
      if (client === undefined) throw new Error(`unknown test client ${clientId}`);
      const response = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (body.access_token === undefined) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    sign(claims, options = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "k1", typ: options.typ ?? "at+jwt" })
        .sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
