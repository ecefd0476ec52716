/**
 * A hand-driven OAuth client for the negative cases: registers, builds authorization URLs with
 * PKCE, runs the browser leg and calls the token endpoint, exposing every response.
 */
import { createHash, randomBytes } from "node:crypto";
import { ScriptedBrowser, signIn, type SignInResult } from "./flow.js";

export interface Registered {
  readonly client_id: string;
  readonly redirect_uris: string[];
  readonly [key: string]: unknown;
}

export async function registerClient(
  issuer: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${issuer}/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizationUrl(issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${issuer}/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

export async function tokenRequest(
  issuer: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

export interface Flow {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly verifier: string;
  readonly state: string;
  readonly result: SignInResult;
  readonly browser: ScriptedBrowser;
}

/** Authorization request through sign-in and consent, up to the redirect to the client. */
export async function runFlow(
  issuer: string,
  user: { username: string; password: string },
  options: {
    clientId: string;
    redirectUri: string;
    browser?: ScriptedBrowser;
    extra?: Record<string, string | undefined>;
    decision?: "approve" | "deny";
  },
): Promise<Flow> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString("hex");
  const browser = options.browser ?? new ScriptedBrowser();
  const url = authorizationUrl(issuer, {
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    scope: "mcp/invoke offline_access",
    ...options.extra,
  });
  const result = await signIn(browser, url, user, options.redirectUri, options.decision);
  return { clientId: options.clientId, redirectUri: options.redirectUri, verifier, state, result, browser };
}

/** Exchanges the flow's code. */
export function exchange(issuer: string, flow: Flow, overrides: Record<string, string> = {}) {
  return tokenRequest(issuer, {
    grant_type: "authorization_code",
    code: flow.result.redirect.searchParams.get("code") ?? "",
    code_verifier: flow.verifier,
    redirect_uri: flow.redirectUri,
    client_id: flow.clientId,
    ...overrides,
  });
}
