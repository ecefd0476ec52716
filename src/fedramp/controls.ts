/**
 * The FedRAMP controls the `mcp_server` and `mcp_waf` modules claim (their READMEs' FedRAMP
 * tables), each with the Terraform assertions that prove it over the module. One definition per
 * module drives the generated `modules/<module>/tests/fedramp.tftest.hcl` (every assertion, in
 * every example's configuration of the module) and the module README's FedRAMP table.
 *
 * Assertions are HCL over the module's own resources. Optional resources are iterated
 * (`for x in aws_..._this : ...`), so an assertion holds whether or not they exist.
 */

export interface ControlAssertion {
  /** HCL condition over the module's resources, variables and outputs. */
  readonly condition: string;
  /** What the assertion proves; shown by Terraform when it fails. */
  readonly proves: string;
}

export interface FedrampControl {
  readonly id: string;
  readonly family: string;
  /** How the module implements the control (the README's column). */
  readonly implementation: string;
  readonly assertions: readonly ControlAssertion[];
}

/** Every IAM or resource policy document the module writes. */
const POLICIES =
  "concat([aws_iam_role_policy.lambda.policy], aws_iam_role_policy.router[*].policy, aws_iam_role_policy.oauth_front[*].policy, aws_iam_role_policy.oauth_token[*].policy, aws_sns_topic_policy.alarms[*].policy, aws_ecr_repository_policy.this[*].policy, [for k in aws_kms_key.oauth_signing : k.policy])";
const FUNCTIONS =
  "concat([aws_lambda_function.this], aws_lambda_function.router, aws_lambda_function.oauth_front, aws_lambda_function.oauth_token)";
const LOG_GROUPS =
  "concat([aws_cloudwatch_log_group.lambda, aws_cloudwatch_log_group.api], aws_cloudwatch_log_group.router, aws_cloudwatch_log_group.oauth_front, aws_cloudwatch_log_group.oauth_token)";
/** The authorization server's route keys (with enable_interactive_auth). */
const OAUTH_ROUTES =
  '["GET /.well-known/oauth-authorization-server", "GET /.well-known/openid-configuration", "GET /.well-known/jwks.json", "GET /authorize", "POST /register", "POST /oauth/consent", "GET /oauth/callback", "POST /token", "POST /revoke"]';
const ALARMS =
  "[aws_cloudwatch_metric_alarm.lambda_errors, aws_cloudwatch_metric_alarm.lambda_duration, aws_cloudwatch_metric_alarm.lambda_throttles, aws_cloudwatch_metric_alarm.api_5xx, aws_cloudwatch_metric_alarm.api_latency]";

