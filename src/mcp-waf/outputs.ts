/** The outputs of the published module, read off the construct. */
import { optionalAttr } from "../lib/expr.js";
import type { ModuleOutput } from "../lib/module-spec.js";
import type { McpWaf } from "./mcp-waf.js";

export const MCP_WAF_OUTPUTS: readonly ModuleOutput<McpWaf>[] = [
  { name: "web_acl_arn", description: "ARN of the web ACL: pass it to mcp_server's waf_acl_arn", value: (w) => w.acl.arn },
  { name: "web_acl_id", description: "ID of the web ACL", value: (w) => w.acl.id },
  { name: "web_acl_name", description: "Name of the web ACL", value: (w) => w.acl.name },
  {
    name: "waf_log_group_name",
    description: "Name of the log group with the web ACL's logs, aws-waf-logs-<name>-<environment> (null with enable_logging = false)",
    value: (w) => optionalAttr(w.logs.wafLogGroup, "name"),
  },
  {
    name: "waf_log_group_arn",
    description: "ARN of the log group with the web ACL's logs (null with enable_logging = false)",
    value: (w) => optionalAttr(w.logs.wafLogGroup, "arn"),
  },
  {
    name: "cloudfront_access_log_group_name",
    description:
      "Name of the log group that receives the distribution's access logs, /aws/cloudfront/<name>-<environment> (null with enable_logging = false)",
    value: (w) => optionalAttr(w.logs.cloudfrontLogGroup, "name"),
  },
  {
    name: "cloudfront_access_log_destination_arn",
    description:
      "ARN of the CloudWatch Logs delivery destination for CloudFront access logs: pass it to mcp_server's cloudfront_access_log_destination_arn (null with enable_logging = false)",
    value: (w) => optionalAttr(w.logs.cloudfrontDestination, "arn"),
  },
];
