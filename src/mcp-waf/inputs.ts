import { ENVIRONMENT_INPUT, NAME_INPUT, TAGS_INPUT } from "../lib/common-inputs.js";
import { integer, listOf, moduleInputs, pattern } from "../lib/module-spec.js";
import type { McpWafProps } from "./props.js";

const IPV4_CIDR =
  /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;

/** IPv4 CIDR blocks, at most the 10,000 addresses a WAF IP set holds (WAF quotas). */
const cidrs = listOf(pattern(IPV4_CIDR, "an IPv4 CIDR block", { rejects: ["203.0.113.0", "2001:db8::/32", "300.1.1.1/8"] }), {
  max: 10000,
  allows: "a list of IPv4 CIDR blocks such as 203.0.113.0/24",
  reason: "(at most 10000, the WAF IP set limit)",
});

export const MCP_WAF_INPUTS = moduleInputs<McpWafProps>()(
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
    rules: [integer({ min: 10, max: 2000000000, reason: "(WAF rate-based rule limits)" })],
  },
  {
    name: "allowed_ip_cidrs",
    prop: "allowedIpCidrs",
    type: "list(string)",
    description: "IPv4 CIDR blocks that alone may reach the server; empty allows every address",
    default: [],
    nullable: false,
    rules: [cidrs],
  },
  {
    name: "blocked_ip_cidrs",
    prop: "blockedIpCidrs",
    type: "list(string)",
    description: "IPv4 CIDR blocks that are always blocked",
    default: [],
    nullable: false,
    rules: [cidrs],
  },
);
