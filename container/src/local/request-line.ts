/**
 * Checks of the request line and `Host` that Node's HTTP server leaves to the application
 * (RFC 9112, "HTTP/1.1"), applied by the local server before a request reaches the core:
 *
 * - section 3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
 *   request message that lacks a Host header field and to any request message that contains more
 *   than one Host header field line or a Host header field with an invalid field value." Node keeps
 *   the first `Host` line and drops the others.
 * - section 3.2.2: a request target in absolute form (`POST http://evil.example/mcp`) names the
 *   authority itself. It is served only when it names the same host and port as `Host`; otherwise
 *   the `Host` allow-list (the DNS-rebinding defence) would be checked against a host the request
 *   does not address.
 */
import type { IncomingMessage } from "node:http";

/** `host[:port]` (RFC 9110 section 7.2: uri-host [ ":" port ]); a reg-name, IPv4 or bracketed IPv6 literal. */
const HOST_VALUE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d{0,5})?$/;

/**
 * Why the request must be refused with 400, or undefined when its request line and `Host` are
 * acceptable (see the file header).
 */
export function requestLineProblem(request: Pick<IncomingMessage, "rawHeaders" | "url" | "httpVersion">): string | undefined {
  const hosts: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]!.toLowerCase() === "host") hosts.push(request.rawHeaders[i + 1]!);
  }
  if (hosts.length > 1) return "more than one Host header";
  const host = hosts[0];
  if (host === undefined) return request.httpVersion === "1.0" ? undefined : "missing Host header";
  if (!HOST_VALUE.test(host.trim())) return "invalid Host header";
  const target = request.url ?? "/";
  if (!target.startsWith("/") && target !== "*") {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return "invalid request target";
    }
    if (
      (url.protocol !== "http:" && url.protocol !== "https:") ||
      url.host.toLowerCase() !== new URL(`${url.protocol}//${host.trim()}`).host.toLowerCase()
    ) {
      return "the request target names another host than Host";
    }
  }
  return undefined;
}
