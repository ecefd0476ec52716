# Interactive sign-in: Claude Code, Claude.ai, VS Code, Cursor and the MCP Inspector discover the
# authorization server at the MCP origin, register (or present a Client ID Metadata Document), sign
# the user in through Cognito in a browser and call /mcp with an access token bound to it.
#
#   terraform apply
#   $(terraform output -raw claude_code_add_command)   # then /mcp in Claude Code opens the browser
#
# Users sign in to the module's user pool (administrators create them; MFA with an authenticator
# app is required here) or, with oauth_upstream_identity_provider, to a federated IdP behind it.

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

module "kms" {
  source = "../../modules/mcp_kms"

  name        = "team-tools"
  environment = "prod"
}

module "mcp_server" {
  source = "../../modules/mcp_server"

  name        = "team-tools"
  environment = "prod"
  image_uri   = var.image_uri

  vpc_id                 = var.vpc_id
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [var.lambda_security_group_id]
  kms_key_arn            = module.kms.key_arn

  # The function verifies both Cognito machine tokens and the authorization server's tokens; API
  # Gateway's authorizer would trust only Cognito and hide the 401 challenge clients discover from.
  enable_auth               = true
  enable_gateway_authorizer = false
  enable_interactive_auth   = true
  cognito_mfa_configuration = "ON"

  # Access tokens live 15 minutes; a grant (rotating refresh tokens) 30 days.
  oauth_access_token_ttl_seconds = 900
  oauth_refresh_token_ttl_days   = 30

  # Clients register themselves (redirects from the default allow-list only) or present a metadata
  # document from an allow-listed host (Claude Code, Claude.ai, VS Code, ChatGPT).
  oauth_dcr_mode                       = "allowlist"
  oauth_cimd_mode                      = "allowlist"
  oauth_dcr_max_registrations_per_hour = 60

  # A first-party web app registered up front: a confidential client with a generated secret
  # (output oauth_client_secrets) and no consent page.
  oauth_clients = {
    "team-portal" = {
      client_name   = "Team portal"
      redirect_uris = ["https://portal.example.com/oauth/callback"]
      confidential  = true
      skip_consent  = true
    }
  }

  # Members of the Cognito group "tool-admins" may be granted mcp/admin when a client asks.
  oauth_group_scopes = {
    "tool-admins" = ["mcp/admin"]
  }

  # The MCP Inspector in direct mode runs in a browser: its origin must be allowed to call /token.
  cors_allowed_origins = ["http://localhost:6274"]

  log_retention_days = 365

  tags = {
    Team = "platform"
  }
}
