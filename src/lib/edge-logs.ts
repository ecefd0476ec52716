/**
 * The audit logs of the edge (the CloudFront distribution in front of an `mcp_server` and its
 * web ACL), named once for the three modules that meet them: `mcp_waf` creates the log groups,
 * `mcp_kms` lets CloudWatch Logs encrypt them, and `mcp_server` delivers the distribution's
 * access logs into one of them.
 */

/** WAF logs only to a destination whose name starts with this (WAF guide, logging-cw-logs). */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

/** CloudFront standard logs (v2) of an `mcp_server`: `/aws/cloudfront/<name>-<environment>`. */
export const CLOUDFRONT_LOG_GROUP_PREFIX = "/aws/cloudfront/";

/**
 * Where edge logging is configured. A web ACL of scope CLOUDFRONT and its log group live in
 * us-east-1 (WAF guide, logging-cw-logs: the log group is in the web ACL's Region), and CloudFront
 * standard logging (v2) is set up through the CloudWatch Logs API in us-east-1 only, "even if you
 * want to enable cross Region delivery to another destination" (CloudFront guide,
 * standard-logging, enable-access-logging-api).
 */
export const EDGE_REGION = "us-east-1";

/**
 * The service principal that writes vended logs (WAF logs, CloudFront standard logs v2) into a
 * log group, as the log group's resource policy must allow it (CloudWatch Logs guide,
 * AWS-logs-infrastructure-V2-CloudWatchLogs, "Log group resource policy").
 */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

/**
 * Request headers WAF keeps out of its logs: the bearer token (`authorization`) and every cookie
 * (the OAuth consent flow sets a `__Host-` cookie). Header names in lowercase, as WAF requires.
 */
export const WAF_REDACTED_HEADERS = ["authorization", "cookie"] as const;
