# The multi-tenant example applies against the mocked provider: external pool, router in front
# of the isolated function, tenant-partitioned sessions, the POST /mcp override.

mock_provider "aws" {
  source = "../../modules/mcp_server/tests/mocks"
}

variables {
  image_uri                = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-server:2.1.0"
  vpc_id                   = "vpc-0123456789abcdef0"
  private_subnet_ids       = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  lambda_security_group_id = "sg-0123456789abcdef0"
}

run "applies" {
  command = apply

  assert {
    condition     = module.mcp_server.tenant_isolation_enabled && module.mcp_server.router_function_name == "ai-tools-prod-router"
    error_message = "isolation on, behind the router"
  }
  assert {
    condition     = module.mcp_server.cognito_user_pool_id == null && module.mcp_server.cognito_user_pool_endpoint == "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
    error_message = "the external pool is used, none created"
  }
  assert {
    condition     = module.mcp_server.session_table_name == "ai-tools-prod-sessions"
    error_message = "sessions on"
  }
  assert {
    condition     = output.mcp_endpoint_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/mcp"
    error_message = "no WAF: the endpoint is the API's"
  }
}
