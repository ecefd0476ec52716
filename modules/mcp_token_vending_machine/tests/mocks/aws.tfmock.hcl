# Realistic computed values for the mock provider (the AWS provider validates ARNs it receives).

mock_resource "aws_iam_policy" {
  defaults = { arn = "arn:aws:iam::123456789012:policy/mcp-tools-dev-tenant-boundary" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mcp-tenant-mcp-tools-dev" }
}
