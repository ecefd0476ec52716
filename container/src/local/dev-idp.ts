/**
 * Development identity provider standing in for Amazon Cognito: `oidc-provider` (an OpenID-certified
 * provider) mounted under a path of the local server, so its issuer has a path like Cognito's
 * (`https://cognito-idp.<region>.amazonaws.com/<pool>`). One confidential client (the authorization
 * server: `client_secret_basic`, PKCE, one redirect URI) and one test user, with Cognito's claim
 * names in the ID token (`email`, `custom:tenant_id`, `cognito:groups`).
 *
 * The login page checks the test user's name and password; consent upstream is implicit (Cognito
 * has none). Disabling the user makes the next refresh fail, as with `AdminDisableUser`.
 * For local development and tests only: never imported by the Lambda entries.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair } from "jose";

export interface DevUser {
  /** Sign-in name (also the `email` claim). */
  readonly username: string;
  readonly password: string;
  /** `custom:tenant_id`; omitted when undefined. @default "local" */
  readonly tenantId?: string;
  /** `cognito:groups`. @default [] */
  readonly groups?: readonly string[];
}

export interface DevIdentityProvider {
  /** Issuer, e.g. `http://127.0.0.1:3000/dev-idp`. */
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** The authorization server's client at this provider. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The test user's `sub`. */
  readonly sub: string;
  /** Handles requests whose path starts with the mount path; returns false for others. */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  /** Disables or re-enables the test user (a disabled user cannot sign in or refresh). */
  setUserEnabled(enabled: boolean): void;
}

export interface DevIdentityProviderOptions {
  /** Origin of the server it is mounted on, e.g. `http://127.0.0.1:3000`. */
  readonly origin: string;
  /** Mount path. @default "/dev-idp" */
  readonly mountPath?: string;
  /** The authorization server's callback URL (the client's only redirect URI). */
  readonly redirectUri: string;
  readonly user: DevUser;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > 16_384) break;
  }
  return new URLSearchParams(body);
}

function loginPage(action: string, clientName: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (development identity provider)</title></head><body>
<h1>Sign in</h1><p>Development identity provider (stands in for Amazon Cognito) for <strong>${escapeHtml(clientName)}</strong>.</p>
${error === undefined ? "" : `<p role="alert">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
<label>Email <input type="text" name="username" autocomplete="username" autofocus></label><br>
<label>Password <input type="password" name="password" autocomplete="current-password"></label><br>
<button type="submit">Sign in</button></form></body></html>`;
}

export async function createDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  const mountPath = options.mountPath ?? "/dev-idp";
  const issuer = `${options.origin}${mountPath}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "dev-idp-1", alg: "RS256", use: "sig" };
  const clientId = "mcp-authorization-server";
  const clientSecret = randomBytes(24).toString("base64url");
  const sub = `dev-${Buffer.from(options.user.username).toString("hex").slice(0, 24)}`;
  let enabled = true;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: "MCP authorization server",
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "custom:tenant_id", "cognito:groups"] },
    // Cognito puts the user's attributes in the ID token; so does this stand-in.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    pkce: { required: () => true },
    // Cognito issues a refresh token on every code exchange (no offline_access scope).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    routes: { jwks: "/.well-known/jwks.json", authorization: "/oauth2/authorize", token: "/oauth2/token" },
    ttl: {
      AccessToken: 3600,
      IdToken: 3600,
      RefreshToken: 30 * 86400,
      Interaction: 600,
      Session: 3600,
      Grant: 30 * 86400,
      AuthorizationCode: 60,
    },
    findAccount: async (_ctx, id) => {
      if (id !== sub || !enabled) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: options.user.username,
          email_verified: true,
          name: options.user.username,
          ...(options.user.tenantId === undefined ? {} : { "custom:tenant_id": options.user.tenantId }),
          "cognito:groups": [...(options.user.groups ?? [])],
        }),
      };
    },
  });
  const callback = provider.callback();

  async function interaction(request: IncomingMessage, response: ServerResponse, uid: string): Promise<void> {
    // interactionDetails reads the request's cookies; req.url must be the provider-relative one.
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    const action = `${mountPath}/interaction/${uid}`;
    const client = await provider.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    if (request.method === "GET") {
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(loginPage(action, clientName));
      return;
    }
    const form = await readForm(request);
    if (form.get("username") !== options.user.username || form.get("password") !== options.user.password || !enabled) {
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(loginPage(action, clientName, "Wrong email or password."));
      return;
    }
    const grant = new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    authorizationEndpoint: `${issuer}/oauth2/authorize`,
    tokenEndpoint: `${issuer}/oauth2/token`,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    clientId,
    clientSecret,
    sub,
    setUserEnabled: (value) => void (enabled = value),
    handle(request, response) {
      const url = request.url ?? "/";
      if (url !== mountPath && !url.startsWith(`${mountPath}/`) && !url.startsWith(`${mountPath}?`)) return false;
      const original = url;
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = original;
      request.url = url.slice(mountPath.length) || "/";
      const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(request.url.split("?")[0]!);
      if (match !== null && (request.method === "GET" || request.method === "POST")) {
        interaction(request, response, match[1]!).catch((error: unknown) => {
          if (!response.headersSent) response.writeHead(400, { "content-type": "text/plain" });
          response.end(`sign-in failed: ${error instanceof Error ? error.message : "unknown error"}`);
        });
        return true;
      }
      void callback(request, response);
      return true;
    },
  };
}
