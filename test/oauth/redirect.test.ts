/** Redirect URI rules (AT-12 at unit level; RFC 8252 section 7.3, RFC 9700 section 4.1.3). */
import { describe, expect, it } from "vitest";
import {
  findRedirect,
  redirectAllowed,
  redirectMatches,
  redirectUriProblem,
  withoutLoopbackPort,
} from "../../handlers/oauth/src/core/clients/redirect.js";
import { DEFAULT_ALLOWED_REDIRECT_URIS } from "../../handlers/oauth/src/core/config.js";

describe("redirect matching", () => {
  it("matches a registered loopback URI on any port and loopback host, same path and query", () => {
    for (const requested of [
      "http://localhost:59467/callback",
      "http://127.0.0.1:5000/callback",
      "http://[::1]:1/callback",
      "http://localhost/callback",
    ]) {
      expect(redirectMatches("http://localhost/callback", requested), requested).toBe(true);
    }
    for (const requested of [
      "http://localhost.evil.example:5000/callback",
      "https://localhost:5000/callback",
      "http://localhost:5000/other",
      "http://localhost:5000/callback?x=1",
      "http://127.0.0.2.nip.io/callback",
    ]) {
      expect(redirectMatches("http://localhost/callback", requested), requested).toBe(false);
    }
  });

  it("compares everything else exactly", () => {
    expect(redirectMatches("https://claude.ai/api/mcp/auth_callback", "https://claude.ai/api/mcp/auth_callback")).toBe(true);
    expect(redirectMatches("https://claude.ai/api/mcp/auth_callback", "https://claude.ai/api/mcp/auth_callback/")).toBe(false);
    expect(redirectMatches("https://claude.ai/api/mcp/auth_callback", "https://CLAUDE.ai/api/mcp/auth_callback")).toBe(false);
    expect(findRedirect(["cursor://anysphere.cursor-mcp/oauth/callback"], "cursor://anysphere.cursor-mcp/oauth/callback")).toBeDefined();
  });

  it("refuses fragments, dangerous schemes, http off loopback and credentials", () => {
    expect(redirectUriProblem("http://127.0.0.1/cb#x")).toMatch(/fragment/);
    expect(redirectUriProblem("javascript:alert(1)")).toMatch(/javascript/);
    expect(redirectUriProblem("data:text/html,x")).toMatch(/data/);
    expect(redirectUriProblem("http://example.com/cb")).toMatch(/loopback/);
    expect(redirectUriProblem("https://user:pw@example.com/cb")).toMatch(/credentials/);
    expect(redirectUriProblem("cursor://anysphere.cursor-mcp/oauth/callback")).toBeUndefined();
    expect(redirectUriProblem("https://vscode.dev/redirect")).toBeUndefined();
  });

  it("admits every loopback redirect through a bare loopback allow-list entry, others exactly", () => {
    expect(redirectAllowed(DEFAULT_ALLOWED_REDIRECT_URIS, "http://127.0.0.1:33418/")).toBe(true);
    expect(redirectAllowed(DEFAULT_ALLOWED_REDIRECT_URIS, "https://vscode.dev/redirect")).toBe(true);
    expect(redirectAllowed(DEFAULT_ALLOWED_REDIRECT_URIS, "https://evil.example/cb")).toBe(false);
    expect(redirectAllowed(["http://localhost/callback"], "http://127.0.0.1:9/other")).toBe(false);
    expect(withoutLoopbackPort("http://localhost:56841/callback")).toBe("http://localhost/callback");
  });
});
