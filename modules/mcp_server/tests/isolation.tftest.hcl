# Tenant isolation: AWS cannot invoke a tenant-isolated function from an HTTP API, so API
# Gateway invokes a router that may invoke only the isolated function. The function's
# tenancy_config (hashicorp/aws >= 6.23) is asserted on the synthesized JSON by the vitest suite.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "off_by_default" {
  command = apply

  assert {
    condition     = length(aws_lambda_function.router) == 0 && output.tenant_isolation_enabled == false && output.router_function_name == null
    error_message = "no router without isolation"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this.integration_uri == aws_lambda_function.this.invoke_arn && alltrue([for p in aws_lambda_permission.api : p.function_name == aws_lambda_function.this.function_name])
    error_message = "API Gateway invokes the MCP function directly"
  }
}

run "on" {
  command = apply

  variables {
    enable_tenant_isolation = true
  }

  assert {
    condition     = length(aws_lambda_function.router) == 1 && aws_lambda_function.router[0].image_uri == var.image_uri && aws_lambda_function.router[0].image_config[0].command == tolist(["index.routerHandler"])
    error_message = "the router runs the same image with its own handler"
  }
  assert {
    condition     = aws_lambda_function.router[0].role == aws_iam_role.router[0].arn && aws_iam_role.router[0].arn != null
    error_message = "the router has its own role"
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.router[0].policy).Statement : s.Resource if s.Sid == "InvokeIsolatedFunction"]) == [aws_lambda_function.this.arn, "${aws_lambda_function.this.arn}:*"]
    error_message = "the router may invoke only the isolated function"
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : flatten([s.Action])]), "lambda:InvokeFunction")
    error_message = "the MCP function itself may not invoke functions"
  }
  assert {
    condition     = aws_lambda_function.router[0].environment[0].variables["MCP_TARGET_FUNCTION_ARN"] == aws_lambda_function.this.arn && aws_lambda_function.router[0].environment[0].variables["MCP_TENANT_CLAIM"] == "tenant_id"
    error_message = "the router knows its target and the tenant claim"
  }
  assert {
    condition     = aws_lambda_function.router[0].environment[0].variables["MCP_SERVER_NAME"] == var.name && aws_lambda_function.router[0].environment[0].variables["MCP_ENVIRONMENT"] == var.environment && aws_lambda_function.router[0].environment[0].variables["LOG_LEVEL"] == "info"
    error_message = "the router logs under the server's name and environment, at the default level without one in environment_variables"
  }
  assert {
    condition     = aws_apigatewayv2_integration.this.integration_uri == aws_lambda_function.router[0].invoke_arn && alltrue([for p in aws_lambda_permission.api : p.function_name == aws_lambda_function.router[0].function_name])
    error_message = "API Gateway invokes the router, not the isolated function"
  }
  assert {
    condition     = aws_cloudwatch_log_group.router[0].kms_key_id == var.kms_key_arn && aws_lambda_function.router[0].vpc_config[0].subnet_ids == toset(var.vpc_subnet_ids)
    error_message = "the router logs encrypted and runs in the VPC too"
  }
  assert {
    condition     = output.tenant_isolation_enabled == true && aws_lambda_function.this.environment[0].variables["MCP_TENANT_ISOLATION"] == "true"
    error_message = "isolation is reported and the function knows"
  }
}
