# The minimal example plans and applies against the mocked provider: auth off means no
# Cognito, and the endpoint is the API's /mcp.

mock_provider "aws" {
  source = "../../modules/mcp_server/tests/mocks"
}

variables {
  image_uri                = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp-server:latest"
  vpc_id                   = "vpc-0123456789abcdef0"
  private_subnet_ids       = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  lambda_security_group_id = "sg-0123456789abcdef0"
  kms_key_arn              = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

run "applies_without_auth" {
  command = apply

  assert {
    condition     = output.mcp_endpoint_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/mcp"
    error_message = "the endpoint is /mcp on the API"
  }
  assert {
    condition     = module.mcp_server.cognito_user_pool_id == null && module.mcp_server.cognito_client_id == null && module.mcp_server.cognito_user_pool_endpoint == null
    error_message = "no Cognito with enable_auth = false"
  }
  assert {
    condition     = output.lambda_function_name == "my-tools-dev" && module.mcp_server.sns_topic_arn != null
    error_message = "function and alarm topic exist"
  }
}
