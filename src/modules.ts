import { MCP_KMS_MODULE } from "./mcp-kms/module.js";
import { MCP_SERVER_MODULE } from "./mcp-server/module.js";
import { MCP_WAF_MODULE } from "./mcp-waf/module.js";
import type { ModuleDefinition } from "./publish/module.js";
import { METERING_MODULE } from "./mcp-tenant-metering/module.js";
import { TVM_MODULE } from "./mcp-token-vending-machine/module.js";

/** Every module `npm run synth` publishes under `modules/`, in order. */
export const PUBLISHED_MODULES: readonly ModuleDefinition<any, any>[] = [
  MCP_SERVER_MODULE,
  MCP_KMS_MODULE,
  MCP_WAF_MODULE,
  TVM_MODULE,
  METERING_MODULE,
];
