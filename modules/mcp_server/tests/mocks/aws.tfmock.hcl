# Realistic computed values for the mock provider: the AWS provider validates ARNs it receives,
# so random strings would fail at apply. Shared by every hand-written test file.

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mcp-tools-dev-lambda" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/mock" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:us-east-1:123456789012:mcp-tools-dev-alarms" }
}
mock_resource "aws_lambda_function" {
  defaults = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:mcp-tools-dev"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:mcp-tools-dev/invocations"
    vpc_config = { vpc_id = "vpc-0123456789abcdef0" }
  }
}
mock_resource "aws_apigatewayv2_api" {
  defaults = {
    id            = "a1b2c3d4e5"
    api_endpoint  = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
    execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"
  }
}
mock_resource "aws_cognito_user_pool" {
  defaults = {
    id       = "us-east-1_AbCdEfGhI"
    arn      = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI"
    endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
  }
}
mock_resource "aws_cognito_user_pool_client" {
  defaults = { id = "4h5i6j7k8l9m0n1o2p3q4r5s6t", client_secret = "mock-client-secret" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}
mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mcp-tools-dev-sessions" }
}
mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:us-east-1:123456789012:repository/mcp-tools-dev"
    repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-tools-dev"
  }
}
mock_resource "aws_cloudfront_distribution" {
  defaults = {
    arn         = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEFGHIJKL"
    domain_name = "d111111abcdef8.cloudfront.net"
  }
}

# Used by the examples, which compose mcp_server with mcp_kms and mcp_waf.
mock_data "aws_region" {
  defaults = { id = "us-east-1", name = "us-east-1" }
}
mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}
mock_resource "aws_wafv2_ip_set" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:global/ipset/ai-tools-prod/1234abcd-12ab-34cd-56ef-1234567890ab" }
}
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ai-tools-prod/1234abcd-12ab-34cd-56ef-1234567890ab" }
}
mock_resource "aws_iam_policy" {
  defaults = { arn = "arn:aws:iam::123456789012:policy/ai-tools-prod-tenant-boundary" }
}
