/**
 * The output contract of the `mcp_server` module: what callers wire into other modules
 * (role, log groups, tables) and what clients need to reach the endpoint (URL, token endpoint).
 */
import { Op, Token, type IResolvable } from "cdktf";
import { AUTHORIZATION_SERVER_PATHS as AS } from "../../container/src/contract/index.js";
import { ifElse, join, optionalAttr } from "../lib/expr.js";
import { nullOutput } from "./oauth.js";
import type { ModuleOutput } from "../lib/module-spec.js";
import type { McpServer } from "./mcp-server.js";

export const MCP_SERVER_OUTPUTS: readonly ModuleOutput<McpServer>[] = [
  { name: "mcp_endpoint_url", description: "Full URL of the MCP JSON-RPC endpoint (POST/GET/DELETE /mcp)", value: (s) => s.mcpEndpointUrl },
  { name: "api_id", description: "ID of the API Gateway v2 HTTP API", value: (s) => s.httpApi.api.id },
  { name: "api_endpoint", description: "Base endpoint URL of the API Gateway v2 HTTP API", value: (s) => s.httpApi.endpoint },
  {
    name: "api_execution_arn",
    description: "Execution ARN of the HTTP API, for Lambda permissions and IAM policies",
    value: (s) => s.httpApi.api.executionArn,
  },
  { name: "lambda_function_arn", description: "ARN of the MCP server Lambda function", value: (s) => s.function.function.arn },
  { name: "lambda_function_name", description: "Name of the MCP server Lambda function", value: (s) => s.function.function.functionName },
  { name: "lambda_role_arn", description: "ARN of the IAM role used by the Lambda function", value: (s) => s.function.role.arn },
  { name: "lambda_role_name", description: "Name of the IAM role used by the Lambda function", value: (s) => s.function.role.name },
  {
    name: "cognito_user_pool_id",
    description: "ID of the Cognito user pool (null if auth is disabled or using external pool)",
    value: (s) => s.auth.userPoolId,
  },
  {
    name: "cognito_user_pool_endpoint",
    description: "Endpoint of the Cognito user pool for JWT token issuance (null if auth is disabled)",
    value: (s) => s.auth.userPoolEndpoint,
  },
  {
    name: "cognito_client_id",
    description: "Client ID of the Cognito user pool client (null if auth is disabled or using external pool)",
    value: (s) => s.auth.clientId,
  },
  {
    name: "cognito_client_secret",
    description: "Secret of the module's app client, for the client_credentials grant (null if auth is disabled or using external pool)",
    value: (s) => s.auth.clientSecret,
    sensitive: true,
  },
  {
    name: "cognito_token_endpoint",
    description: "OAuth 2.0 token endpoint of the module's user pool domain (null if auth is disabled or using external pool)",
    value: (s) => s.auth.tokenEndpoint,
  },
  {
    name: "ecr_repository_url",
    description: "URL of the ECR repository for the MCP server container image (null if ECR is disabled)",
    value: (s) => s.ecr.url,
  },
  {
    name: "session_table_name",
    description: "Name of the DynamoDB session table (null if sessions are disabled)",
    value: (s) => s.sessions.items.name,
  },
  {
    name: "session_table_arn",
    description: "ARN of the DynamoDB session table (null if sessions disabled)",
    value: (s) => s.sessions.items.arn,
  },
  {
    name: "tool_cache_table_name",
    description: "Name of the DynamoDB tool-result cache table (null unless enable_tool_cache)",
    value: (s) => s.toolCache.items.name,
  },
  {
    name: "log_group_name",
    description: "Name of the CloudWatch log group for the Lambda function",
    value: (s) => s.function.logGroup.name,
  },
  {
    name: "api_log_group_name",
    description: "Name of the CloudWatch log group for the API Gateway access logs",
    value: (s) => s.httpApi.logGroup.name,
  },
  { name: "sns_topic_arn", description: "ARN of the SNS topic used for CloudWatch alarm notifications", value: (s) => s.alarms.topicArn },
  {
    name: "tenant_isolation_enabled",
    description: "Whether Lambda tenant isolation mode is enabled",
    value: (s) => s.props.enableTenantIsolation,
  },
  {
    name: "router_function_name",
    description: "Name of the tenant router function API Gateway invokes (null unless tenant isolation is enabled)",
    value: (s) => optionalAttr(s.router.function, "function_name"),
  },
  // --- Tenants ---------------------------------------------------------------------------------------
  {
    name: "tenant_directory_table_name",
    description:
      "Name of the tenant directory DynamoDB table (add invitations here with PutItem; null unless tenant isolation runs on the module's own user pool)",
    value: (s) => s.tenants.tableName,
  },
  {
    name: "tenant_machine_clients",
    description: 'Machine clients of the tenants, by "<tenant>/<client>": { tenant_id, client_id }',
    value: (s) => s.tenants.machineClientsOutput,
  },
  {
    name: "tenant_machine_client_secrets",
    description: 'Client secrets of the tenants\' machine clients, by "<tenant>/<client>"',
    value: (s) => s.tenants.machineClientSecrets,
    sensitive: true,
  },
  // --- end of tenants --------------------------------------------------------------------------------
  // --- Interactive sign-in (null unless enable_interactive_auth) ------------------------------------
  {
    name: "oauth_issuer",
    description:
      "Issuer of the authorization server for interactive sign-in: the public origin, no path (null unless enable_interactive_auth)",
    value: (s) => s.oauth.url(""),
  },
  {
    name: "oauth_metadata_url",
    description: "RFC 8414 authorization server metadata URL (null unless enable_interactive_auth)",
    value: (s) => s.oauth.url(AS.metadata),
  },
  {
    name: "oauth_authorization_endpoint",
    description: "Authorization endpoint, /authorize (null unless enable_interactive_auth)",
    value: (s) => s.oauth.url(AS.authorize),
  },
  {
    name: "oauth_token_endpoint",
    description: "Token endpoint, /token (null unless enable_interactive_auth)",
    value: (s) => s.oauth.url(AS.token),
  },
  {
    name: "oauth_registration_endpoint",
    description: "Dynamic client registration endpoint, /register (null unless enable_interactive_auth, or when oauth_dcr_mode is off)",
    value: (s) => {
      const mode = s.props.oauthDcrMode;
      const registering = Token.isUnresolved(mode) ? (Op.neq(mode, "off") as IResolvable) : mode !== "off";
      return ifElse(registering, s.oauth.url(AS.register), nullOutput() as string);
    },
  },
  {
    name: "oauth_jwks_uri",
    description: "JWKS of the token-signing keys (null unless enable_interactive_auth)",
    value: (s) => s.oauth.url(AS.jwks),
  },
  {
    name: "oauth_callback_url",
    description: "The Cognito app client's only callback URL, <issuer>/oauth/callback (null unless enable_interactive_auth)",
    value: (s) => s.oauth.url(AS.callback),
  },
  {
    name: "oauth_table_name",
    description: "Name of the authorization server's DynamoDB table (null unless enable_interactive_auth)",
    value: (s) => s.oauth.table.name,
  },
  {
    name: "oauth_signing_key_arn",
    description:
      "ARN of the KMS key that signs access tokens now, the last oauth_signing_keys generation (null unless enable_interactive_auth)",
    value: (s) => s.oauth.signingKeyArn,
  },
  {
    name: "cognito_interactive_client_id",
    description:
      "Client ID of the confidential Cognito app client the authorization server signs users in with (null unless enable_interactive_auth)",
    value: (s) => optionalAttr(s.oauth.client, "id"),
  },
  {
    name: "oauth_function_names",
    description: "Names of the authorization server's functions, { front, token } (null unless enable_interactive_auth)",
    value: (s) =>
      ifElse(
        s.oauth.enabled,
        { front: optionalAttr(s.oauth.front.function, "function_name"), token: optionalAttr(s.oauth.token.function, "function_name") },
        nullOutput() as unknown as Record<string, string>,
      ),
  },
  {
    name: "oauth_client_secrets",
    description: "Secrets of the confidential oauth_clients, by client id",
    value: () => "${{ for id, d in terraform_data.oauth_client_secret : id => d.output }}",
    sensitive: true,
  },
  {
    name: "claude_code_add_command",
    description:
      "A ready command that adds this server to Claude Code, which then signs in with a browser (null unless enable_interactive_auth)",
    value: (s) => ifElse(s.oauth.enabled, join("claude mcp add --transport http ", s.props.name, " ", s.mcpEndpointUrl), nullOutput()),
  },
  {
    name: "cloudfront_domain_name",
    description: "Domain name of the CloudFront distribution that carries the WAF ACL (null unless waf_acl_arn is set)",
    value: (s) => s.edge.domainName,
  },
  {
    name: "cloudfront_access_log_delivery_source_name",
    description:
      "Name of the CloudWatch Logs delivery source (us-east-1) that sends the distribution's access logs to cloudfront_access_log_destination_arn (null without WAF or with enable_cloudfront_access_logs = false)",
    value: (s) => (s.edge.accessLogSource ? optionalAttr(s.edge.accessLogSource, "name") : Token.nullValue()),
  },
];
