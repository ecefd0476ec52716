/**
 * The tool list: every tool the MCP server offers, in `tools/list` order. Add a tool by writing
 * `container/src/tools/<name>.ts` that exports a `ToolRegistration` and listing it here.
 */
import type { ToolRegistration } from "../core/server.js";
import { registerCidrInfo } from "./cidr-info.js";
import { registerParseArn } from "./parse-arn.js";

export const tools: readonly ToolRegistration[] = [registerParseArn, registerCidrInfo];

export { parseArn, KNOWN_PARTITIONS } from "./parse-arn.js";
export type { ParsedArn, ParseArnResult } from "./parse-arn.js";
export { cidrInfo, AWS_SUBNET_PREFIX_RANGE } from "./cidr-info.js";
export type { CidrInfo, CidrInfoResult } from "./cidr-info.js";
