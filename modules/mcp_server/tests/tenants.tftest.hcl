# Tenants from sign-up to token: with tenant isolation on the module's own pool, the pool runs on the
# Essentials feature plan with a pre token generation trigger at V3_0 (so client_credentials tokens
# get tenant_id too) and a post confirmation trigger; custom:tenant_id is a schema attribute no app
# client may write; the tenant directory holds the entries of var.tenants. The router verifies tokens
# itself, so isolation no longer needs the gateway authorizer.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

variables {
  tenants = {
    acme = {
      domains         = ["acme.com"]
      invitations     = ["ana@globex.example"]
      machine_clients = ["ci", "etl"]
    }
    globex = {
      domains = ["globex.example"]
    }
  }
}

run "own_pool_gets_the_tenant_triggers" {
  command = apply

  variables {
    enable_tenant_isolation   = true
    enable_gateway_authorizer = false
  }

  assert {
    condition     = aws_cognito_user_pool.this[0].user_pool_tier == "ESSENTIALS"
    error_message = "access token customisation needs the Essentials feature plan"
  }
  assert {
    condition     = aws_cognito_user_pool.this[0].lambda_config[0].pre_token_generation_config[0].lambda_version == "V3_0" && aws_cognito_user_pool.this[0].lambda_config[0].pre_token_generation_config[0].lambda_arn == aws_lambda_function.pre_token_generation[0].arn
    error_message = "the pre token generation trigger is wired at V3_0 (client_credentials tokens too)"
  }
  assert {
    condition     = aws_cognito_user_pool.this[0].lambda_config[0].post_confirmation == aws_lambda_function.post_confirmation[0].arn
    error_message = "the post confirmation trigger is wired"
  }
  assert {
    condition     = length([for a in aws_cognito_user_pool.this[0].schema : a if a.name == "tenant_id" && a.attribute_data_type == "String" && a.mutable && !a.developer_only_attribute]) == 1
    error_message = "custom:tenant_id is a mutable string attribute of the pool's schema"
  }
  assert {
    condition     = alltrue([for c in concat(aws_cognito_user_pool_client.this, values(aws_cognito_user_pool_client.tenant)) : length(c.write_attributes) > 0 && !contains(c.write_attributes, "custom:tenant_id")])
    error_message = "no app client may write custom:tenant_id (an unset write_attributes would allow every attribute)"
  }
  assert {
    condition     = aws_lambda_function.pre_token_generation[0].image_config[0].command == tolist(["index.preTokenGenerationHandler"]) && aws_lambda_function.post_confirmation[0].image_config[0].command == tolist(["index.postConfirmationHandler"]) && aws_lambda_function.pre_token_generation[0].image_uri == var.image_uri
    error_message = "the triggers run the MCP function's image with their own entries"
  }
  assert {
    condition     = aws_lambda_function.pre_token_generation[0].timeout <= 5 && aws_lambda_function.post_confirmation[0].timeout <= 5
    error_message = "the triggers finish within Cognito's 5 second wait"
  }
  assert {
    condition     = aws_lambda_function.pre_token_generation[0].environment[0].variables["TENANT_DIRECTORY_TABLE_NAME"] == aws_dynamodb_table.tenants[0].name && aws_lambda_function.pre_token_generation[0].environment[0].variables["TENANT_REQUIRED"] == "true" && aws_lambda_function.pre_token_generation[0].environment[0].variables["MCP_TENANT_CLAIM"] == "tenant_id"
    error_message = "the pre token generation trigger reads the directory and refuses tokens without a tenant"
  }
  assert {
    condition     = aws_cloudwatch_log_group.pre_token_generation[0].kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.post_confirmation[0].kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.post_confirmation[0].retention_in_days == var.log_retention_days
    error_message = "the triggers log to KMS-encrypted groups with retention"
  }
  assert {
    condition     = alltrue([for p in [aws_lambda_permission.pre_token_generation[0], aws_lambda_permission.post_confirmation[0]] : p.principal == "cognito-idp.amazonaws.com" && p.source_arn == aws_cognito_user_pool.this[0].arn && p.action == "lambda:InvokeFunction"])
    error_message = "only this user pool may invoke the triggers"
  }
  assert {
    condition     = aws_dynamodb_table.tenants[0].hash_key == "directory_key" && aws_dynamodb_table.tenants[0].point_in_time_recovery[0].enabled && aws_dynamodb_table.tenants[0].server_side_encryption[0].kms_key_arn == var.kms_key_arn && length([for t in aws_dynamodb_table.tenants[0].ttl : t if t.enabled]) == 0
    error_message = "the directory is KMS-encrypted, recoverable, and never expires entries"
  }
  assert {
    condition = {
      for k, i in aws_dynamodb_table_item.tenant_entry : k => jsondecode(i.item)
      } == {
      "domain#acme.com"               = { directory_key = { S = "domain#acme.com" }, tenant_id = { S = "acme" } }
      "domain#globex.example"         = { directory_key = { S = "domain#globex.example" }, tenant_id = { S = "globex" } }
      "invitation#ana@globex.example" = { directory_key = { S = "invitation#ana@globex.example" }, tenant_id = { S = "acme" } }
    }
    error_message = "the directory holds one entry per declared domain and invitation"
  }
  assert {
    condition     = keys(aws_dynamodb_table_item.tenant_client) == ["acme/ci", "acme/etl"] && alltrue([for k, i in aws_dynamodb_table_item.tenant_client : jsondecode(i.item).tenant_id.S == "acme" && jsondecode(i.item).directory_key.S == "client#${aws_cognito_user_pool_client.tenant[k].id}"])
    error_message = "each machine client's id maps to its tenant"
  }
  assert {
    condition     = alltrue([for k, c in aws_cognito_user_pool_client.tenant : c.allowed_oauth_flows == toset(["client_credentials"]) && c.allowed_oauth_scopes == toset(["mcp/invoke"]) && c.generate_secret && c.name == "mcp-tools-dev-${replace(k, "/", "-")}"])
    error_message = "machine clients use client_credentials with the resource server's scope"
  }
  assert {
    condition     = keys(aws_cognito_user_group.tenant) == ["acme", "globex"] && aws_cognito_user_group.tenant["acme"].name == "acme"
    error_message = "each tenant has a Cognito group named like its id"
  }
  assert {
    condition     = length(aws_apigatewayv2_authorizer.this) == 0 && aws_apigatewayv2_integration.this.integration_uri == aws_lambda_function.router[0].invoke_arn
    error_message = "isolation runs without the gateway authorizer"
  }
  assert {
    condition     = aws_lambda_function.router[0].environment[0].variables["MCP_JWT_ISSUER"] == "https://${aws_cognito_user_pool.this[0].endpoint}" && aws_lambda_function.router[0].environment[0].variables["MCP_JWT_REQUIRED_SCOPE"] == "mcp/invoke" && aws_lambda_function.router[0].environment[0].variables["MCP_JWT_CLIENT_IDS"] == aws_lambda_function.this.environment[0].variables["MCP_JWT_CLIENT_IDS"]
    error_message = "the router verifies tokens with the function's settings"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_JWT_CLIENT_IDS"] == join(",", concat([aws_cognito_user_pool_client.this[0].id], [for c in values(aws_cognito_user_pool_client.tenant) : c.id])) && length(split(",", aws_lambda_function.this.environment[0].variables["MCP_JWT_CLIENT_IDS"])) == 3
    error_message = "the function and the router accept the module's client and the tenants' machine clients"
  }
  assert {
    condition     = output.tenant_directory_table_name == aws_dynamodb_table.tenants[0].name && keys(output.tenant_machine_clients) == ["acme/ci", "acme/etl"] && output.tenant_machine_clients["acme/ci"].tenant_id == "acme"
    error_message = "the directory and the machine clients are outputs"
  }
}

