/** Props of {@link McpKms}; camelCase twins of the `mcp_kms` module's variables (see `inputs.ts`). */
export interface McpKmsProps {
  /** The `name` of the mcp_server this key serves: log-group conditions are scoped to it. */
  readonly name: string;
  readonly environment: string;
  /** Waiting period before deletion, days (7-30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** Automatic rotation period, days (90-2560). @default 365 */
  readonly rotationPeriodInDays?: number;
  readonly tags?: Record<string, string>;
}
