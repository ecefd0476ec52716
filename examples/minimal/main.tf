# The seed's Minimal Configuration (shared/seeds/001, "Minimal Configuration"), runnable as is:
# the seed's module.vpc / module.kms references are input variables here, so the example does
# not depend on modules outside this repository.

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

module "mcp_server" {
  source = "../../modules/mcp_server"

  name        = "my-tools"
  environment = "dev"
  image_uri   = var.image_uri

  vpc_id                 = var.vpc_id
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [var.lambda_security_group_id]

  kms_key_arn = var.kms_key_arn

  # Disable auth for local development
  enable_auth = false
}