export const FEDRAMP_CONTROLS: readonly FedrampControl[] = [
  {
    id: "AC-6",
    family: "Access Control",
    implementation:
      "Least-privilege roles: no wildcard action, no empty Resource; logs only to the function's own group; session table items only; the router may invoke only the isolated function; API Gateway may invoke only for this API's /mcp routes",
    assertions: [
      {
        condition: `alltrue(flatten([for p in ${POLICIES} : [for s in jsondecode(p).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]]]))`,
        proves: "no IAM or resource policy statement has a wildcard action",
      },
      {
        condition: `alltrue(flatten([for p in ${POLICIES} : [for s in jsondecode(p).Statement : length(flatten([lookup(s, "Resource", ["(implicit: the policy's own resource)"])])) > 0]]))`,
        // HCL's || does not short-circuit: lookup() handles resource policies without Resource (ECR).
        proves: "no statement has an empty Resource",
      },
      {
        condition:
          'alltrue([for r in concat([aws_iam_role.lambda], aws_iam_role.router) : length(jsondecode(r.assume_role_policy).Statement) == 1 && jsondecode(r.assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"])',
        proves: "only Lambda can assume the execution roles",
      },
      {
        condition:
          'alltrue([for k, p in aws_lambda_permission.api : p.principal == "apigateway.amazonaws.com" && p.source_arn == "${aws_apigatewayv2_api.this.execution_arn}/*/${replace(k, " ", "")}"])',
        proves: "API Gateway may invoke the function only for this API's own routes",
      },
      {
        condition:
          'alltrue([for p in aws_iam_role_policy.router : one([for s in jsondecode(p.policy).Statement : s.Resource if s.Sid == "InvokeIsolatedFunction"]) == [aws_lambda_function.this.arn, "${aws_lambda_function.this.arn}:*"]])',
        proves: "the tenant router may invoke only the isolated function",
      },
      {
        condition:
          'alltrue([for k, p in aws_lambda_permission.oauth : p.principal == "apigateway.amazonaws.com" && p.source_arn == "${aws_apigatewayv2_api.this.execution_arn}/*/${replace(k, " ", "")}"])',
        proves: "API Gateway may invoke the authorization server's functions only for their own routes",
      },
      {
        condition:
          'alltrue([for p in concat(aws_iam_role_policy.oauth_front[*].policy, aws_iam_role_policy.oauth_token[*].policy) : alltrue([for s in jsondecode(p).Statement : !contains(flatten([s.Action]), "dynamodb:Scan") && (!startswith(flatten([s.Action])[0], "dynamodb:") || (try(s.Condition.Null["dynamodb:LeadingKeys"], "") == "false" && length(try(s.Condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"], [])) > 0))])])',
        proves: "the authorization server's roles reach OAuth table items only by key prefix (dynamodb:LeadingKeys), never with Scan",
      },
      {
        condition:
          'alltrue([for p in aws_iam_role_policy.oauth_front : !strcontains(p.policy, "kms:Sign")]) && alltrue([for k in aws_kms_key.oauth_signing : [for s in jsondecode(k.policy).Statement : s.Principal.AWS if contains(flatten([s.Action]), "kms:Sign")] == aws_iam_role.oauth_token[*].arn])',
        proves: "only the token function's role may sign access tokens (key policy and IAM)",
      },
    ],
  },
  {
    id: "AU-2/AU-3",
    family: "Audit and Accountability",
    implementation:
      "JSON access logs with request id, source IP, route, status, latency, integration error, sub, client_id and tenant; JSON function logs; every log group KMS-encrypted with retention; with WAF, CloudFront's standard logs (v2) delivered to cloudfront_access_log_destination_arn (mcp_waf's encrypted us-east-1 log group) unless enable_cloudfront_access_logs = false",
    assertions: [
      {
        condition: `alltrue([for lg in ${LOG_GROUPS} : lg.kms_key_id == var.kms_key_arn && lg.retention_in_days == var.log_retention_days])`,
        proves: "every log group is encrypted with the key and keeps logs for log_retention_days",
      },
      {
        condition:
          'aws_apigatewayv2_stage.this.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.api.arn && alltrue([for k in ["requestId", "requestTime", "sourceIp", "httpMethod", "routeKey", "status", "latencyMs", "integrationError", "sub", "clientId", "tenantId"] : contains(keys(jsondecode(aws_apigatewayv2_stage.this.access_log_settings[0].format)), k)])',
        proves: "the stage writes JSON access logs with who, what, when, where and outcome",
      },
      {
        condition: `alltrue([for f in ${FUNCTIONS} : f.logging_config[0].log_format == "JSON"])`,
        proves: "functions log structured JSON",
      },
      {
        condition:
          'length(aws_cloudwatch_log_delivery.cloudfront) == (length(aws_cloudfront_distribution.this) == 1 && var.enable_cloudfront_access_logs ? 1 : 0) && alltrue([for s in aws_cloudwatch_log_delivery_source.cloudfront : s.log_type == "ACCESS_LOGS" && s.resource_arn == one(aws_cloudfront_distribution.this[*].arn)]) && alltrue([for d in aws_cloudwatch_log_delivery.cloudfront : d.delivery_source_name == one(aws_cloudwatch_log_delivery_source.cloudfront[*].name) && d.delivery_destination_arn == var.cloudfront_access_log_destination_arn])',
        proves:
          "with WAF, the CloudFront distribution delivers its access logs to the destination (unless enable_cloudfront_access_logs = false)",
      },
    ],
  },
  {
    id: "CM-7",
    family: "Configuration Management",
    implementation:
      "Only POST/GET/DELETE /mcp plus read-only GET /health and OAuth protected resource metadata (and, with interactive sign-in, the authorization server's nine routes); stage and per-route throttling, registration and token routes throttled by default; reserved concurrency for the function and the router when set (default -1: unreserved, no cap); function timeout within the 30 s integration limit; no self sign-up",
    assertions: [
      {
        condition:
          'toset(keys(aws_apigatewayv2_route.mcp)) == toset(["POST /mcp", "GET /mcp", "DELETE /mcp"]) && toset(keys(aws_apigatewayv2_route.public)) == toset(["GET /health", "GET /.well-known/oauth-protected-resource", "GET /.well-known/oauth-protected-resource/mcp"]) && alltrue([for r in aws_apigatewayv2_route.public : startswith(r.route_key, "GET ")])',
        proves: "the API exposes only the MCP endpoint, plus read-only health and OAuth metadata",
      },
      {
        condition: `var.enable_interactive_auth ? toset(keys(aws_apigatewayv2_route.oauth)) == toset(${OAUTH_ROUTES}) : length(aws_apigatewayv2_route.oauth) == 0`,
        proves: "the authorization server's routes exist only with interactive sign-in, and only these",
      },
      {
        condition:
          'aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == var.throttle_rate_limit && aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit == var.throttle_burst_limit && length(aws_apigatewayv2_stage.this.route_settings) == length(setunion(keys(var.route_throttle_overrides), var.enable_interactive_auth ? ["POST /register", "POST /token"] : []))',
        proves: "stage throttling, every per-route override and the OAuth registration and token throttles are applied",
      },
      {
        condition:
          "aws_lambda_function.this.reserved_concurrent_executions == var.reserved_concurrent_executions && aws_lambda_function.this.timeout <= 30",
        proves: "concurrency is capped as configured and the timeout fits the integration limit",
      },
      {
        condition: "alltrue([for p in aws_cognito_user_pool.this : p.admin_create_user_config[0].allow_admin_create_user_only])",
        proves: "nobody can sign up to the module's user pool",
      },
    ],
  },
  {
    id: "IA-2/IA-8",
    family: "Identification and Authentication",
    implementation:
      "Cognito JWT authorizer (issuer = the pool, audience = the app client) on every /mcp route with scope mcp/invoke; OAuth 2.0 client_credentials clients with secrets; the function also receives the issuer and client id to verify tokens itself; auth cannot be off in prod; with interactive sign-in, an OAuth 2.1 authorization server at the MCP origin (PKCE S256, audience-bound RS256 tokens) signs users in through one confidential Cognito app client (MFA per cognito_mfa_configuration)",
    assertions: [
      {
        condition:
          'alltrue([for r in aws_apigatewayv2_route.mcp : var.enable_auth && var.enable_gateway_authorizer ? (r.authorization_type == "JWT" && r.authorization_scopes == toset(["mcp/invoke"]) && r.authorizer_id == one(aws_apigatewayv2_authorizer.this[*].id)) : r.authorization_type == "NONE"])',
        proves:
          "with auth on, API Gateway requires a JWT with scope mcp/invoke on every /mcp route (unless enable_gateway_authorizer = false)",
      },
      {
        condition:
          'alltrue([for a in aws_apigatewayv2_authorizer.this : a.authorizer_type == "JWT" && startswith(a.jwt_configuration[0].issuer, "https://cognito-idp.") && length(a.jwt_configuration[0].audience) == 1])',
        proves: "the authorizer trusts one Cognito issuer and one app client",
      },
      {
        condition:
          'alltrue([for c in aws_cognito_user_pool_client.this : c.allowed_oauth_flows == toset(["client_credentials"]) && c.generate_secret])',
        proves: "clients authenticate with the client_credentials grant and a secret",
      },
      {
        condition:
          'aws_lambda_function.this.environment[0].variables["MCP_AUTH_ENABLED"] == tostring(var.enable_auth) && (var.enable_auth || var.environment != "prod") && (!var.enable_auth || (aws_lambda_function.this.environment[0].variables["MCP_JWT_REQUIRED_SCOPE"] == "mcp/invoke" && startswith(aws_lambda_function.this.environment[0].variables["MCP_JWT_ISSUER"], "https://cognito-idp.") && aws_lambda_function.this.environment[0].variables["MCP_JWT_CLIENT_IDS"] != ""))',
        proves: "with auth on, the function verifies every token itself (issuer, client id, scope), and auth is never off in prod",
      },
      {
        condition:
          'alltrue([for c in aws_cognito_user_pool_client.interactive : c.allowed_oauth_flows == toset(["code"]) && c.generate_secret && length(c.callback_urls) == 1 && one(c.callback_urls) == "${aws_lambda_function.this.environment[0].variables["MCP_OAUTH_ISSUER"]}/oauth/callback"]) && alltrue([for r in aws_apigatewayv2_route.oauth : r.authorization_type == "NONE"]) && (var.enable_interactive_auth ? startswith(aws_lambda_function.this.environment[0].variables["MCP_OAUTH_ISSUER"], "https://") && length(jsondecode(aws_lambda_function.this.environment[0].variables["MCP_OAUTH_PUBLIC_KEYS"])) == length(var.oauth_signing_keys) : aws_lambda_function.this.environment[0].variables["MCP_OAUTH_ISSUER"] == "")',
        proves:
          "with interactive sign-in, users sign in at Cognito through one confidential app client whose only callback is the issuer's, and the function verifies the authorization server's tokens with its published keys",
      },
    ],
  },
  {
    id: "IR-4",
    family: "Incident Response",
    implementation: "All five alarms notify one SNS topic (the module's, KMS-encrypted, or the caller's) on alarm and on recovery",
    assertions: [
      {
        condition: `alltrue([for a in ${ALARMS} : length(a.alarm_actions) == 1 && a.alarm_actions == a.ok_actions && a.actions_enabled == var.alarm_actions_enabled])`,
        proves: "every alarm notifies the topic on alarm and on OK",
      },
      {
        condition: "output.sns_topic_arn != null && alltrue([for a in " + ALARMS + " : contains(a.alarm_actions, output.sns_topic_arn)])",
        proves: "the topic the alarms notify is the one the module reports",
      },
    ],
  },
  {
    id: "SC-7",
    family: "System and Communications Protection",
    implementation:
      "Functions in private subnets of the VPC; WAF on a CloudFront distribution in front of the API (an HTTP API stage cannot carry WAF) with a secret origin header the function enforces; API Gateway the single entry; Lambda tenant isolation behind a router",
    assertions: [
      {
        condition: `alltrue([for f in ${FUNCTIONS} : f.vpc_config[0].subnet_ids == toset(var.vpc_subnet_ids) && f.vpc_config[0].security_group_ids == toset(var.vpc_security_group_ids)])`,
        proves: "every function runs in the given subnets and security groups",
      },
      {
        condition:
          'alltrue([for d in aws_cloudfront_distribution.this : d.web_acl_id == var.waf_acl_arn && nonsensitive(one([for h in one(d.origin).custom_header : h.value if h.name == "X-Origin-Verify"]) == aws_lambda_function.this.environment[0].variables["MCP_ORIGIN_VERIFY_SECRET"])]) && (length(aws_cloudfront_distribution.this) == 0 || nonsensitive(length(aws_lambda_function.this.environment[0].variables["MCP_ORIGIN_VERIFY_SECRET"]) >= 64))',
        proves: "with WAF, CloudFront carries the ACL and sends the origin-verify secret the function enforces",
      },
      {
        condition:
          "aws_apigatewayv2_integration.this.integration_uri == (var.enable_tenant_isolation ? one(aws_lambda_function.router[*].invoke_arn) : aws_lambda_function.this.invoke_arn)",
        proves: "with tenant isolation, API Gateway reaches the isolated function only through the router",
      },
    ],
  },
  {
    id: "SC-8",
    family: "Transmission Confidentiality",
    implementation:
      "HTTPS-only endpoints; TLS 1.2 to the origin; with a custom domain, viewers TLSv1.2_2021 at CloudFront or TLS_1_2 at API Gateway (with WAF and no domain, CloudFront's default certificate allows TLSv1, and a check warns); HSTS on CloudFront responses; publishing to the alarm topic without TLS is denied",
    assertions: [
      {
        condition:
          'alltrue([for d in aws_cloudfront_distribution.this : var.domain_name == null || one(d.viewer_certificate).minimum_protocol_version == "TLSv1.2_2021"]) && alltrue([for n in aws_apigatewayv2_domain_name.this : one(n.domain_name_configuration).security_policy == "TLS_1_2"])',
        proves: "a custom domain accepts TLS 1.2 or later only",
      },
      {
        condition:
          "alltrue([for d in aws_cloudfront_distribution.this : one(d.default_cache_behavior).response_headers_policy_id == one(aws_cloudfront_response_headers_policy.this[*].id)]) && alltrue([for p in aws_cloudfront_response_headers_policy.this : one(one(p.security_headers_config).strict_transport_security).access_control_max_age_sec >= 31536000 && one(one(p.security_headers_config).strict_transport_security).include_subdomains])",
        proves: "CloudFront adds HSTS (one year, subdomains) to every response",
      },
      { condition: 'startswith(output.mcp_endpoint_url, "https://")', proves: "clients reach the server over HTTPS only" },
      {
        condition:
          'alltrue([for d in aws_cloudfront_distribution.this : one(d.default_cache_behavior).viewer_protocol_policy == "https-only" && one(one(d.origin).custom_origin_config).origin_protocol_policy == "https-only" && one(one(d.origin).custom_origin_config).origin_ssl_protocols == toset(["TLSv1.2"])])',
        proves: "CloudFront accepts and forwards HTTPS only, TLS 1.2 to the origin",
      },
      {
        condition:
          'alltrue([for p in aws_sns_topic_policy.alarms : contains([for s in jsondecode(p.policy).Statement : s.Sid if s.Effect == "Deny"], "DenyInsecureTransport")])',
        proves: "the module's topic refuses publishing without TLS",
      },
    ],
  },
  {
    id: "SC-12/13",
    family: "Cryptographic Key Management",
    implementation:
      "One customer managed key (mcp_kms: rotation on, exactly the statements the services need) for every encrypted resource; with interactive sign-in, token-signing keys in KMS (RSA_2048 SIGN_VERIFY, rotated by generations)",
    assertions: [
      {
        condition:
          'length(distinct(concat([aws_lambda_function.this.kms_key_arn, aws_cloudwatch_log_group.lambda.kms_key_id, aws_cloudwatch_log_group.api.kms_key_id], aws_sns_topic.alarms[*].kms_master_key_id, [for t in concat(aws_dynamodb_table.sessions, aws_dynamodb_table.tool_cache) : t.server_side_encryption[0].kms_key_arn], [for r in aws_ecr_repository.this : r.encryption_configuration[0].kms_key]))) == 1 && startswith(var.kms_key_arn, "arn:")',
        proves: "every encrypted resource uses the one customer managed key",
      },
      {
        condition:
          'alltrue([for k in aws_kms_key.oauth_signing : k.key_usage == "SIGN_VERIFY" && k.customer_master_key_spec == "RSA_2048"]) && length(aws_kms_key.oauth_signing) == (var.enable_interactive_auth ? length(var.oauth_signing_keys) : 0) && alltrue([for t in aws_dynamodb_table.oauth : t.server_side_encryption[0].kms_key_arn == var.kms_key_arn])',
        proves: "access tokens are signed by asymmetric KMS keys (RSA_2048, one per generation) whose private halves never leave KMS",
      },
    ],
  },
  {
    id: "SC-28",
    family: "Protection of Data at Rest",
    implementation:
      "KMS encryption for the function environments, logs, the session, tool-cache and OAuth tables, the ECR repository and the alarm topic; the authorization server stores codes, refresh tokens and client secrets hashed",
    assertions: [
      {
        condition: `alltrue([for f in ${FUNCTIONS} : f.kms_key_arn == var.kms_key_arn])`,
        proves: "function environments are encrypted with the key",
      },
      {
        condition:
          'alltrue([for t in concat(aws_dynamodb_table.sessions, aws_dynamodb_table.tool_cache, aws_dynamodb_table.oauth) : t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == var.kms_key_arn && t.point_in_time_recovery[0].enabled]) && alltrue([for t in aws_dynamodb_table.oauth : t.ttl[0].enabled && t.ttl[0].attribute_name == "expires_at"])',
        proves: "the session, tool-cache and OAuth tables are encrypted with the key (and recoverable); OAuth items expire",
      },
      {
        condition:
          'alltrue([for r in aws_ecr_repository.this : r.encryption_configuration[0].encryption_type == "KMS" && r.encryption_configuration[0].kms_key == var.kms_key_arn])',
        proves: "images are encrypted with the key",
      },
      {
        condition: "alltrue([for t in aws_sns_topic.alarms : t.kms_master_key_id == var.kms_key_arn])",
        proves: "the alarm topic is encrypted with the key",
      },
    ],
  },
  {
    id: "SI-4",
    family: "System Monitoring",
    implementation:
      "X-Ray active tracing; the five alarms (Errors, Duration p99 at 80% and Latency p99 at 90% of the timeout, Throttles, 5xx); structured logs",
    assertions: [
      {
        condition: `alltrue([for f in ${FUNCTIONS} : f.tracing_config[0].mode == (var.enable_xray_tracing ? "Active" : "PassThrough")])`,
        proves: "functions are traced with X-Ray when enable_xray_tracing is on",
      },
      {
        condition: `[for a in ${ALARMS} : a.metric_name] == ["Errors", "Duration", "Throttles", "5xx", "Latency"] && aws_cloudwatch_metric_alarm.lambda_duration.threshold == var.timeout * 800 && aws_cloudwatch_metric_alarm.api_latency.threshold == var.timeout * 900`,
        proves: "the five alarms exist, duration and latency tied to the timeout",
      },
    ],
  },
];

