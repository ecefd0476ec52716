import { Fn, Op, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { validateLiteralProps, withDefaults } from "../lib/module-spec.js";
import type { McpWafProps } from "./props.js";
import { MCP_WAF_CROSS_CHECKS, MCP_WAF_INPUTS } from "./inputs.js";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set/index.js";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl/index.js";
import { countIf, firstInstanceAttr, isToken, join, local, stableName, type Bool } from "../lib/expr.js";
import { integerAbovePattern, MAX_BODY_BYTES } from "../lib/body-limit.js";
import { McpEdgeLogs } from "./logging.js";

/**
 * How much of a request body WAF inspects at CloudFront: the most it can (16 KB by default, up to
 * 64 KB in 16 KB steps; WAF guide, web-acl-setting-body-inspection-limit). Inspection above 16 KB
 * is billed per extra 16 KB.
 */
export const BODY_INSPECTION_LIMIT = "KB_64";

/**
 * The rule of `AWSManagedRulesCommonRuleSet` that blocks every body over 8 KB (fixed by AWS; WAF
 * guide, aws-managed-rule-groups-baseline). MCP `tools/call` bodies are often larger, so it only
 * counts, and the module's own `body-over-function-limit` rule applies the function's limit.
 */
export const COMMON_RULE_SET_BODY_RULE = "SizeRestrictions_BODY";

/** One rule in the ACL's JSON shape (the provider's `rule` block, snake_case). */
type Rule = Record<string, unknown>;

const visibility = (metric: string) => ({
  cloudwatch_metrics_enabled: true,
  metric_name: metric,
  sampled_requests_enabled: true,
});

/**
 * A WAFv2 web ACL for the CloudFront distribution in front of an `mcp_server` (FedRAMP SC-7):
 * scope `CLOUDFRONT`, so create it with a provider for us-east-1. Rules, in order: block listed
 * addresses; with an allow-list, block every other address; answer 413 to a `Content-Length` over
 * the function's body limit ({@link MAX_BODY_BYTES}); a per-IP rate limit; the AWS managed common
 * rule set (its 8 KB body rule counting only) and known-bad-inputs rule set, inspecting up to
 * {@link BODY_INSPECTION_LIMIT} of each body. Every rule emits CloudWatch metrics (SI-4). With
 * `enableLogging` (the default), {@link McpEdgeLogs}: the ACL's logs and the CloudFront access-log
 * destination, KMS-encrypted (AU-2, SC-28).
 */
export class McpWaf extends Construct {
  readonly acl: Wafv2WebAcl;
  readonly logs: McpEdgeLogs;

  constructor(scope: Construct, id: string, given: McpWafProps) {
    super(scope, id);
    const props = withDefaults(MCP_WAF_INPUTS, given);
    validateLiteralProps("McpWaf", MCP_WAF_INPUTS, MCP_WAF_CROSS_CHECKS, props, isToken);
    const prefix = join(props.name, "-", props.environment);
    const allowed = props.allowedIpCidrs;
    const blocked = props.blockedIpCidrs;
    const hasAllowed: Bool = local(
      this,
      "has_allowed_ips",
      isToken(allowed) ? (Op.gte(Fn.lengthOf(allowed), 1) as IResolvable) : allowed.length > 0,
    );
    const hasBlocked: Bool = local(
      this,
      "has_blocked_ips",
      isToken(blocked) ? (Op.gte(Fn.lengthOf(blocked), 1) as IResolvable) : blocked.length > 0,
    );

    const ipSet = (id: string, address: string, addresses: string[], when: Bool) =>
      stableName(
        new Wafv2IpSet(this, id, {
          count: countIf(when),
          name: join(prefix, "-", address),
          scope: "CLOUDFRONT",
          ipAddressVersion: "IPV4",
          addresses,
          tags: props.tags,
        }),
        address,
      );
    const blockedSet = ipSet("blocked", "blocked", blocked, hasBlocked);
    const allowedSet = ipSet("allowed", "allowed", allowed, hasAllowed);

    const blockRule: Rule = {
      name: "block-listed-addresses",
      priority: 0,
      action: { block: {} },
      statement: { ip_set_reference_statement: { arn: firstInstanceAttr(blockedSet, "arn") } },
      visibility_config: visibility("blocked-addresses"),
    };
    const allowListRule: Rule = {
      name: "allow-listed-addresses-only",
      priority: 1,
      action: { block: {} },
      statement: { not_statement: { statement: { ip_set_reference_statement: { arn: firstInstanceAttr(allowedSet, "arn") } } } },
      visibility_config: visibility("not-allow-listed"),
    };
    const alwaysRules: Rule[] = [
      {
        // WAF sees at most the first 64 KB of a body, so the size is read from Content-Length;
        // a body sent without one (chunked) still meets the function's own limit (413).
        name: "body-over-function-limit",
        priority: 2,
        action: { block: { custom_response: { response_code: 413 } } },
        statement: {
          regex_match_statement: {
            regex_string: integerAbovePattern(MAX_BODY_BYTES),
            field_to_match: { single_header: { name: "content-length" } },
            text_transformation: [{ priority: 0, type: "NONE" }],
          },
        },
        visibility_config: visibility("body-over-function-limit"),
      },
      {
        name: "rate-limit-per-ip",
        priority: 3,
        action: { block: {} },
        statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes, aggregate_key_type: "IP" } },
        visibility_config: visibility("rate-limited"),
      },
      managedRule("AWSManagedRulesCommonRuleSet", 4, [COMMON_RULE_SET_BODY_RULE]),
      managedRule("AWSManagedRulesKnownBadInputsRuleSet", 5),
    ];

    this.acl = stableName(
      new Wafv2WebAcl(this, "acl", {
        name: prefix,
        description: `Protects the ${props.name} MCP server (${props.environment}) behind CloudFront`,
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: prefix, sampledRequestsEnabled: true },
        associationConfig: { requestBody: [{ cloudfront: { defaultSizeInspectionLimit: BODY_INSPECTION_LIMIT } }] },
        tags: props.tags,
      }),
      "this",
    );
    // Rules are written in the provider's JSON shape: conditional ones as `dynamic "rule"` blocks
    // when the lists are variables, plain blocks when they are literals.
    const optional: [Bool, Rule][] = [
      [hasBlocked, blockRule],
      [hasAllowed, allowListRule],
    ];
    const literal = optional.filter(([when]) => !isToken(when) && when).map(([, rule]) => rule);
    this.acl.addOverride("rule", [...literal, ...alwaysRules]);
    const dynamic = optional.filter(([when]) => isToken(when));
    if (dynamic.length > 0) {
      this.acl.addOverride(
        "dynamic.rule",
        dynamic.map(([when, rule]) => ({ for_each: Fn.conditional(when, [1], []), content: rule })),
      );
    }

    this.logs = new McpEdgeLogs(this, "logs", {
      enabled: props.enableLogging,
      prefix,
      webAclArn: this.acl.arn,
      kmsKeyArn: props.kmsKeyArn,
      retentionDays: props.logRetentionDays,
      tags: props.tags,
    });
  }
}

/** An AWS managed rule group; the rules named in `countOnly` count instead of blocking. */
function managedRule(name: string, priority: number, countOnly: readonly string[] = []): Rule {
  const overrides = countOnly.map((rule) => ({ name: rule, action_to_use: { count: {} } }));
  return {
    name,
    priority,
    override_action: { none: {} },
    statement: {
      managed_rule_group_statement: { vendor_name: "AWS", name, ...(overrides.length > 0 ? { rule_action_override: overrides } : {}) },
    },
    visibility_config: visibility(name),
  };
}
