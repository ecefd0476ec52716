/** The outputs of the published module, read off the construct. */
import type { ModuleOutput } from "../lib/module-spec.js";
import type { McpWaf } from "./mcp-waf.js";

export const MCP_WAF_OUTPUTS: readonly ModuleOutput<McpWaf>[] = [
  { name: "web_acl_arn", description: "ARN of the web ACL: pass it to mcp_server's waf_acl_arn", value: (w) => w.acl.arn },
  { name: "web_acl_id", description: "ID of the web ACL", value: (w) => w.acl.id },
  { name: "web_acl_name", description: "Name of the web ACL", value: (w) => w.acl.name },
];
