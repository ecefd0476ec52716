# The synthesized `prod` stack plans with the settings of src/stacks/environments.ts, including
# its per-route throttle override.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "prod_plans_with_its_settings" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.function_name == "mcp-tools-prod" && aws_lambda_function.this.memory_size == 1024 && aws_lambda_function.this.reserved_concurrent_executions == 50
    error_message = "prod function settings"
  }
  assert {
    condition     = { for s in aws_apigatewayv2_stage.this.route_settings : s.route_key => [s.throttling_rate_limit, s.throttling_burst_limit] } == { "POST /mcp" = [150, 75] }
    error_message = "the POST /mcp override reaches the stage"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == 200 && aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit == 100
    error_message = "prod stage throttling"
  }
  assert {
    condition     = aws_cognito_user_pool.this[0].deletion_protection == "ACTIVE" && aws_cloudwatch_log_group.api.retention_in_days == 365
    error_message = "prod protects its user pool and keeps logs a year"
  }
  assert {
    condition     = aws_apigatewayv2_api.this.cors_configuration[0].allow_origins == toset(["https://app.example.com"]) && aws_lambda_function.this.environment[0].variables["LOG_LEVEL"] == "info"
    error_message = "prod CORS and environment"
  }
}
