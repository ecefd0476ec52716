/**
 * `cidr_info`: facts about an IPv4 CIDR block (RFC 4632), including the AWS VPC subnet view.
 *
 * AWS rules (Amazon VPC User Guide, "Subnet CIDR blocks"): an IPv4 subnet is /16 to /28, and
 * AWS reserves 5 addresses in each: the network address, network+1 (VPC router), network+2
 * (Amazon DNS), network+3 (reserved for future use) and the last address (broadcast).
 * /31 follows RFC 3021 (both addresses usable on point-to-point links); /32 is a single host.
 */
import { z } from "zod";
import { defineTool } from "../core/tools.js";
import { toolError, toolResult } from "./result.js";

/**
 * Address syntax checks (zod's `ipv4` / `ipv6` formats: dotted decimal without leading zeros, as
 * `node:net`'s `isIPv4`; RFC 4291 text forms, a zone id after `%` ignored), so the module loads no
 * `node:net` at a cold start.
 */
const IPV4 = z.ipv4();
const IPV6 = z.ipv6();
const isIPv4 = (value: string) => IPV4.safeParse(value).success;
const isIPv6 = (value: string) => IPV6.safeParse(value.split("%")[0]).success;

/** Smallest and largest IPv4 prefix AWS accepts for a VPC or subnet CIDR block. */
export const AWS_SUBNET_PREFIX_RANGE = { min: 16, max: 28 } as const;

const cidrInfoShape = {
  cidr: z.string().describe('Normalized block, network address + prefix, e.g. "10.0.0.0/24".'),
  host_bits_set: z.boolean().describe("True when the input address was not the network address (the block was normalized)."),
  prefix_length: z.number().int().describe("Prefix length, 0-32."),
  network_address: z.string(),
  broadcast_address: z.string().nullable().describe("Last address of the block; null for /31 and /32, which have no broadcast address."),
  netmask: z.string().describe('Dotted-quad subnet mask, e.g. "255.255.255.0".'),
  wildcard_mask: z.string().describe('Inverse mask, e.g. "0.0.0.255".'),
  first_usable_host: z.string(),
  last_usable_host: z.string(),
  total_addresses: z.number().int().describe("2^(32 - prefix)."),
  usable_hosts: z.number().int().describe("Total minus network and broadcast; 2 for /31 (RFC 3021), 1 for /32."),
  aws_subnet_size_valid: z.boolean().describe("Whether AWS accepts this prefix for a VPC subnet (/16 to /28)."),
  aws_usable_hosts: z
    .number()
    .int()
    .nullable()
    .describe("Total minus the 5 addresses AWS reserves; null when the size is not a valid subnet."),
  aws_first_usable_host: z.string().nullable().describe("Network address + 4; null when the size is not a valid subnet."),
  aws_reserved_addresses: z
    .array(z.string())
    .nullable()
    .describe("The 5 addresses AWS reserves; null when the size is not a valid subnet."),
  rfc1918_private: z.boolean().describe("Whether the whole block lies in 10/8, 172.16/12 or 192.168/16 (RFC 1918)."),
  ip: z.string().optional().describe("The IP address asked about, if any."),
  ip_in_block: z.boolean().optional().describe("Whether `ip` is inside the block."),
};

export const cidrInfoOutputSchema = z.object(cidrInfoShape);
export type CidrInfo = z.infer<typeof cidrInfoOutputSchema>;

export type CidrInfoResult = { ok: true; value: CidrInfo } | { ok: false; error: string };

/** Dotted quad to unsigned 32-bit integer; the caller has checked `isIPv4`. */
function toInt(address: string): number {
  return address.split(".").reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

/** Unsigned 32-bit integer to dotted quad. */
function toDotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join(".");
}

const PRIVATE_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [toInt("10.0.0.0"), 8],
  [toInt("172.16.0.0"), 12],
  [toInt("192.168.0.0"), 16],
];

const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/**
 * Computes CIDR facts. Pure and deterministic; IPv4 only.
 * @param cidr `a.b.c.d/n` with n in 0-32; host bits may be set (the block is normalized and `host_bits_set` is true)
 * @param ip optional IPv4 address to test for membership
 * @returns `{ok: true, value}` or `{ok: false, error}` naming what is invalid
 */
