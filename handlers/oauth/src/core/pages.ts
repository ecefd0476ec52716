/**
 * Server-rendered HTML: the consent page and the error page. No external assets, no script; one
 * inline style allowed by its hash in the Content-Security-Policy.
 */
import { createHash } from "node:crypto";
import { escapeHtml } from "./util.js";

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}" +
  "h1{font-size:1.3rem}.box{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}" +
  ".warn{background:#fff4e5;border-color:#f0a020}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}" +
  "dt{font-weight:600}dd{margin:0 0 .5rem 0}";

const STYLE_SOURCE = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

/**
 * `Content-Security-Policy` of a page (design 3.5, consent page). `form-action` also governs the
 * redirects that follow a form submission (CSP Level 3, section 6.4.1; Chromium enforces it), so a
 * page whose form ends in a redirect to the client lists the client's redirect target: its origin,
 * or its scheme for a custom-scheme redirect (`cursor:`).
 * @param formRedirect the redirect URI the form's answer sends the browser to, if any
 */
export function pageCsp(formRedirect?: string): string {
  let target = "";
  if (formRedirect !== undefined) {
    const url = new URL(formRedirect);
    target = ` ${url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol}`;
  }
  return `default-src 'none'; style-src ${STYLE_SOURCE}; form-action 'self'${target}; frame-ancestors 'none'; base-uri 'none'`;
}

/** `Content-Security-Policy` of a page whose form (if any) stays on this origin. */
export const PAGE_CSP = pageCsp();

/** Headers of every HTML page: CSP, no framing, no caching, no referrer (the query holds codes). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": PAGE_CSP,
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** An error page: the browser stays here (never redirected to an unverified client). */
export function errorPage(status: number, title: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`), {
    status,
    headers: { ...PAGE_HEADERS, ...headers },
  });
}

/** Human descriptions of the scopes shown on the consent page. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "mcp/invoke": "Use the tools of this MCP server as you",
  offline_access: "Stay connected without asking you to sign in again",
};

export interface ConsentView {
  readonly action: string;
  readonly email: string;
  readonly clientName: string;
  /** "published by <host>", "registered dynamically" or "pre-registered by the operator". */
  readonly clientSource: string;
  readonly redirectHost: string;
  readonly loopback: boolean;
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly txn: string;
  readonly csrf: string;
}

/** The consent page: who signs in, to which client, where the code goes, which scopes. */
export function consentPage(view: ConsentView): string {
  const scopes = view.scopes
    .map(
      (s) =>
        `<dt>${escapeHtml(s)}</dt><dd>${escapeHtml(SCOPE_DESCRIPTIONS[s] ?? "Additional permission requested by the application")}</dd>`,
    )
    .join("");
  const warning = view.loopback
    ? `<div class="box warn"><strong>An application on this computer</strong> will receive access. Approve only if you just started this sign-in yourself.</div>`
    : "";
  return page(
    "Allow access?",
    `<h1>Allow ${escapeHtml(view.clientName)} to access ${escapeHtml(view.resource)}?</h1>` +
      `<p>Signed in as <strong>${escapeHtml(view.email)}</strong>.</p>` +
      `<div class="box"><dl><dt>Application</dt><dd>${escapeHtml(view.clientName)} (name as claimed by the application; ${escapeHtml(view.clientSource)})</dd>` +
      `<dt>Returns to</dt><dd>${escapeHtml(view.redirectHost)}</dd></dl></div>${warning}` +
      `<div class="box"><p>It asks to:</p><dl>${scopes}</dl></div>` +
      `<form method="post" action="${escapeHtml(view.action)}"><input type="hidden" name="txn" value="${escapeHtml(view.txn)}"><input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">` +
      `<button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}
