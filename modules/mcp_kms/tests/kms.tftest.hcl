# The key has rotation on and exactly the key-policy statements mcp_server needs.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "key_and_policy" {
  command = apply

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.rotation_period_in_days == 365 && aws_kms_key.this.deletion_window_in_days == 30
    error_message = "rotation on, yearly; 30-day deletion window"
  }
  assert {
    condition     = [for s in jsondecode(aws_kms_key.this.policy).Statement : s.Sid] == ["AccountAdministration", "CloudWatchLogs", "CloudWatchAlarmsToEncryptedSns", "ServerDataViaAwsServices", "ServerGrantsViaAwsServices"]
    error_message = "exactly the documented statements"
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(aws_kms_key.this.policy).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]]))
    error_message = "no wildcard action"
  }
  assert {
    condition     = one([for s in jsondecode(aws_kms_key.this.policy).Statement : s if s.Sid == "CloudWatchLogs"]).Principal.Service == "logs.us-east-1.amazonaws.com" && contains(one([for s in jsondecode(aws_kms_key.this.policy).Statement : s if s.Sid == "CloudWatchLogs"]).Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/mcp-tools-dev*")
    error_message = "CloudWatch Logs may use the key only for this server's log groups"
  }
  assert {
    condition     = one([for s in jsondecode(aws_kms_key.this.policy).Statement : s if s.Sid == "CloudWatchAlarmsToEncryptedSns"]).Principal.Service == "cloudwatch.amazonaws.com" && toset(one([for s in jsondecode(aws_kms_key.this.policy).Statement : s if s.Sid == "CloudWatchAlarmsToEncryptedSns"]).Action) == toset(["kms:Decrypt", "kms:GenerateDataKey"])
    error_message = "CloudWatch alarms can publish to the encrypted topic"
  }
  assert {
    condition     = toset(one([for s in jsondecode(aws_kms_key.this.policy).Statement : s if s.Sid == "ServerDataViaAwsServices"]).Condition.StringEquals["kms:ViaService"]) == toset(["lambda.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com", "ecr.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"])
    error_message = "data-key use only through Lambda, DynamoDB, ECR and SNS"
  }
  assert {
    condition     = aws_kms_alias.this.name == "alias/mcp-tools-dev-mcp" && output.key_arn == aws_kms_key.this.arn
    error_message = "alias and outputs"
  }
}
