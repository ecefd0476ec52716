# The same server in two Regions of one account: every IAM name must differ (IAM is global).
# (The token vending machine names its policies and template role the same way: tvm.tftest.hcl.)
# Used by tests/regions.tftest.hcl.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us_west_2"
  region = "us-west-2"
}

locals {
  common = {
    name                   = "mcp-tools"
    environment            = "prod"
    vpc_id                 = "vpc-0123456789abcdef0"
    vpc_subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    vpc_security_group_ids = ["sg-0123456789abcdef0"]
  }
}

module "eu" {
  source    = "../.."
  providers = { aws = aws.eu_west_1 }

  name                   = local.common.name
  environment            = local.common.environment
  image_uri              = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mcp-server:1.0.0"
  vpc_id                 = local.common.vpc_id
  vpc_subnet_ids         = local.common.vpc_subnet_ids
  vpc_security_group_ids = local.common.vpc_security_group_ids
  kms_key_arn            = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

module "us" {
  source    = "../.."
  providers = { aws = aws.us_west_2 }

  name                   = local.common.name
  environment            = local.common.environment
  image_uri              = "123456789012.dkr.ecr.us-west-2.amazonaws.com/mcp-server:1.0.0"
  vpc_id                 = local.common.vpc_id
  vpc_subnet_ids         = local.common.vpc_subnet_ids
  vpc_security_group_ids = local.common.vpc_security_group_ids
  kms_key_arn            = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

output "iam_names" {
  value = {
    eu = module.eu.lambda_role_name
    us = module.us.lambda_role_name
  }
}