export function cidrInfo(cidr: string, ip?: string): CidrInfoResult {
  const fail = (error: string): CidrInfoResult => ({ ok: false, error });
  const input = cidr.trim();
  const match = /^([^/]+)\/(\d{1,2})$/.exec(input);
  if (isIPv6(input.split("/")[0] ?? "")) return fail(`"${input}" is IPv6; only IPv4 CIDR blocks are supported.`);
  if (match === null) return fail(`Invalid CIDR "${input}": expected an IPv4 address and prefix length, e.g. "10.0.0.0/16".`);
  const [, address = "", prefixText = ""] = match;
  const prefix = Number(prefixText);
  if (!isIPv4(address)) return fail(`Invalid CIDR "${input}": "${address}" is not an IPv4 address.`);
  if (prefix > 32) return fail(`Invalid CIDR "${input}": prefix length must be 0-32, got ${prefix}.`);
  const candidate = ip?.trim();
  if (candidate !== undefined && !isIPv4(candidate)) return fail(`Invalid ip "${candidate}": expected an IPv4 address.`);

  const mask = maskOf(prefix);
  const given = toInt(address);
  const network = (given & mask) >>> 0;
  const last = (network | ~mask) >>> 0;
  const total = 2 ** (32 - prefix);
  const awsValid = prefix >= AWS_SUBNET_PREFIX_RANGE.min && prefix <= AWS_SUBNET_PREFIX_RANGE.max;

  let firstUsable = network;
  let lastUsable = last;
  let usable = total;
  if (prefix <= 30) {
    firstUsable = network + 1;
    lastUsable = last - 1;
    usable = total - 2;
  }

  const value: CidrInfo = {
    cidr: `${toDotted(network)}/${prefix}`,
    host_bits_set: given !== network,
    prefix_length: prefix,
    network_address: toDotted(network),
    broadcast_address: prefix <= 30 ? toDotted(last) : null,
    netmask: toDotted(mask),
    wildcard_mask: toDotted(~mask >>> 0),
    first_usable_host: toDotted(firstUsable),
    last_usable_host: toDotted(lastUsable),
    total_addresses: total,
    usable_hosts: usable,
    aws_subnet_size_valid: awsValid,
    aws_usable_hosts: awsValid ? total - 5 : null,
    aws_first_usable_host: awsValid ? toDotted(network + 4) : null,
    aws_reserved_addresses: awsValid ? [network, network + 1, network + 2, network + 3, last].map(toDotted) : null,
    rfc1918_private: PRIVATE_BLOCKS.some(([base, bits]) => prefix >= bits && (network & maskOf(bits)) >>> 0 === base),
  };
  if (candidate !== undefined) {
    value.ip = candidate;
    value.ip_in_block = (toInt(candidate) & mask) >>> 0 === network;
  }
  return { ok: true, value };
}

/**
 * Input schema. Both schemas are built once, as `z.object`s: given a raw shape, the SDK would build
 * a new object schema on every registration, that is on every request.
 */
const cidrInfoInput = z.object({
  cidr: z.string().min(1).max(64).describe('IPv4 CIDR block, e.g. "10.0.0.0/24".'),
  ip: z.string().max(64).optional().describe('Optional IPv4 address to test for membership, e.g. "10.0.0.17".'),
});

/** `cidr_info` (read-only, deterministic, no network; results cacheable). */
export const cidrInfoTool = defineTool({
  name: "cidr_info",
  config: {
    title: "IPv4 CIDR calculator",
    description:
      "Describe an IPv4 CIDR block: network and broadcast address, netmask, first/last usable host, total and " +
      "usable host counts, and the AWS VPC subnet view (valid subnet size /16-/28, 5 reserved addresses, AWS " +
      "usable hosts). Optionally tells whether an IP address is inside the block. Use it when planning VPCs " +
      "and subnets or checking whether an address belongs to a range. Offline and deterministic; IPv4 only.",
    inputSchema: cidrInfoInput,
    outputSchema: cidrInfoOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  handler: ({ cidr, ip }) => {
    const result = cidrInfo(cidr, ip);
    return result.ok ? toolResult(result.value) : toolError(result.error);
  },
  cacheable: true,
});
