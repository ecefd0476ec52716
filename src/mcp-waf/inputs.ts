import { hclRegex, isIntegerIn, type ModuleInput } from "../lib/module-spec.js";
import { ENVIRONMENT_INPUT, NAME_INPUT, TAGS_INPUT } from "../mcp-server/inputs.js";
import type { McpWafProps } from "./mcp-waf.js";

const IPV4_CIDR = /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;

const cidrList = (name: string, description: string): ModuleInput<McpWafProps> => ({
  name,
  prop: name === "allowed_ip_cidrs" ? "allowedIpCidrs" : "blockedIpCidrs",
  type: "list(string)",
  description,
  default: [],
  nullable: false,
  validation: [
    {
      condition: `length(var.${name}) <= 10000 && alltrue([for c in var.${name} : can(regex(${hclRegex(IPV4_CIDR)}, c))])`,
      errorMessage: `${name} must list IPv4 CIDR blocks such as 203.0.113.0/24 (at most 10000, the WAF IP set limit).`,
      test: (v: string[]) => Array.isArray(v) && v.length <= 10000 && v.every((c) => IPV4_CIDR.test(c)),
      rejects: [["203.0.113.0"], ["2001:db8::/32"], ["300.1.1.1/8"]],
    },
  ],
});


export const MCP_WAF_INPUTS: readonly ModuleInput<McpWafProps>[] = [
  NAME_INPUT,
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  {
    name: "rate_limit_per_5_minutes",
    prop: "rateLimitPer5Minutes",
    type: "number",
    description: "Requests one IP address may make in any 5-minute window before WAF blocks it",
    default: 2000,
    nullable: false,
    validation: [
      {
        condition: "var.rate_limit_per_5_minutes >= 10 && var.rate_limit_per_5_minutes <= 2000000000 && floor(var.rate_limit_per_5_minutes) == var.rate_limit_per_5_minutes",
        errorMessage: "rate_limit_per_5_minutes must be a whole number from 10 to 2000000000 (WAF rate-based rule limits).",
        test: (v) => isIntegerIn(v, 10, 2_000_000_000),
        rejects: [9, 2.5],
      },
    ],
  },
  cidrList("allowed_ip_cidrs", "IPv4 CIDR blocks that alone may reach the server; empty allows every address"),
  cidrList("blocked_ip_cidrs", "IPv4 CIDR blocks that are always blocked"),
];
