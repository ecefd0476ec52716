# The seed's "Composing with Multi-Tenant Modules" (shared/seeds/001): mcp_server with the token
# vending machine and tenant metering, plus the key and a tenant data table. The tenant comes
# from the verified token's tenant_id claim; each request's AWS credentials are a role session
# tagged with that tenant, which can touch only that tenant's partition.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.23, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

module "kms" {
  source = "../../modules/mcp_kms"

  name        = "ai-tools"
  environment = "prod"
}

# Tenant data: every item's partition key is the tenant.
resource "aws_dynamodb_table" "tenant_data" {
  name         = "ai-tools-prod-tenant-data"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "tenant_id"
  range_key    = "item_id"

  attribute {
    name = "tenant_id"
    type = "S"
  }
  attribute {
    name = "item_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = module.kms.key_arn
  }
  deletion_protection_enabled = true
}

module "mcp_server" {
  source = "../../modules/mcp_server"

  name        = "ai-tools"
  environment = "prod"
  image_uri   = var.image_uri

  enable_tenant_isolation = true
  enable_session_table    = true

  # Central identity plane; its pre token generation trigger adds tenant_id to access tokens.
  enable_auth                = true
  cognito_user_pool_id       = var.cognito_user_pool_id
  cognito_user_pool_endpoint = var.cognito_user_pool_endpoint
  cognito_client_id          = var.cognito_client_id
  tenant_claim_source        = "issuer"

  vpc_id                 = var.vpc_id
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [var.lambda_security_group_id]
  kms_key_arn            = module.kms.key_arn

  # The function learns its tenant role, credential lifetime, usage table and data table here.
  environment_variables = merge(
    module.tvm.function_environment,
    module.metering.function_environment,
    { TENANT_DATA_TABLE_NAME = aws_dynamodb_table.tenant_data.name },
  )
}

module "tvm" {
  source = "../../modules/mcp_token_vending_machine"

  name                    = "ai-tools"
  environment             = "prod"
  lambda_role_arn         = module.mcp_server.lambda_role_arn
  lambda_role_name        = module.mcp_server.lambda_role_name
  tenant_role_arn_pattern = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/mcp-tenant-*"
  kms_key_arn             = module.kms.key_arn
  tenant_data_table_arns  = [aws_dynamodb_table.tenant_data.arn]
}

module "metering" {
  source = "../../modules/mcp_tenant_metering"

  name               = "ai-tools"
  environment        = "prod"
  kms_key_arn        = module.kms.key_arn
  lambda_role_name   = module.mcp_server.lambda_role_name
  api_log_group_name = module.mcp_server.api_log_group_name
}
