/**
 * Test drivers for the interactive flow: an in-memory OAuthClientProvider for the MCP SDK's
 * `auth()`, and a scripted browser (fetch + a cookie jar, redirects followed by hand) that signs in
 * at the development identity provider and answers our consent page.
 */
import makeFetchCookie from "fetch-cookie";
import { CookieJar } from "tough-cookie";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/** An OAuthClientProvider that keeps everything in memory and records the authorization URL. */
export class MemoryClientProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;
  constructor(
    readonly redirect: string,
    readonly metadata: Partial<OAuthClientMetadata> = {},
  ) {}
  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "Test client",
      redirect_uris: [this.redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      ...this.metadata,
    } as OAuthClientMetadata;
  }
  /** Like Claude Code and VS Code, send a `state`. */
  state() {
    return `st-${Math.random().toString(36).slice(2)}`;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

export interface BrowserStep {
  readonly url: string;
  readonly status: number;
  readonly location?: string;
  readonly body?: string;
  readonly headers: Headers;
}

/** A browser with a cookie jar that follows redirects by hand and records each response. */
export class ScriptedBrowser {
  readonly jar = new CookieJar();
  readonly fetch = makeFetchCookie(fetch, this.jar);
  readonly steps: BrowserStep[] = [];

  /** Requests `url` and follows redirects until a non-redirect or a URL outside `origin`-hosted servers. */
  async go(url: string, init: RequestInit = {}, stopAt?: (url: URL) => boolean): Promise<BrowserStep> {
    let current = url;
    let request: RequestInit = init;
    for (let hop = 0; hop < 20; hop += 1) {
      const response = await this.fetch(current, { ...request, redirect: "manual" });
      const location = response.headers.get("location") ?? undefined;
      const isRedirect = response.status >= 300 && response.status < 400 && location !== undefined;
      const step: BrowserStep = {
        url: current,
        status: response.status,
        headers: response.headers,
        ...(location === undefined ? {} : { location: new URL(location, current).href }),
        ...(isRedirect ? {} : { body: await response.text() }),
      };
      if (isRedirect) await response.body?.cancel();
      this.steps.push(step);
      if (!isRedirect) return step;
      const next = new URL(location!, current);
      if (stopAt?.(next)) return step;
      current = next.href;
      request = {};
    }
    throw new Error("too many redirects");
  }

  /** Submits a form (urlencoded) like a browser: `Origin` of the page. */
  post(url: string, fields: Record<string, string>, stopAt?: (url: URL) => boolean, origin = new URL(url).origin): Promise<BrowserStep> {
    return this.go(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams(fields).toString(),
      },
      stopAt,
    );
  }
}

/** Hidden input value of `name` in an HTML form. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (match === null) throw new Error(`no hidden field ${name} in page`);
  return match[1]!
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"');
}

/** The form action of the first form on the page, resolved against `base`. */
export function formAction(html: string, base: string): string {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  if (match === null) throw new Error("no form on page");
  return new URL(match[1]!.replace(/&amp;/g, "&"), base).href;
}

export interface SignInResult {
  /** The final redirect to the client (its query has `code` or `error`, `state`, `iss`). */
  readonly redirect: URL;
  /** The consent page's HTML, when one was shown. */
  readonly consentHtml?: string;
  readonly consentHeaders?: Headers;
}

/**
 * Runs the browser leg: `/authorize` -> IdP login (when there is no IdP session) -> `/oauth/callback`
 * -> consent (approve or deny) -> redirect to the client, which is not followed.
 */
export async function signIn(
  browser: ScriptedBrowser,
  authorizationUrl: string,
  credentials: { username: string; password: string },
  clientRedirect: string,
  decision: "approve" | "deny" = "approve",
): Promise<SignInResult> {
  const prefix = new URL(clientRedirect);
  const atClient = (url: URL) => url.origin === prefix.origin && url.pathname === prefix.pathname;
  let step = await browser.go(authorizationUrl, {}, atClient);
  if (step.body !== undefined && step.body.includes('name="password"')) {
    step = await browser.post(formAction(step.body, step.url), credentials, atClient);
  }
  let consentHtml: string | undefined;
  let consentHeaders: Headers | undefined;
  if (step.body !== undefined && step.body.includes('name="csrf"')) {
    consentHtml = step.body;
    consentHeaders = step.headers;
    step = await browser.post(
      formAction(step.body, step.url),
      { txn: hiddenField(step.body, "txn"), csrf: hiddenField(step.body, "csrf"), decision },
      atClient,
    );
  }
  if (step.location === undefined || !atClient(new URL(step.location)))
    throw new Error(`sign-in did not reach the client: ${step.status} ${step.url}\n${step.body ?? ""}`);
  return { redirect: new URL(step.location), ...(consentHtml === undefined ? {} : { consentHtml, consentHeaders: consentHeaders! }) };
}
