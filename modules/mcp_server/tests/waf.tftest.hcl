# WAF: an HTTP API stage cannot carry a web ACL, so the module puts CloudFront with the ACL in
# front, and a secret origin header the function checks so execute-api cannot bypass it.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "no_waf_by_default" {
  command = apply

  assert {
    condition     = length(aws_cloudfront_distribution.this) == 0 && output.cloudfront_domain_name == null && output.mcp_endpoint_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/mcp"
    error_message = "no CloudFront without an ACL; the endpoint is the API's"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_ORIGIN_VERIFY_SECRET"] == ""
    error_message = "no origin secret without CloudFront"
  }
}

run "with_waf" {
  command = apply

  variables {
    waf_acl_arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp-tools/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].web_acl_id == var.waf_acl_arn
    error_message = "the distribution carries the ACL"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.this[0].origin).domain_name == "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com" && one(one(aws_cloudfront_distribution.this[0].origin).custom_origin_config).origin_protocol_policy == "https-only"
    error_message = "the origin is the HTTP API over HTTPS"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.this[0].default_cache_behavior).cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" && one(aws_cloudfront_distribution.this[0].default_cache_behavior).origin_request_policy_id == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    error_message = "no caching; every viewer header but Host reaches the API"
  }
  assert {
    condition     = toset(one(aws_cloudfront_distribution.this[0].default_cache_behavior).allowed_methods) == toset(["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]) && one(aws_cloudfront_distribution.this[0].default_cache_behavior).viewer_protocol_policy == "https-only"
    error_message = "all methods, HTTPS only"
  }
  assert {
    condition     = nonsensitive(one([for h in one(aws_cloudfront_distribution.this[0].origin).custom_header : h.value if h.name == "X-Origin-Verify"]) == aws_lambda_function.this.environment[0].variables["MCP_ORIGIN_VERIFY_SECRET"] && length(aws_lambda_function.this.environment[0].variables["MCP_ORIGIN_VERIFY_SECRET"]) >= 64)
    error_message = "CloudFront sends the secret the function checks, and it is long"
  }
  assert {
    condition     = output.mcp_endpoint_url == "https://d111111abcdef8.cloudfront.net/mcp" && output.cloudfront_domain_name == "d111111abcdef8.cloudfront.net"
    error_message = "mcp_endpoint_url points at CloudFront"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_RESOURCE_URL"] == "https://d111111abcdef8.cloudfront.net/mcp"
    error_message = "the function knows its public URL"
  }
}

run "enable_waf_decides_at_plan" {
  command = plan

  variables {
    enable_waf  = true
    waf_acl_arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp-tools/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = length(aws_cloudfront_distribution.this) == 1
    error_message = "enable_waf = true creates the distribution without needing the ARN at plan"
  }
}