run "nothing_without_isolation" {
  command = apply

  variables {
    tenants = {}
  }

  assert {
    condition     = length(aws_dynamodb_table.tenants) == 0 && length(aws_lambda_function.pre_token_generation) == 0 && length(aws_lambda_function.post_confirmation) == 0 && length(aws_cognito_user_group.tenant) == 0
    error_message = "no directory, triggers or groups without tenant isolation"
  }
  assert {
    condition     = length(aws_cognito_user_pool.this[0].lambda_config) == 0 && length(aws_cognito_user_pool.this[0].schema) == 0
    error_message = "the pool keeps no triggers and no tenant attribute"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_JWT_CLIENT_IDS"] == aws_cognito_user_pool_client.this[0].id
    error_message = "the function accepts the module's client only"
  }
}

run "external_pool_whose_tokens_carry_the_tenant" {
  command = apply

  variables {
    enable_tenant_isolation    = true
    enable_gateway_authorizer  = false
    tenants                    = {}
    cognito_user_pool_id       = "us-east-1_AbCdEfGhI"
    cognito_user_pool_endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
    cognito_client_id          = "1a2b3c4d5e6f7g8h9i0j"
    tenant_claim_source        = "issuer"
  }

  assert {
    condition     = length(aws_cognito_user_pool.this) == 0 && length(aws_lambda_function.pre_token_generation) == 0 && length(aws_lambda_function.router) == 1
    error_message = "isolation with an external pool: the router, no triggers"
  }
  assert {
    condition     = aws_lambda_function.router[0].environment[0].variables["MCP_JWT_ISSUER"] == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI" && aws_lambda_function.router[0].environment[0].variables["MCP_JWT_CLIENT_IDS"] == "1a2b3c4d5e6f7g8h9i0j"
    error_message = "the router verifies the external pool's tokens"
  }
}

run "external_pool_without_a_declared_claim_source_is_refused" {
  command = plan

  variables {
    enable_tenant_isolation    = true
    tenants                    = {}
    cognito_user_pool_id       = "us-east-1_AbCdEfGhI"
    cognito_user_pool_endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
    cognito_client_id          = "1a2b3c4d5e6f7g8h9i0j"
  }

  expect_failures = [aws_lambda_function.this]
}

run "tenants_without_isolation_are_refused" {
  command = plan

  expect_failures = [aws_lambda_function.this]
}
