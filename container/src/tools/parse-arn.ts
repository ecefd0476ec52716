/**
 * `parse_arn`: split an Amazon Resource Name into its parts.
 *
 * Format (AWS IAM User Guide, "Identify AWS resources with Amazon Resource Names (ARNs)"):
 *   arn:partition:service:region:account-id:resource-id
 *   arn:partition:service:region:account-id:resource-type/resource-id
 *   arn:partition:service:region:account-id:resource-type:resource-id
 * The resource part is everything after the fifth colon and may itself contain `:` and `/`.
 * Region and account are empty for some services (S3 buckets: `arn:aws:s3:::bucket`, IAM has no
 * region); AWS managed IAM policies use the account `aws`.
 */
import { z } from "zod";
import { defineTool } from "../core/tools.js";
import { toolError, toolResult } from "./result.js";

/** Partitions AWS documents today; other `aws-*` names are accepted and flagged `known_partition: false`. */
export const KNOWN_PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"] as const;

const parsedArnShape = {
  arn: z.string().describe("The ARN as given, trimmed."),
  partition: z.string().describe('Partition, e.g. "aws", "aws-cn", "aws-us-gov".'),
  known_partition: z.boolean().describe("Whether the partition is one AWS documents today."),
  service: z.string().describe('Service namespace, e.g. "s3", "iam", "execute-api".'),
  region: z.string().nullable().describe("Region code, or null when the ARN has none (global resources, S3 buckets)."),
  account_id: z.string().nullable().describe('12-digit account id, "aws" for AWS managed resources, or null when the ARN has none.'),
  resource: z.string().describe("Everything after the fifth colon."),
  resource_type: z
    .string()
    .nullable()
    .describe(
      'Text before the first "/" or ":" of the resource, or null when the resource has no delimiter. Heuristic: for S3 bucket/object ARNs it is null.',
    ),
  resource_id: z.string().describe("The resource after the type and delimiter (the whole resource when there is no type)."),
  resource_delimiter: z.enum(["/", ":"]).nullable().describe("The delimiter between resource_type and resource_id."),
  s3_bucket: z.string().optional().describe("For S3 bucket/object ARNs (no region, no account): the bucket name."),
  s3_key: z.string().optional().describe("For S3 object ARNs: the object key (may contain '/' and wildcards)."),
};

export const parseArnOutputSchema = z.object(parsedArnShape);
export type ParsedArn = z.infer<typeof parseArnOutputSchema>;

/** Result of {@link parseArn}: the parts, or a message saying what is wrong. */
export type ParseArnResult = { ok: true; value: ParsedArn } | { ok: false; error: string };

const SERVICE = /^[a-z0-9][a-z0-9-]*$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

/**
 * Parses an ARN. Pure and deterministic.
 * @param input the ARN (surrounding whitespace is ignored)
 * @returns `{ok: true, value}` with the parts, or `{ok: false, error}` naming the invalid field
 */
export function parseArn(input: string): ParseArnResult {
  const arn = input.trim();
  const fail = (error: string): ParseArnResult => ({ ok: false, error });
  const parts = arn.split(":");
  if (parts.length < 6) {
    return fail(`Not an ARN: expected "arn:partition:service:region:account-id:resource" (6 colon-separated fields), got ${parts.length}.`);
  }
  const [prefix, partition, service, region, account, ...rest] = parts as [string, string, string, string, string, ...string[]];
  const resource = rest.join(":");
  if (prefix !== "arn") return fail(`Not an ARN: must start with "arn:", got "${prefix}:".`);
  if (!PARTITION.test(partition)) {
    return fail(`Invalid partition "${partition}": expected one of ${KNOWN_PARTITIONS.join(", ")}.`);
  }
  if (!SERVICE.test(service)) {
    return fail(`Invalid service "${service}": expected a lowercase service namespace such as "s3" or "execute-api".`);
  }
  if (region !== "" && !REGION.test(region)) {
    return fail(`Invalid region "${region}": expected a region code such as "us-east-1", or empty.`);
  }
  if (account !== "" && account !== "aws" && !ACCOUNT.test(account)) {
    return fail(`Invalid account id "${account}": expected 12 digits, "aws", or empty.`);
  }
  if (resource === "") return fail("Invalid ARN: the resource part (after the fifth colon) is empty.");

  const value: ParsedArn = {
    arn,
    partition,
    known_partition: (KNOWN_PARTITIONS as readonly string[]).includes(partition),
    service,
    region: region === "" ? null : region,
    account_id: account === "" ? null : account,
    resource,
    resource_type: null,
    resource_id: resource,
    resource_delimiter: null,
  };

  if (service === "s3" && region === "" && account === "") {
    // arn:aws:s3:::bucket or arn:aws:s3:::bucket/key: the resource is a plain id, not type/id.
    const slash = resource.indexOf("/");
    value.s3_bucket = slash === -1 ? resource : resource.slice(0, slash);
    if (slash !== -1) value.s3_key = resource.slice(slash + 1);
    return { ok: true, value };
  }

  const match = /[/:]/.exec(resource);
  if (match !== null && match.index > 0) {
    value.resource_type = resource.slice(0, match.index);
    value.resource_delimiter = match[0] as "/" | ":";
    value.resource_id = resource.slice(match.index + 1);
  }
  return { ok: true, value };
}

/**
 * Input schema. Both schemas are built once, as `z.object`s: given a raw shape, the SDK would build
 * a new object schema on every registration, that is on every request.
 */
const parseArnInput = z.object({
  arn: z.string().min(1).max(2048).describe('The ARN, e.g. "arn:aws:lambda:us-east-1:123456789012:function:my-fn".'),
});

/** `parse_arn` (read-only, deterministic, no network; results cacheable). */
export const parseArnTool = defineTool({
  name: "parse_arn",
  config: {
    title: "Parse an AWS ARN",
    description:
      "Split an Amazon Resource Name (ARN) into partition, service, region, account id and resource " +
      "(with resource type and id when the resource is written type/id or type:id). " +
      "Use it to check whether an ARN is well formed or to read which account and region a resource is in. " +
      "Offline and deterministic: it does not check that the resource exists. Invalid input returns isError with the reason.",
    inputSchema: parseArnInput,
    outputSchema: parseArnOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  handler: ({ arn }) => {
    const result = parseArn(arn);
    return result.ok ? toolResult(result.value) : toolError(result.error);
  },
  cacheable: true,
});
