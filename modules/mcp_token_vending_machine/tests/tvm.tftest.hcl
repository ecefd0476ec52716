# The token vending machine's policies: what the function may assume, what a tenant session may
# touch. (test/iam/ simulates the same policies with an IAM policy evaluator.)

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "defaults" {
  command = apply

  assert {
    condition     = one(jsondecode(aws_iam_role_policy.assume_tenant_roles.policy).Statement).Resource == var.tenant_role_arn_pattern && toset(one(jsondecode(aws_iam_role_policy.assume_tenant_roles.policy).Statement).Action) == toset(["sts:AssumeRole", "sts:TagSession"]) && aws_iam_role_policy.assume_tenant_roles.role == var.lambda_role_name
    error_message = "the function's role may assume and tag only roles matching the pattern"
  }
  assert {
    condition     = one(jsondecode(aws_iam_role_policy.assume_tenant_roles.policy).Statement).Condition["ForAllValues:StringEquals"]["aws:TagKeys"] == ["tenant_id"] && one(jsondecode(aws_iam_role_policy.assume_tenant_roles.policy).Statement).Condition.StringLike["aws:RequestTag/tenant_id"] == "?*"
    error_message = "only with a non-empty tenant_id tag, and no other tag"
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_policy.tenant_boundary.policy).Statement : s.Condition if s.Sid == "OwnPartitionItemsOnly"]) == { "ForAllValues:StringEquals" = { "dynamodb:LeadingKeys" = ["$${aws:PrincipalTag/tenant_id}"] }, "Null" = { "dynamodb:LeadingKeys" = "false", "aws:PrincipalTag/tenant_id" = "false" } }
    error_message = "the boundary pins every partition key to the session's tenant tag, with the Null guard"
  }
  assert {
    condition     = alltrue([for a in ["iam:PassRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreateRole", "sts:AssumeRole"] : contains(one([for s in jsondecode(aws_iam_policy.tenant_boundary.policy).Statement : s.Action if s.Effect == "Deny"]), a)])
    error_message = "the boundary denies IAM and STS privilege escalation"
  }
  assert {
    condition     = aws_iam_role.tenant[0].name == "mcp-tenant-mcp-tools-dev" && aws_iam_role.tenant[0].permissions_boundary == aws_iam_policy.tenant_boundary.arn && aws_iam_role.tenant[0].max_session_duration == 3600
    error_message = "the template role matches the pattern and carries the boundary"
  }
  assert {
    condition     = one(jsondecode(aws_iam_role.tenant[0].assume_role_policy).Statement).Principal.AWS == var.lambda_role_arn && one(jsondecode(aws_iam_role.tenant[0].assume_role_policy).Statement).Condition.StringLike["aws:RequestTag/tenant_id"] == "?*"
    error_message = "the template role trusts the function's role only, with the tenant tag"
  }
  assert {
    condition     = length(aws_iam_policy.tenant_data) == 0 && length(aws_iam_role_policy_attachment.tenant_data) == 0 && output.tenant_data_policy_arn == null
    error_message = "no data policy without tables (a statement may not have an empty Resource)"
  }
  assert {
    condition     = output.function_environment.TVM_TENANT_ROLE_ARN == aws_iam_role.tenant[0].arn && output.function_environment.TVM_CREDENTIAL_DURATION_SECONDS == "3600" && length(output.function_environment) == 2
    error_message = "the function learns the role and the credential lifetime"
  }
}

run "tenant_tables" {
  command = apply

  variables {
    tenant_data_table_arns      = ["arn:aws:dynamodb:us-east-1:123456789012:table/tenant-notes"]
    tenant_allowed_actions      = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"]
    credential_duration_seconds = 7200
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_policy.tenant_data[0].policy).Statement : s.Resource if s.Sid == "OwnPartitionOfTenantTables"]) == ["arn:aws:dynamodb:us-east-1:123456789012:table/tenant-notes", "arn:aws:dynamodb:us-east-1:123456789012:table/tenant-notes/index/*"]
    error_message = "the data policy names the tables and their indexes"
  }
  assert {
    condition     = toset(one([for s in jsondecode(aws_iam_policy.tenant_data[0].policy).Statement : s.Action if s.Sid == "OwnPartitionOfTenantTables"])) == toset(var.tenant_allowed_actions)
    error_message = "only the allowed actions"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.tenant_data[0].role == aws_iam_role.tenant[0].name && aws_iam_role.tenant[0].max_session_duration == 7200
    error_message = "the template role gets the data policy, and a session as long as the credentials"
  }
}

run "exact_role_and_no_template" {
  command = plan

  variables {
    tenant_role_arn_pattern = "arn:aws:iam::123456789012:role/mcp-tenant-shared"
    create_tenant_role      = false
  }

  assert {
    condition     = length(aws_iam_role.tenant) == 0 && output.function_environment["TVM_TENANT_ROLE_ARN"] == ""
    error_message = "no template role on request"
  }
}
