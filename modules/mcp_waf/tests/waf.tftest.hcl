# The CLOUDFRONT web ACL: rate limit and AWS managed rules always; IP rules only with lists.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "defaults" {
  command = apply

  assert {
    condition     = aws_wafv2_web_acl.this.scope == "CLOUDFRONT" && length(aws_wafv2_ip_set.allowed) == 0 && length(aws_wafv2_ip_set.blocked) == 0
    error_message = "a CLOUDFRONT ACL with no IP sets by default"
  }
  assert {
    condition     = toset([for r in aws_wafv2_web_acl.this.rule : r.name]) == toset(["rate-limit-per-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"])
    error_message = "rate limit and the managed rule sets"
  }
  assert {
    condition     = one([for r in aws_wafv2_web_acl.this.rule : one(one(r.statement).rate_based_statement).limit if r.name == "rate-limit-per-ip"]) == 2000
    error_message = "default rate limit 2000 per 5 minutes"
  }
  assert {
    condition     = alltrue([for r in aws_wafv2_web_acl.this.rule : one(r.visibility_config).cloudwatch_metrics_enabled])
    error_message = "every rule emits metrics"
  }
  assert {
    condition     = output.web_acl_arn == aws_wafv2_web_acl.this.arn
    error_message = "web_acl_arn"
  }
}

run "ip_lists" {
  command = plan

  variables {
    allowed_ip_cidrs         = ["198.51.100.0/24"]
    blocked_ip_cidrs         = ["203.0.113.7/32"]
    rate_limit_per_5_minutes = 500
  }

  assert {
    condition     = aws_wafv2_ip_set.allowed[0].addresses == toset(["198.51.100.0/24"]) && aws_wafv2_ip_set.blocked[0].addresses == toset(["203.0.113.7/32"]) && aws_wafv2_ip_set.allowed[0].scope == "CLOUDFRONT"
    error_message = "the IP sets hold the lists"
  }
  assert {
    condition     = { for r in aws_wafv2_web_acl.this.rule : r.name => r.priority } == { "block-listed-addresses" = 0, "allow-listed-addresses-only" = 1, "rate-limit-per-ip" = 2, "AWSManagedRulesCommonRuleSet" = 3, "AWSManagedRulesKnownBadInputsRuleSet" = 4 }
    error_message = "block list first, then the allow list, the rate limit and the managed rules"
  }
  assert {
    condition     = one([for r in aws_wafv2_web_acl.this.rule : one(one(r.statement).rate_based_statement).limit if r.name == "rate-limit-per-ip"]) == 500
    error_message = "rate_limit_per_5_minutes reaches the rule"
  }
}
