/**
 * The mock `aws` provider every `.tftest.hcl` of the project uses, written once and inlined.
 *
 * OpenTofu's test runner has no `.tfmock.hcl` files (`mock_provider { source = ... }`), so the
 * mocked values live inside each `mock_provider "aws"` block, which both `terraform test` and
 * `tofu test` (1.8+) read. `npm run synth` rewrites the block between the markers below in every
 * test file of modules/, examples/ and test/terraform/stacks; the drift test checks it.
 *
 * Values are realistic because the AWS provider validates the ARNs it receives at apply.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

/** The mocked `data "aws_kms_public_key"`: a real RSA 2048 SubjectPublicKeyInfo PEM (tests parse it). */
export const MOCK_PUBLIC_KEY_PEM =
  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsvn50QeW8uxpk+RE9O4I\no8VZJJhidPoN3W4r+t5Ss2qsG6BehbhHslgDPUcA4FGBpMU9TgJLCURzv/Ctsuas\npgaS0vRw6/aZGpxWIjhD9zVqgvQx5HM3b2VTWdv7qtetbC1WieNV15tbKK+1pnsv\nhDVXsOm3HolS7MzFv3AF2M22LdA9R7JrK7EYPV0rtMibHODZAuiO6d3DhT4rXv4B\n5LQm8FwUC6aHi3VaBFCGEAV6/c1UY7L2RtW8XaLUMJ0NNFHHQdTWOdpX3+/7st16\n2JmwErqOBNYc/fe2tC4TiXjxsQfJCmpRcIRrPFIoXWOGS+35xJhwXN0s0FWH26CX\neQIDAQAB\n-----END PUBLIC KEY-----\n";

