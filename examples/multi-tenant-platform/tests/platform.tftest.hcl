# The composed platform applies against the mocked provider: the modules wire together (role ->
# TVM and metering policies, TVM and metering environment -> the function) without a cycle.

mock_provider "aws" {
  source = "../../modules/mcp_server/tests/mocks"
}

variables {
  image_uri                  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-server:2.1.0"
  vpc_id                     = "vpc-0123456789abcdef0"
  private_subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  lambda_security_group_id   = "sg-0123456789abcdef0"
  cognito_user_pool_id       = "us-east-1_AbCdEfGhI"
  cognito_user_pool_endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
  cognito_client_id          = "1a2b3c4d5e6f7g8h9i0j"
}

run "applies" {
  command = apply

  assert {
    condition     = output.tenant_role_arn != null && module.mcp_server.tenant_isolation_enabled
    error_message = "tenant role created; the server is tenant-isolated"
  }
  assert {
    condition     = output.usage_table_name == "ai-tools-prod-usage"
    error_message = "metering table"
  }
  assert {
    condition     = module.tvm.function_environment.TVM_TENANT_ROLE_ARN == output.tenant_role_arn && module.metering.function_environment.METERING_TABLE_NAME == output.usage_table_name
    error_message = "the environment the function receives names the tenant role and the usage table"
  }
}
