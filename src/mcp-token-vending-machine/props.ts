import type { IResolvable } from "cdktf";

/** Props of {@link TokenVendingMachine}; camelCase twins of the module's variables. */
export interface TokenVendingMachineProps {
  readonly name: string;
  readonly environment: string;
  readonly tags?: Record<string, string>;
  /** The MCP function's execution role (mcp_server's `lambda_role_arn`): the only principal tenant roles trust. */
  readonly lambdaRoleArn: string;
  /** Its name (mcp_server's `lambda_role_name`): receives the assume-role policy. */
  readonly lambdaRoleName: string;
  /** ARN pattern of tenant roles, e.g. `arn:aws:iam::123456789012:role/mcp-tenant-*`. */
  readonly tenantRoleArnPattern: string;
  /** Key of the tenant data tables (tenant sessions use it through DynamoDB). */
  readonly kmsKeyArn: string;
  /** DynamoDB item actions tenant sessions may use, within their partition. @default item read/write actions, no Scan */
  readonly tenantAllowedActions?: string[];
  /** DynamoDB tables keyed by `tenant_id` that tenant sessions may use. @default [] */
  readonly tenantDataTableArns?: string[];
  /** Lifetime of vended credentials, seconds (900-43200). @default 3600 */
  readonly credentialDurationSeconds?: number;
  /** Prefix of the managed policy names and the `*` of the template role's name. @default `<name>-<environment>-<region>` */
  readonly iamNamePrefix?: string;
  /** Create a template tenant role matching the pattern. @default true */
  readonly createTenantRole?: boolean | IResolvable;
}