/** `mock_resource` / `mock_data` blocks: type -> computed attributes. */
const MOCKS: readonly { kind: "mock_resource" | "mock_data"; type: string; defaults: Record<string, unknown> }[] = [
  { kind: "mock_data", type: "aws_caller_identity", defaults: { account_id: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root` } },
  { kind: "mock_data", type: "aws_partition", defaults: { partition: "aws", dns_suffix: "amazonaws.com" } },
  { kind: "mock_data", type: "aws_region", defaults: { id: REGION, name: REGION } },
  { kind: "mock_resource", type: "aws_iam_role", defaults: { arn: `arn:aws:iam::${ACCOUNT}:role/mcp-tools-dev-lambda` } },
  { kind: "mock_resource", type: "aws_iam_policy", defaults: { arn: `arn:aws:iam::${ACCOUNT}:policy/mcp-tools-dev-tenant-boundary` } },
  { kind: "mock_resource", type: "aws_cloudwatch_log_group", defaults: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/mock` } },
  { kind: "mock_resource", type: "aws_sns_topic", defaults: { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:mcp-tools-dev-alarms` } },
  {
    kind: "mock_resource",
    type: "aws_lambda_function",
    defaults: {
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:mcp-tools-dev`,
      invoke_arn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:mcp-tools-dev/invocations`,
      vpc_config: { vpc_id: "vpc-0123456789abcdef0" },
    },
  },
  {
    kind: "mock_resource",
    type: "aws_apigatewayv2_api",
    defaults: {
      id: "a1b2c3d4e5",
      api_endpoint: `https://a1b2c3d4e5.execute-api.${REGION}.amazonaws.com`,
      execution_arn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5`,
    },
  },
  {
    kind: "mock_resource",
    type: "aws_apigatewayv2_domain_name",
    defaults: {
      arn: `arn:aws:apigateway:${REGION}::/domainnames/mcp.example.com`,
      domain_name_configuration: {
        target_domain_name: `d-abcdef1234.execute-api.${REGION}.amazonaws.com`,
        hosted_zone_id: "Z1UJRXOUMOOFQ8",
      },
    },
  },
  {
    kind: "mock_resource",
    type: "aws_cognito_user_pool",
    defaults: {
      id: `${REGION}_AbCdEfGhI`,
      arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_AbCdEfGhI`,
      endpoint: `cognito-idp.${REGION}.amazonaws.com/${REGION}_AbCdEfGhI`,
    },
  },
  {
    kind: "mock_resource",
    type: "aws_cognito_user_pool_client",
    defaults: { id: "4h5i6j7k8l9m0n1o2p3q4r5s6t", client_secret: "mock-client-secret" },
  },
  {
    kind: "mock_resource",
    type: "aws_dynamodb_table",
    defaults: { arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/mcp-tools-dev-sessions` },
  },
  {
    kind: "mock_resource",
    type: "aws_ecr_repository",
    defaults: {
      arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/mcp-tools-dev`,
      repository_url: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/mcp-tools-dev`,
    },
  },
  {
    kind: "mock_resource",
    type: "aws_cloudfront_distribution",
    defaults: {
      arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2ABCDEFGHIJKL`,
      id: "E2ABCDEFGHIJKL",
      domain_name: "d111111abcdef8.cloudfront.net",
      hosted_zone_id: "Z2FDTNDATAQYW2",
    },
  },
  { kind: "mock_resource", type: "aws_cloudfront_response_headers_policy", defaults: { id: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" } },
  {
    kind: "mock_resource",
    type: "aws_cloudwatch_log_delivery_source",
    defaults: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:delivery-source:mcp-tools-dev-cloudfront` },
  },
  {
    kind: "mock_resource",
    type: "aws_cloudwatch_log_delivery_destination",
    defaults: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:delivery-destination:mcp-tools-dev-cloudfront` },
  },
  {
    kind: "mock_resource",
    type: "aws_kms_key",
    // A key id KMS could issue (a version-4 UUID): the provider checks it where a data source reads the key.
    defaults: {
      arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-44cd-96ef-1234567890ab`,
      key_id: "1234abcd-12ab-44cd-96ef-1234567890ab",
    },
  },
  {
    // A real RSA 2048 SubjectPublicKeyInfo, so what the functions receive parses as the key it claims to be.
    kind: "mock_data",
    type: "aws_kms_public_key",
    defaults: {
      key_spec: "RSA_2048",
      key_usage: "SIGN_VERIFY",
      public_key_pem: MOCK_PUBLIC_KEY_PEM,
    },
  },
  {
    kind: "mock_resource",
    type: "aws_wafv2_ip_set",
    defaults: { arn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:global/ipset/mcp-tools-dev/1234abcd-12ab-34cd-56ef-1234567890ab` },
  },
  {
    kind: "mock_resource",
    type: "aws_wafv2_web_acl",
    defaults: { arn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:global/webacl/mcp-tools-dev/1234abcd-12ab-34cd-56ef-1234567890ab` },
  },
];

function hclValue(value: unknown, indent: string): string {
  if (value !== null && typeof value === "object") {
    // `terraform fmt` aligns the `=` of single-line attributes; a multi-line value is not padded
    // (objects come last in these mocks, so the scalars form one group).
    const entries = Object.entries(value as Record<string, unknown>);
    const scalar = (v: unknown) => v === null || typeof v !== "object";
    const width = Math.max(0, ...entries.filter(([, v]) => scalar(v)).map(([k]) => k.length));
    const inner = entries.map(([k, v]) => `${indent}  ${scalar(v) ? k.padEnd(width) : k} = ${hclValue(v, `${indent}  `)}`);
    return `{\n${inner.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

const BEGIN = "# BEGIN MOCK PROVIDER";
const END = "# END MOCK PROVIDER";

/** The `mock_provider "aws"` block, with `alias` when given, between its markers. */
export function mockProviderBlock(alias?: string): string {
  const lines = [`${BEGIN}${alias ? ` ${alias}` : ""} (generated by \`npm run synth\` from src/publish/mocks.ts)`, 'mock_provider "aws" {'];
  if (alias) lines.push(`  alias = ${JSON.stringify(alias)}`);
  MOCKS.forEach((mock, i) => {
    if (i > 0 || alias) lines.push("");
    lines.push(`  ${mock.kind} ${JSON.stringify(mock.type)} {`, `    defaults = ${hclValue(mock.defaults, "    ")}`, "  }");
  });
  lines.push("}", END);
  return lines.join("\n");
}

const MARKED = new RegExp(`${BEGIN}(?: ([a-z0-9_]+))? \\(generated[^\\n]*\\n[\\s\\S]*?${END}`, "g");

/** `text` with every marked block regenerated. */
export function refreshMockBlocks(text: string): string {
  return text.replace(MARKED, (_, alias: string | undefined) => mockProviderBlock(alias));
}

/** Hand-written test files that carry a marked mock provider block. */
function testFiles(repo: string): string[] {
  const dirs = [
    ...readdirSync(join(repo, "modules")).map((m) => join(repo, "modules", m, "tests")),
    ...readdirSync(join(repo, "examples")).map((e) => join(repo, "examples", e, "tests")),
    join(repo, "test", "terraform", "stacks"),
  ].filter((d) => existsSync(d));
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith(".tftest.hcl"))
      .map((f) => join(d, f)),
  );
}

/**
 * Rewrite the mock provider blocks of every test file under `repo`; with `check`, write nothing
 * and return the files that differ.
 */
export function refreshMockProviders(repo: string, options: { check?: boolean } = {}): string[] {
  const stale: string[] = [];
  for (const file of testFiles(repo)) {
    const text = readFileSync(file, "utf8");
    const next = refreshMockBlocks(text);
    if (next === text) continue;
    stale.push(relative(repo, file));
    if (!options.check) writeFileSync(file, next);
  }
  return stale;
}
