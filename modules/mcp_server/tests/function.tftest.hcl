# The function and its execution role: container image, VPC, KMS, tracing, environment, and a
# least-privilege policy with no wildcard actions (FedRAMP AC-6).

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "function_defaults" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.package_type == "Image" && aws_lambda_function.this.image_uri == var.image_uri && aws_lambda_function.this.function_name == "mcp-tools-dev"
    error_message = "the function runs the given container image"
  }
  assert {
    condition     = aws_lambda_function.this.memory_size == 512 && aws_lambda_function.this.timeout == 29 && aws_lambda_function.this.reserved_concurrent_executions == -1
    error_message = "memory 512 MB, timeout 29 s (below the 30 s integration timeout), unreserved concurrency by default"
  }
  assert {
    condition     = aws_lambda_function.this.kms_key_arn == var.kms_key_arn && aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "environment encrypted with the key; X-Ray active by default"
  }
  assert {
    condition     = aws_lambda_function.this.vpc_config[0].subnet_ids == toset(var.vpc_subnet_ids) && aws_lambda_function.this.vpc_config[0].security_group_ids == toset(var.vpc_security_group_ids)
    error_message = "the function runs in the given subnets and security groups"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == aws_cloudwatch_log_group.lambda.name && aws_lambda_function.this.logging_config[0].log_format == "JSON"
    error_message = "the function logs JSON to the module's encrypted log group"
  }
  assert {
    condition     = jsondecode(aws_iam_role.lambda.assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "only Lambda may assume the execution role"
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]]))
    error_message = "no IAM action may contain a wildcard"
  }
  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Sid], "WriteTraces") && one([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Resource if s.Sid == "DecryptEnvironment"]) == var.kms_key_arn
    error_message = "the role may write traces and decrypt with the given key only"
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Resource if s.Sid == "WriteOwnLogs"]) == "${aws_cloudwatch_log_group.lambda.arn}:*"
    error_message = "the role may write to its own log group only"
  }
}

run "tracing_off_and_user_environment" {
  command = plan

  variables {
    enable_xray_tracing            = false
    environment_variables          = { LOG_LEVEL = "debug" }
    memory_size                    = 1024
    timeout                        = 10
    reserved_concurrent_executions = 20
  }

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "PassThrough"
    error_message = "tracing off means PassThrough"
  }
  assert {
    condition     = !contains([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Sid], "WriteTraces")
    error_message = "no X-Ray permissions when tracing is off"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["LOG_LEVEL"] == "debug" && aws_lambda_function.this.environment[0].variables["MCP_SERVER_NAME"] == "mcp-tools" && aws_lambda_function.this.environment[0].variables["MCP_ENVIRONMENT"] == "dev"
    error_message = "user variables and the module's MCP_* variables are both set"
  }
  assert {
    condition     = aws_lambda_function.this.memory_size == 1024 && aws_lambda_function.this.timeout == 10 && aws_lambda_function.this.reserved_concurrent_executions == 20
    error_message = "compute inputs reach the function"
  }
}

run "tags" {
  command = plan

  variables {
    tags = { Team = "platform" }
  }

  assert {
    condition     = aws_lambda_function.this.tags == tomap({ Environment = "dev", McpServer = "mcp-tools", Team = "platform" }) && aws_apigatewayv2_api.this.tags == aws_lambda_function.this.tags
    error_message = "every resource carries the module's tags and the caller's"
  }
}
