# The seed's Production Configuration (shared/seeds/001, "Production Configuration"), with the
# key and the web ACL from this repository's mcp_kms and mcp_waf modules. Departures from the
# seed's block, and why, are commented where they occur.

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

# A web ACL for CloudFront must be created in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

module "kms" {
  source = "../../modules/mcp_kms"

  name        = "ai-tools"
  environment = "prod"
}

# The edge's audit logs (WAF logs, CloudFront access logs) are in us-east-1, so their key is too:
# a second mcp_kms with the same name, whose key policy covers the edge log groups.
module "edge_kms" {
  source    = "../../modules/mcp_kms"
  providers = { aws = aws.us_east_1 }

  name        = "ai-tools"
  environment = "prod"
}

module "waf" {
  source    = "../../modules/mcp_waf"
  providers = { aws = aws.us_east_1 }

  name                     = "ai-tools"
  environment              = "prod"
  rate_limit_per_5_minutes = 1000

  # WAF logs and the CloudFront access-log destination, encrypted, kept 365 days (the default).
  kms_key_arn = module.edge_kms.key_arn
}

module "mcp_server" {
  source = "../../modules/mcp_server"

  name        = "ai-tools"
  environment = "prod"
  image_uri   = var.image_uri

  # Compute. The seed asks for timeout = 300; an HTTP API integration ends after 30 s, so the
  # module allows at most 30 (README, "Departures from the seed").
  memory_size                    = 1024
  timeout                        = 29
  reserved_concurrent_executions = 50
  environment_variables = {
    LOG_LEVEL = "info"
    REGION    = "us-east-1"
  }

  # Networking
  vpc_id                 = var.vpc_id
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [var.lambda_security_group_id]

  # Encryption
  kms_key_arn = module.kms.key_arn

  # Auth
  enable_auth = true

  # API: WAF is attached to a CloudFront distribution in front of the API (an HTTP API stage
  # cannot carry a web ACL); mcp_endpoint_url points at CloudFront.
  throttle_rate_limit  = 200
  throttle_burst_limit = 100
  cors_allowed_origins = ["https://app.example.com"]
  waf_acl_arn          = module.waf.web_acl_arn
  enable_waf           = true # the ACL is created in this apply: its ARN is unknown at plan

  # CloudFront standard logs into mcp_waf's log group (configured in us-east-1 by the module).
  cloudfront_access_log_destination_arn = module.waf.cloudfront_access_log_destination_arn

  # Custom domain: CloudFront serves it with the us-east-1 certificate and TLSv1.2_2021 (the
  # default *.cloudfront.net certificate would let viewers use TLS 1.0).
  domain_name     = var.domain_name
  certificate_arn = var.certificate_arn

  # Sessions
  enable_session_table = true
  session_ttl_seconds  = 7200

  # ECR. The repository is created here, but the function needs an image at creation: push one
  # first (README, "Order of a first deployment").
  enable_ecr_repository    = true
  ecr_image_tag_mutability = "IMMUTABLE"
  ecr_scan_on_push         = true

  # Observability
  log_retention_days    = 365
  enable_xray_tracing   = true
  alarm_sns_topic_arn   = var.alarm_sns_topic_arn
  alarm_actions_enabled = true

  tags = {
    Team       = "platform"
    CostCenter = "ai-infra"
  }
}
