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
  /**
   * Log the web ACL's requests to `aws-waf-logs-<name>-<environment>` and create the CloudFront
   * access-log group and its delivery destination (FedRAMP AU-2); `false` turns both off.
   * @default true
   */
  readonly enableLogging?: boolean;
  /**
   * ARN of a KMS key in us-east-1 that encrypts both log groups (SC-28), such as an `mcp_kms`
   * created with a us-east-1 provider. Required while `enableLogging` is on. @default none
   */
  readonly kmsKeyArn?: string | undefined;
  /** Days CloudWatch Logs keeps the edge logs, a value it accepts (AU-11). @default 365 */
  readonly logRetentionDays?: number;
  readonly tags?: Record<string, string>;
}
