# The seed's Multi-Tenant Configuration (shared/seeds/001, "Multi-Tenant Configuration"): an
# external Cognito user pool (a central identity plane), Lambda tenant isolation behind the
# module's router function, tenant-partitioned sessions, and per-route throttling.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.23, < 7.0" # tenancy_config needs 6.23
    }
  }
}

provider "aws" {
  region = var.region
}

module "kms" {
  source = "../../modules/mcp_kms"

  name        = "ai-tools"
  environment = "prod"
}

module "mcp_server" {
  source = "../../modules/mcp_server"

  name        = "ai-tools"
  environment = "prod"
  image_uri   = var.image_uri

  # Multi-tenancy. The tenant comes from the verified token's tenant_id claim; isolation
  # cannot be changed after the function is created.
  enable_tenant_isolation = true
  enable_session_table    = true

  # External Cognito (centralized identity plane); its resource server must define mcp/invoke,
  # and its pre token generation trigger must add tenant_id to access tokens.
  enable_auth                = true
  cognito_user_pool_id       = "us-east-1_AbCdEfGhI"
  cognito_user_pool_endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
  cognito_client_id          = "1a2b3c4d5e6f7g8h9i0j"
  # The pool's own pre token generation trigger puts tenant_id into access tokens.
  tenant_claim_source = "issuer"

  # Per-route throttling for noisy neighbor protection
  route_throttle_overrides = {
    "POST /mcp" = {
      throttling_rate_limit  = 50
      throttling_burst_limit = 25
    }
  }

  # Networking + encryption (same as single-tenant)
  vpc_id                 = var.vpc_id
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [var.lambda_security_group_id]
  kms_key_arn            = module.kms.key_arn
}