/** The edge log groups of `mcp_waf` (none with `enable_logging = false`). */
const EDGE_LOG_GROUPS = "concat(aws_cloudwatch_log_group.waf, aws_cloudwatch_log_group.cloudfront)";
/** The statements of `mcp_waf`'s log resource policy. */
const EDGE_DELIVERY_STATEMENTS = "flatten([for p in aws_cloudwatch_log_resource_policy.edge : jsondecode(p.policy_document).Statement])";

/** The controls `mcp_waf` claims: the web ACL's and CloudFront's audit logs. */
export const MCP_WAF_FEDRAMP_CONTROLS: readonly FedrampControl[] = [
  {
    id: "AU-2/AU-3",
    family: "Audit and Accountability",
    implementation:
      "Every request the web ACL inspects is logged (time, client IP and country, URI, headers, the terminating rule and action) to aws-waf-logs-<name>-<environment>; a JSON delivery destination receives CloudFront's standard logs from mcp_server; on unless enable_logging = false",
    assertions: [
      {
        condition:
          'length(aws_wafv2_web_acl_logging_configuration.this) == (var.enable_logging ? 1 : 0) && alltrue([for l in aws_wafv2_web_acl_logging_configuration.this : l.resource_arn == aws_wafv2_web_acl.this.arn && l.log_destination_configs == toset(aws_cloudwatch_log_group.waf[*].arn) && startswith(one(aws_cloudwatch_log_group.waf[*].name), "aws-waf-logs-")])',
        proves: "the web ACL logs every inspected request to its aws-waf-logs- log group",
      },
      {
        condition:
          'length(aws_cloudwatch_log_delivery_destination.cloudfront) == (var.enable_logging ? 1 : 0) && alltrue([for d in aws_cloudwatch_log_delivery_destination.cloudfront : d.output_format == "json" && one(d.delivery_destination_configuration).destination_resource_arn == one(aws_cloudwatch_log_group.cloudfront[*].arn)]) && output.cloudfront_access_log_destination_arn == one(aws_cloudwatch_log_delivery_destination.cloudfront[*].arn)',
        proves: "CloudFront access logs have a JSON destination in their own log group, which the module reports",
      },
    ],
  },
  {
    id: "AU-9",
    family: "Audit and Accountability",
    implementation:
      "Only the log delivery service, for deliveries of this account, may write to the two edge log groups (one scoped resource policy, create stream and put events only); both encrypted with the customer managed key",
    assertions: [
      {
        condition: `length(${EDGE_DELIVERY_STATEMENTS}) == (var.enable_logging ? 1 : 0) && alltrue([for s in ${EDGE_DELIVERY_STATEMENTS} : s.Effect == "Allow" && s.Principal.Service == "delivery.logs.amazonaws.com" && toset(s.Action) == toset(["logs:CreateLogStream", "logs:PutLogEvents"]) && toset(s.Resource) == toset([for lg in ${EDGE_LOG_GROUPS} : "\${lg.arn}:log-stream:*"]) && s.Condition.StringEquals["aws:SourceAccount"] != ""])`,
        proves: "only the log delivery service of this account writes the edge logs, and only into the edge log groups",
      },
    ],
  },
  {
    id: "AU-11",
    family: "Audit and Accountability",
    implementation: "Both edge log groups keep events for log_retention_days (default 365; never forever, 0 is refused)",
    assertions: [
      {
        condition: `alltrue([for lg in ${EDGE_LOG_GROUPS} : lg.retention_in_days == var.log_retention_days && lg.retention_in_days > 0])`,
        proves: "the edge logs are kept for log_retention_days",
      },
    ],
  },
  {
    id: "SC-28",
    family: "Protection of Data at Rest",
    implementation:
      "Both edge log groups are encrypted with kms_key_arn (a customer managed key in us-east-1, e.g. mcp_kms); the authorization and cookie headers never reach the WAF logs; CloudFront's standard logs carry no Authorization field and no cookies (cookie logging stays off)",
    assertions: [
      {
        condition: `alltrue([for lg in ${EDGE_LOG_GROUPS} : lg.kms_key_id == var.kms_key_arn])`,
        proves: "the edge log groups are encrypted with the key",
      },
      {
        condition:
          'alltrue([for l in aws_wafv2_web_acl_logging_configuration.this : toset([for f in l.redacted_fields : one(f.single_header).name]) == toset(["authorization", "cookie"])])',
        proves: "bearer tokens and cookies are redacted from the WAF logs",
      },
    ],
  },
];
