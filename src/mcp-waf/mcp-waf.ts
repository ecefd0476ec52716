import { Fn, Op, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { validateLiteralProps, withDefaults } from "../lib/module-spec.js";
import type { McpWafProps } from "./props.js";
import { MCP_WAF_INPUTS } from "./inputs.js";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set/index.js";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl/index.js";
import { countIf, firstInstanceAttr, isToken, join, local, stableName, type Bool } from "../lib/expr.js";

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
 * addresses; with an allow-list, block every other address; a per-IP rate limit; the AWS managed
 * common rule set and known-bad-inputs rule set. Every rule emits CloudWatch metrics (SI-4).
 */
export class McpWaf extends Construct {
  readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, given: McpWafProps) {
    super(scope, id);
    const props = withDefaults(MCP_WAF_INPUTS, given);
    validateLiteralProps("McpWaf", MCP_WAF_INPUTS, [], props, isToken);
    const prefix = join(props.name, "-", props.environment);
    const allowed = props.allowedIpCidrs;
    const blocked = props.blockedIpCidrs;
    const hasAllowed: Bool = local(this, "has_allowed_ips", isToken(allowed) ? (Op.gte(Fn.lengthOf(allowed), 1) as IResolvable) : allowed.length > 0);
    const hasBlocked: Bool = local(this, "has_blocked_ips", isToken(blocked) ? (Op.gte(Fn.lengthOf(blocked), 1) as IResolvable) : blocked.length > 0);

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
        name: "rate-limit-per-ip",
        priority: 2,
        action: { block: {} },
        statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes, aggregate_key_type: "IP" } },
        visibility_config: visibility("rate-limited"),
      },
      managedRule("AWSManagedRulesCommonRuleSet", 3),
      managedRule("AWSManagedRulesKnownBadInputsRuleSet", 4),
    ];

    this.acl = stableName(
      new Wafv2WebAcl(this, "acl", {
        name: prefix,
        description: `Protects the ${props.name} MCP server (${props.environment}) behind CloudFront`,
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: prefix, sampledRequestsEnabled: true },
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
  }
}

function managedRule(name: string, priority: number): Rule {
  return {
    name,
    priority,
    override_action: { none: {} },
    statement: { managed_rule_group_statement: { vendor_name: "AWS", name } },
    visibility_config: visibility(name),
  };
}
