/** The outputs of the published module, read off the construct. */
import type { ModuleOutput } from "../lib/module-spec.js";
import type { McpKms } from "./mcp-kms.js";

export const MCP_KMS_OUTPUTS: readonly ModuleOutput<McpKms>[] = [
  { name: "key_arn", description: "ARN of the key: pass it to mcp_server's kms_key_arn", value: (k) => k.key.arn },
  { name: "key_id", description: "ID of the key", value: (k) => k.key.keyId },
  { name: "alias_name", description: "Alias of the key, alias/<name>-<environment>-mcp", value: (k) => k.alias.name },
];
