# The synthesized `dev` stack (cdktf.out/stacks/dev) plans with the settings of
# src/stacks/environments.ts. Copied beside the stack's cdk.tf.json by test/terraform/stacks.test.ts.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "dev_plans_with_its_settings" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.function_name == "mcp-tools-dev" && aws_lambda_function.this.memory_size == 512 && aws_lambda_function.this.timeout == 29
    error_message = "dev function settings"
  }
  assert {
    condition     = length(aws_cognito_user_pool.this) == 1 && alltrue([for r in aws_apigatewayv2_route.mcp : r.authorization_type == "JWT"])
    error_message = "auth is on in dev (the module default)"
  }
  assert {
    condition     = aws_cloudwatch_log_group.lambda.retention_in_days == 30 && aws_lambda_function.this.tags["Team"] == "platform"
    error_message = "dev retention and tags"
  }
  assert {
    condition     = length(aws_apigatewayv2_stage.this.route_settings) == 0
    error_message = "dev has no per-route overrides"
  }
}
