# The tool-result cache of seed 003: off by default; keyed by tool_name + params_hash with TTL,
# KMS and PITR; the function may only get and put its items.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "off_by_default" {
  command = plan

  assert {
    condition     = length(aws_dynamodb_table.tool_cache) == 0 && aws_lambda_function.this.environment[0].variables["MCP_TOOL_CACHE_TABLE_NAME"] == ""
    error_message = "no cache table by default"
  }
}

run "on" {
  command = apply

  variables {
    enable_tool_cache      = true
    tool_cache_ttl_seconds = 600
  }

  assert {
    condition     = aws_dynamodb_table.tool_cache[0].hash_key == "tool_name" && aws_dynamodb_table.tool_cache[0].range_key == "params_hash" && aws_dynamodb_table.tool_cache[0].ttl[0].attribute_name == "expires_at"
    error_message = "keyed by tool_name + params_hash with TTL on expires_at"
  }
  assert {
    condition     = aws_dynamodb_table.tool_cache[0].server_side_encryption[0].kms_key_arn == var.kms_key_arn && aws_dynamodb_table.tool_cache[0].point_in_time_recovery[0].enabled
    error_message = "encrypted with the module's key, point-in-time recovery on"
  }
  assert {
    condition     = toset(one([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Action if s.Sid == "ToolCacheItems"])) == toset(["dynamodb:GetItem", "dynamodb:PutItem"])
    error_message = "the function may only get and put cache items"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_TOOL_CACHE_TABLE_NAME"] == aws_dynamodb_table.tool_cache[0].name && aws_lambda_function.this.environment[0].variables["MCP_TOOL_CACHE_TTL_SECONDS"] == "600"
    error_message = "the function gets the table and TTL"
  }
  assert {
    condition     = output.tool_cache_table_name == aws_dynamodb_table.tool_cache[0].name
    error_message = "tool_cache_table_name"
  }
}
