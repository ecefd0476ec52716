/** Props of {@link McpWaf}; camelCase twins of the `mcp_waf` module's variables (see `inputs.ts`). */
export interface McpWafProps {
  readonly name: string;
  readonly environment: string;
  /** Requests per 5-minute window from one IP before it is blocked (WAF guide, rate-based rules). @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /** IPv4 CIDRs that alone may call the server; empty allows every address. @default [] */
  readonly allowedIpCidrs?: string[];
  /** IPv4 CIDRs that are always blocked. @default [] */
  readonly blockedIpCidrs?: string[];
  readonly tags?: Record<string, string>;
}
