# The HTTP API: three /mcp routes on one proxy integration, the $default stage with access logs
# and throttling (stage defaults and per-route overrides), CORS, and per-route invoke permissions.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "routes_integration_and_permissions" {
  command = apply

  assert {
    condition     = toset(keys(aws_apigatewayv2_route.mcp)) == toset(["POST /mcp", "GET /mcp", "DELETE /mcp"]) && alltrue([for k, r in aws_apigatewayv2_route.mcp : r.route_key == k && r.target == "integrations/${aws_apigatewayv2_integration.this.id}"])
    error_message = "POST, GET and DELETE /mcp must all target the one integration"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this.integration_type == "AWS_PROXY" && aws_apigatewayv2_integration.this.payload_format_version == "2.0" && aws_apigatewayv2_integration.this.timeout_milliseconds == 30000 && aws_apigatewayv2_integration.this.integration_uri == aws_lambda_function.this.invoke_arn
    error_message = "the integration must be AWS_PROXY, payload 2.0, 30 s, to the function"
  }
  assert {
    condition     = alltrue([for k, p in aws_lambda_permission.api : p.principal == "apigateway.amazonaws.com" && p.function_name == aws_lambda_function.this.function_name && p.source_arn == "${aws_apigatewayv2_api.this.execution_arn}/*/${replace(k, " ", "")}"]) && length(aws_lambda_permission.api) == 6 && length(distinct([for p in aws_lambda_permission.api : p.statement_id])) == 6
    error_message = "API Gateway may invoke the function only for this API's routes, one permission (unique statement id) per route"
  }
  assert {
    condition     = output.mcp_endpoint_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/mcp" && output.api_endpoint == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com" && output.api_id == "a1b2c3d4e5"
    error_message = "endpoint outputs must point at /mcp on the API"
  }
}

run "public_routes_never_need_a_token" {
  command = apply

  assert {
    condition     = toset(keys(aws_apigatewayv2_route.public)) == toset(["GET /health", "GET /.well-known/oauth-protected-resource", "GET /.well-known/oauth-protected-resource/mcp"])
    error_message = "health check and RFC 9728 metadata routes exist"
  }
  assert {
    condition     = alltrue([for r in aws_apigatewayv2_route.public : r.authorization_type == "NONE" && r.authorizer_id == null && r.target == "integrations/${aws_apigatewayv2_integration.this.id}"])
    error_message = "they are unauthenticated even with auth on, and served by the function"
  }
}

run "stage_defaults" {
  command = apply

  assert {
    condition     = aws_apigatewayv2_stage.this.name == "$default" && aws_apigatewayv2_stage.this.auto_deploy
    error_message = "one $default stage with auto-deploy"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == 100 && aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit == 50 && length(aws_apigatewayv2_stage.this.route_settings) == 0
    error_message = "stage throttling must default to the seed's 100 rps / 50 burst with no route overrides"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.api.arn
    error_message = "access logs must go to the module's API log group"
  }
  assert {
    condition     = alltrue([for k in ["requestId", "sourceIp", "routeKey", "status", "latencyMs", "integrationError", "sub", "clientId", "tenantId"] : contains(keys(jsondecode(aws_apigatewayv2_stage.this.access_log_settings[0].format)), k)])
    error_message = "access logs must be JSON with request id, source IP, route, status, latency, integration error, sub, client_id and tenant (AU-3)"
  }
  assert {
    condition     = alltrue([for lg in [aws_cloudwatch_log_group.api, aws_cloudwatch_log_group.lambda] : lg.kms_key_id == var.kms_key_arn && lg.retention_in_days == 30])
    error_message = "both log groups must be KMS-encrypted with the default retention"
  }
  assert {
    condition     = output.log_group_name == "/aws/lambda/mcp-tools-dev" && output.api_log_group_name == aws_cloudwatch_log_group.api.name
    error_message = "log group outputs"
  }
}

run "route_throttle_overrides_reach_the_stage" {
  command = plan

  variables {
    throttle_rate_limit  = 200
    throttle_burst_limit = 100
    route_throttle_overrides = {
      "POST /mcp" = { throttling_rate_limit = 50, throttling_burst_limit = 25 }
      "GET /mcp"  = { throttling_rate_limit = 5 }
    }
  }

  assert {
    condition     = { for s in aws_apigatewayv2_stage.this.route_settings : s.route_key => [s.throttling_rate_limit, s.throttling_burst_limit] } == { "POST /mcp" = [50, 25], "GET /mcp" = [5, 100] }
    error_message = "each override must reach the stage; unset fields fall back to the stage default"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == 200 && aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit == 100
    error_message = "stage defaults follow throttle_rate_limit / throttle_burst_limit"
  }
}

run "cors" {
  command = plan

  variables {
    cors_allowed_origins = ["https://app.example.com", "*"]
  }

  assert {
    condition     = aws_apigatewayv2_api.this.cors_configuration[0].allow_origins == toset(["https://app.example.com", "*"])
    error_message = "CORS origins come from cors_allowed_origins"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_ALLOWED_ORIGINS"] == "https://app.example.com"
    error_message = "the function's Origin allow-list never contains *"
  }
  assert {
    condition     = alltrue([for h in ["Authorization", "Content-Type", "Mcp-Session-Id", "MCP-Protocol-Version"] : contains(aws_apigatewayv2_api.this.cors_configuration[0].allow_headers, h)]) && contains(aws_apigatewayv2_api.this.cors_configuration[0].expose_headers, "Mcp-Session-Id")
    error_message = "CORS must allow the MCP headers and expose Mcp-Session-Id"
  }
}
