# The session table: off by default; on-demand, TTL, PITR, KMS, least-privilege access; key
# tenant_id + session_id under tenant isolation; deletion protection in prod.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "off_by_default" {
  command = apply

  assert {
    condition     = length(aws_dynamodb_table.sessions) == 0 && output.session_table_name == null && output.session_table_arn == null
    error_message = "no table and null outputs by default"
  }
  assert {
    condition     = !contains([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Sid], "SessionTableItems") && aws_lambda_function.this.environment[0].variables["MCP_SESSION_TABLE_NAME"] == ""
    error_message = "no table access and no table name without a table"
  }
}

run "on" {
  command = apply

  variables {
    enable_session_table = true
    session_ttl_seconds  = 7200
  }

  assert {
    condition     = aws_dynamodb_table.sessions[0].billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.sessions[0].hash_key == "session_id" && aws_dynamodb_table.sessions[0].range_key == null
    error_message = "on-demand table keyed by session_id"
  }
  assert {
    condition     = aws_dynamodb_table.sessions[0].ttl[0].enabled && aws_dynamodb_table.sessions[0].ttl[0].attribute_name == "expires_at" && aws_dynamodb_table.sessions[0].point_in_time_recovery[0].enabled
    error_message = "TTL on expires_at and point-in-time recovery"
  }
  assert {
    condition     = aws_dynamodb_table.sessions[0].server_side_encryption[0].enabled && aws_dynamodb_table.sessions[0].server_side_encryption[0].kms_key_arn == var.kms_key_arn && !aws_dynamodb_table.sessions[0].deletion_protection_enabled
    error_message = "encrypted with the module's key; no deletion protection outside prod"
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : s.Resource if s.Sid == "SessionTableItems"]) == aws_dynamodb_table.sessions[0].arn
    error_message = "the function may use this table only (it has no index)"
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : flatten([s.Action]) if s.Sid == "SessionTableItems"])) == toset(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"])
    error_message = "exactly the item actions the session store uses: no Query, no Scan"
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(aws_iam_role_policy.lambda.policy).Statement : flatten([s.Action]) if s.Sid == "SessionTableItems"]), "dynamodb:Scan")
    error_message = "no Scan on the session table"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["MCP_SESSION_TABLE_NAME"] == aws_dynamodb_table.sessions[0].name && aws_lambda_function.this.environment[0].variables["MCP_SESSION_TTL_SECONDS"] == "7200"
    error_message = "the function gets the table name and TTL"
  }
  assert {
    condition     = output.session_table_name == aws_dynamodb_table.sessions[0].name && output.session_table_arn == aws_dynamodb_table.sessions[0].arn
    error_message = "session outputs"
  }
}

run "tenant_partitioned_in_prod" {
  command = plan

  variables {
    environment             = "prod"
    enable_session_table    = true
    enable_tenant_isolation = true
  }

  assert {
    condition     = aws_dynamodb_table.sessions[0].hash_key == "tenant_id" && aws_dynamodb_table.sessions[0].range_key == "session_id" && toset([for a in aws_dynamodb_table.sessions[0].attribute : a.name]) == toset(["tenant_id", "session_id"])
    error_message = "tenant_id + session_id under tenant isolation"
  }
  assert {
    condition     = aws_dynamodb_table.sessions[0].deletion_protection_enabled
    error_message = "deletion protection in prod"
  }
}
