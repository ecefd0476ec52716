/**
 * Audit logs at the edge with literal props: the construct refuses what the published modules'
 * preconditions refuse (a web ACL logging without a key, CloudFront without an access-log
 * destination), and folds the switches into counts. Real Terraform: modules/mcp_waf/tests and
 * modules/mcp_server/tests/waf.tftest.hcl.
 */
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { CLOUDFRONT_ACCESS_LOG_CHECK, MCP_SERVER_INPUTS } from "../../src/mcp-server/inputs.js";
import { McpServer } from "../../src/mcp-server/mcp-server.js";
import { MCP_SERVER_MODULE } from "../../src/mcp-server/module.js";
import type { McpServerProps } from "../../src/mcp-server/props.js";
import { McpWaf } from "../../src/mcp-waf/mcp-waf.js";
import type { McpWafProps } from "../../src/mcp-waf/props.js";
import { WAF_REDACTED_HEADERS } from "../../src/lib/edge-logs.js";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp/1234abcd-12ab-34cd-56ef-1234567890ab";
const DESTINATION = "arn:aws:logs:us-east-1:123456789012:delivery-destination:mcp-tools-dev-cloudfront";
const DOMAIN = {
  domainName: "mcp.example.com",
  certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
};

function synthWaf(props: McpWafProps): any {
  const stack = new TerraformStack(Testing.app(), "waf");
  new McpWaf(stack, "waf", props);
  return JSON.parse(Testing.synth(stack));
}

function serverProps(overrides: Partial<McpServerProps>): McpServerProps {
  const props: Record<string, unknown> = {};
  for (const input of MCP_SERVER_INPUTS) {
    if (input.name in MCP_SERVER_MODULE.exampleInputs) props[input.prop] = MCP_SERVER_MODULE.exampleInputs[input.name];
  }
  return { ...(props as unknown as McpServerProps), ...overrides };
}

function synthServer(props: McpServerProps): any {
  const stack = new TerraformStack(Testing.app(), "server");
  new McpServer(stack, "server", props);
  return JSON.parse(Testing.synth(stack));
}

describe("McpWaf logging", () => {
  it("refuses logging without a key, and names the way out", () => {
    expect(() => synthWaf({ name: "mcp-tools", environment: "dev" })).toThrow(/enable_logging = true needs kms_key_arn/);
  });

  it("refuses a key outside us-east-1", () => {
    expect(() => synthWaf({ name: "mcp-tools", environment: "dev", kmsKeyArn: KEY.replace("us-east-1", "eu-west-1") })).toThrow(
      /kms_key_arn must be the ARN of a KMS key in us-east-1/,
    );
  });

  it("logs by default: the aws-waf-logs- group, redaction, encryption and 365-day retention", () => {
    const json = synthWaf({ name: "mcp-tools", environment: "dev", kmsKeyArn: KEY });
    const groups = json.resource.aws_cloudwatch_log_group;
    expect(groups.waf).toMatchObject({ count: 1, name: "aws-waf-logs-mcp-tools-dev", kms_key_id: KEY, retention_in_days: 365 });
    expect(groups.cloudfront).toMatchObject({ count: 1, name: "/aws/cloudfront/mcp-tools-dev", kms_key_id: KEY, retention_in_days: 365 });
    const logging = json.resource.aws_wafv2_web_acl_logging_configuration.this;
    expect(logging.redacted_fields.map((f: any) => f.single_header.name)).toEqual([...WAF_REDACTED_HEADERS]);
    expect(logging.depends_on).toEqual(["aws_cloudwatch_log_resource_policy.edge"]);
  });

  it("folds enable_logging = false to no log resources, with no key", () => {
    const json = synthWaf({ name: "mcp-tools", environment: "dev", enableLogging: false });
    expect(json.resource.aws_cloudwatch_log_group.waf.count).toBe(0);
    expect(json.resource.aws_wafv2_web_acl_logging_configuration.this.count).toBe(0);
    expect(json.resource.aws_cloudwatch_log_delivery_destination.cloudfront.count).toBe(0);
  });
});

describe("McpServer CloudFront access logs", () => {
  it("refuses WAF without an access-log destination, and names both ways out", () => {
    expect(() => synthServer(serverProps({ wafAclArn: ACL, ...DOMAIN }))).toThrow(
      /set cloudfront_access_log_destination_arn .* or set enable_cloudfront_access_logs = false/,
    );
  });

  it("delivers the distribution's access logs from us-east-1 to the destination", () => {
    const json = synthServer(serverProps({ wafAclArn: ACL, ...DOMAIN, cloudfrontAccessLogDestinationArn: DESTINATION }));
    const source = json.resource.aws_cloudwatch_log_delivery_source.cloudfront;
    const delivery = json.resource.aws_cloudwatch_log_delivery.cloudfront;
    expect(source).toMatchObject({
      count: 1,
      region: "us-east-1",
      log_type: "ACCESS_LOGS",
      resource_arn: "${aws_cloudfront_distribution.this[0].arn}",
    });
    expect(delivery).toMatchObject({ count: 1, region: "us-east-1", delivery_destination_arn: DESTINATION });
  });

  it("folds the opt-out and no WAF to no delivery", () => {
    const off = synthServer(serverProps({ wafAclArn: ACL, ...DOMAIN, enableCloudfrontAccessLogs: false }));
    // Literal props fold the resources away entirely (no required argument left unset).
    expect(off.resource.aws_cloudwatch_log_delivery).toBeUndefined();
    const noWaf = synthServer(serverProps({}));
    expect(noWaf.resource.aws_cloudwatch_log_delivery_source).toBeUndefined();
    expect(noWaf.resource.aws_cloudwatch_log_delivery).toBeUndefined();
  });

  it("the check's TypeScript twin accepts the example and rejects its bad combinations", () => {
    expect(CLOUDFRONT_ACCESS_LOG_CHECK.test(serverProps({}))).toBe(true);
    expect(CLOUDFRONT_ACCESS_LOG_CHECK.test(serverProps({ wafAclArn: ACL }))).toBe(false);
    expect(CLOUDFRONT_ACCESS_LOG_CHECK.test(serverProps({ wafAclArn: ACL, enableCloudfrontAccessLogs: false }))).toBe(true);
    expect(CLOUDFRONT_ACCESS_LOG_CHECK.test(serverProps({ wafAclArn: ACL, cloudfrontAccessLogDestinationArn: DESTINATION }))).toBe(true);
  });
});
