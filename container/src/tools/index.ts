/**
 * The tool list: every tool the MCP server offers, in `tools/list` order. Add a tool by writing
 * `container/src/tools/<name>.ts` that exports a `defineTool({ name, config, handler, cacheable })`
 * and listing it here.
 */
import type { AnyToolDefinition } from "../core/tools.js";
import { cidrInfoTool } from "./cidr-info.js";
import { parseArnTool } from "./parse-arn.js";

export const tools: readonly AnyToolDefinition[] = [parseArnTool, cidrInfoTool];

export { parseArn, parseArnTool, KNOWN_PARTITIONS } from "./parse-arn.js";
export type { ParsedArn, ParseArnResult } from "./parse-arn.js";
export { cidrInfo, cidrInfoTool, AWS_SUBNET_PREFIX_RANGE } from "./cidr-info.js";
export type { CidrInfo, CidrInfoResult } from "./cidr-info.js";
