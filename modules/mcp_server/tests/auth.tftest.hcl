# enable_auth true / false / external pool: the right resources exist, routes are (not)
# authorized, outputs are null or not (seed 001, Outputs table).

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "internal_pool_by_default" {
  command = apply

  assert {
    condition     = length(aws_cognito_user_pool.this) == 1 && length(aws_cognito_user_pool_domain.this) == 1 && length(aws_cognito_resource_server.this) == 1 && length(aws_cognito_user_pool_client.this) == 1
    error_message = "enable_auth defaults to true and must create the user pool, domain, resource server and app client"
  }
  assert {
    condition     = aws_cognito_user_pool_client.this[0].allowed_oauth_flows == toset(["client_credentials"]) && aws_cognito_user_pool_client.this[0].generate_secret && aws_cognito_user_pool_client.this[0].allowed_oauth_scopes == toset(["mcp/invoke"])
    error_message = "the app client must use only the client_credentials grant, have a secret and the mcp/invoke scope"
  }
  assert {
    condition     = aws_cognito_resource_server.this[0].identifier == "mcp" && [for s in aws_cognito_resource_server.this[0].scope : s.scope_name] == ["invoke"]
    error_message = "the resource server must define scope mcp/invoke"
  }
  assert {
    condition     = aws_cognito_user_pool.this[0].admin_create_user_config[0].allow_admin_create_user_only
    error_message = "self sign-up must be off"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.this[0].authorizer_type == "JWT" && aws_apigatewayv2_authorizer.this[0].jwt_configuration[0].issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
    error_message = "the JWT authorizer's issuer must be the pool"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.this[0].jwt_configuration[0].audience == toset([aws_cognito_user_pool_client.this[0].id])
    error_message = "the audience must be the app client id (Cognito access tokens carry client_id, not aud)"
  }
  assert {
    condition     = length(aws_apigatewayv2_route.mcp) == 3 && alltrue([for r in aws_apigatewayv2_route.mcp : r.authorization_type == "JWT" && r.authorizer_id == aws_apigatewayv2_authorizer.this[0].id && r.authorization_scopes == toset(["mcp/invoke"])])
    error_message = "every /mcp route must require the JWT authorizer and scope mcp/invoke"
  }
  assert {
    condition     = output.cognito_user_pool_id == "us-east-1_AbCdEfGhI" && output.cognito_client_id == aws_cognito_user_pool_client.this[0].id && output.cognito_user_pool_endpoint == "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
    error_message = "Cognito outputs must describe the module's pool"
  }
  assert {
    condition     = output.cognito_token_endpoint == "https://mcp-tools-dev-123456789012.auth.us-east-1.amazoncognito.com/oauth2/token"
    error_message = "the token endpoint must be on the user pool domain"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_AUTH_ENABLED"] == "true" && aws_lambda_function.this.environment[0].variables["MCP_JWT_ISSUER"] == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI" && aws_lambda_function.this.environment[0].variables["MCP_JWT_CLIENT_IDS"] == aws_cognito_user_pool_client.this[0].id
    error_message = "the function must receive the issuer and client id to verify tokens itself"
  }
}

run "auth_disabled" {
  command = apply

  variables {
    enable_auth = false
  }

  assert {
    condition     = length(aws_cognito_user_pool.this) == 0 && length(aws_cognito_user_pool_client.this) == 0 && length(aws_cognito_user_pool_domain.this) == 0 && length(aws_cognito_resource_server.this) == 0 && length(aws_apigatewayv2_authorizer.this) == 0
    error_message = "no Cognito resources and no authorizer when auth is off"
  }
  assert {
    condition     = alltrue([for r in aws_apigatewayv2_route.mcp : r.authorization_type == "NONE" && r.authorizer_id == null])
    error_message = "routes must not reference an authorizer when auth is off"
  }
  assert {
    condition     = output.cognito_user_pool_id == null && output.cognito_client_id == null && output.cognito_user_pool_endpoint == null && output.cognito_token_endpoint == null && output.cognito_client_secret == null
    error_message = "Cognito outputs must be null when auth is off"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_AUTH_ENABLED"] == "false" && aws_lambda_function.this.environment[0].variables["MCP_JWT_ISSUER"] == ""
    error_message = "the function must know auth is off"
  }
}

run "external_pool" {
  command = apply

  variables {
    cognito_user_pool_id       = "eu-west-1_ZyXwVuTsR"
    cognito_user_pool_endpoint = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR"
    cognito_client_id          = "1a2b3c4d5e6f7g8h9i0j"
  }

  assert {
    condition     = length(aws_cognito_user_pool.this) == 0 && length(aws_cognito_user_pool_client.this) == 0 && length(aws_cognito_user_pool_domain.this) == 0
    error_message = "an external pool must not create a pool"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.this[0].jwt_configuration[0].issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR" && aws_apigatewayv2_authorizer.this[0].jwt_configuration[0].audience == toset(["1a2b3c4d5e6f7g8h9i0j"])
    error_message = "the authorizer must trust the external pool and its client id"
  }
  assert {
    condition     = alltrue([for r in aws_apigatewayv2_route.mcp : r.authorization_type == "JWT" && r.authorization_scopes == toset(["mcp/invoke"])])
    error_message = "routes must stay authorized with an external pool"
  }
  assert {
    condition     = output.cognito_user_pool_id == null && output.cognito_client_id == null && output.cognito_user_pool_endpoint == "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR" && output.cognito_token_endpoint == null
    error_message = "outputs: pool id and client id are null for an external pool (seed), the endpoint is the external one"
  }
}

run "external_pool_endpoint_given_as_url" {
  command = plan

  variables {
    cognito_user_pool_id       = "eu-west-1_ZyXwVuTsR"
    cognito_user_pool_endpoint = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR"
    cognito_client_id          = "1a2b3c4d5e6f7g8h9i0j"
  }

  assert {
    condition     = aws_apigatewayv2_authorizer.this[0].jwt_configuration[0].issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR"
    error_message = "an https:// prefix on the endpoint must not be doubled in the issuer"
  }
}

run "function_only_verification_for_oauth_discovery" {
  command = apply

  variables {
    enable_gateway_authorizer = false
  }

  assert {
    condition     = length(aws_apigatewayv2_authorizer.this) == 0 && alltrue([for r in aws_apigatewayv2_route.mcp : r.authorization_type == "NONE"])
    error_message = "no API Gateway authorizer: the function answers 401 with resource_metadata itself"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_AUTH_ENABLED"] == "true" && aws_lambda_function.this.environment[0].variables["MCP_JWT_ISSUER"] == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI" && aws_lambda_function.this.environment[0].variables["MCP_JWT_REQUIRED_SCOPE"] == "mcp/invoke"
    error_message = "the function still verifies issuer, client and scope"
  }
  assert {
    condition     = length(aws_cognito_user_pool.this) == 1
    error_message = "the user pool is still created"
  }
}
