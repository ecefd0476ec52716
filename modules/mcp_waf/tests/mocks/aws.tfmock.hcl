# Realistic computed values for the mock provider (the AWS provider validates ARNs it receives).

mock_resource "aws_wafv2_ip_set" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:global/ipset/mcp-tools-dev/1234abcd-12ab-34cd-56ef-1234567890ab" }
}
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp-tools-dev/1234abcd-12ab-34cd-56ef-1234567890ab" }
}
