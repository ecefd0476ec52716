# Tenant metering: the usage table, the function's counter policy, per-tenant metrics from the
# access logs, the noisy-neighbour and error alarms.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "defaults" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.usage.hash_key == "tenant_id" && aws_dynamodb_table.usage.range_key == "period" && one(aws_dynamodb_table.usage.global_secondary_index).name == "by_period" && one(aws_dynamodb_table.usage.global_secondary_index).hash_key == "period"
    error_message = "tenant_id + period, with a by_period index for billing runs"
  }
  assert {
    condition     = aws_dynamodb_table.usage.ttl[0].attribute_name == "expires_at" && aws_dynamodb_table.usage.point_in_time_recovery[0].enabled && aws_dynamodb_table.usage.server_side_encryption[0].kms_key_arn == var.kms_key_arn
    error_message = "TTL, PITR, KMS"
  }
  assert {
    condition     = aws_iam_role_policy.metering.role == var.lambda_role_name && one(jsondecode(aws_iam_role_policy.metering.policy).Statement).Resource == [aws_dynamodb_table.usage.arn, "${aws_dynamodb_table.usage.arn}/index/*"] && !contains(one(jsondecode(aws_iam_role_policy.metering.policy).Statement).Action, "dynamodb:Scan")
    error_message = "the function may count on this table and its index only"
  }
  assert {
    condition     = aws_cloudwatch_log_metric_filter.requests_by_tenant.metric_transformation[0].dimensions == tomap({ TenantId = "$.tenantId" }) && aws_cloudwatch_log_metric_filter.requests.metric_transformation[0].dimensions == null && aws_cloudwatch_log_metric_filter.requests.log_group_name == var.api_log_group_name
    error_message = "requests in total and per tenant from the access logs"
  }
  assert {
    condition     = aws_cloudwatch_log_metric_filter.server_errors.pattern == "{ $.status = \"5*\" }" && aws_cloudwatch_log_metric_filter.server_errors_by_tenant.metric_transformation[0].namespace == "MCP/mcp-tools-dev"
    error_message = "5xx counted from the access logs"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_contributor_insight_rule.requests_by_tenant.rule_definition).Contribution.Keys == ["$.tenantId"] && jsondecode(aws_cloudwatch_contributor_insight_rule.requests_by_tenant.rule_definition).LogGroupNames == [var.api_log_group_name]
    error_message = "tenants ranked by requests"
  }
  assert {
    condition     = one(aws_cloudwatch_metric_alarm.tenant_requests.metric_query).expression == "INSIGHT_RULE_METRIC('mcp-tools-dev-requests-by-tenant', 'MaxContributorValue')" && aws_cloudwatch_metric_alarm.tenant_requests.threshold == 3000
    error_message = "the busiest tenant is alarmed on"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.server_errors.alarm_actions == toset([aws_sns_topic.alarms[0].arn]) && aws_sns_topic.alarms[0].kms_master_key_id == var.kms_key_arn && output.sns_topic_arn == aws_sns_topic.alarms[0].arn
    error_message = "alarms notify the encrypted topic"
  }
  assert {
    condition     = output.function_environment.METERING_TABLE_NAME == aws_dynamodb_table.usage.name && length(output.function_environment) == 1
    error_message = "the function finds the table"
  }
}

run "given_topic_and_thresholds" {
  command = plan

  variables {
    alarm_sns_topic_arn             = "arn:aws:sns:us-east-1:123456789012:platform-alerts"
    tenant_requests_alarm_threshold = 500
    server_errors_alarm_threshold   = 3
    environment                     = "prod"
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && aws_cloudwatch_metric_alarm.tenant_requests.threshold == 500 && aws_cloudwatch_metric_alarm.server_errors.threshold == 3
    error_message = "the given topic and thresholds are used"
  }
  assert {
    condition     = aws_dynamodb_table.usage.deletion_protection_enabled
    error_message = "usage records are protected in prod"
  }
}
