# The production example applies against the mocked provider: CloudFront + WAF in front, auth,
# sessions, ECR, and the key from mcp_kms.

mock_provider "aws" {
  source = "../../modules/mcp_server/tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
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
    condition     = output.mcp_endpoint_url == "https://d111111abcdef8.cloudfront.net/mcp"
    error_message = "the endpoint is CloudFront's, behind the web ACL"
  }
  assert {
    condition     = module.mcp_server.session_table_name != null && module.mcp_server.ecr_repository_url != null && module.mcp_server.cloudfront_domain_name != null
    error_message = "sessions, ECR and CloudFront exist"
  }
  assert {
    condition     = output.cognito_token_endpoint == "https://ai-tools-prod-123456789012.auth.us-east-1.amazoncognito.com/oauth2/token"
    error_message = "auth is on with the module's pool"
  }
  assert {
    condition     = module.mcp_server.tenant_isolation_enabled == false
    error_message = "no tenant isolation in this example"
  }
}
