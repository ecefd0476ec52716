# The five alarms (seed 002) notify one SNS topic: the module's encrypted one, or the caller's.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Required inputs come from tests/baseline.auto.tfvars.json (generated from the module spec).

run "module_topic" {
  command = apply

  variables {
    timeout = 20
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 1 && aws_sns_topic.alarms[0].kms_master_key_id == var.kms_key_arn
    error_message = "without alarm_sns_topic_arn the module creates a KMS-encrypted topic"
  }
  assert {
    condition     = toset([for a in [aws_cloudwatch_metric_alarm.lambda_errors, aws_cloudwatch_metric_alarm.lambda_duration, aws_cloudwatch_metric_alarm.lambda_throttles, aws_cloudwatch_metric_alarm.api_5xx, aws_cloudwatch_metric_alarm.api_latency] : a.metric_name]) == toset(["Errors", "Duration", "Throttles", "5xx", "Latency"])
    error_message = "the five alarms watch Errors, Duration, Throttles, 5xx and Latency"
  }
  assert {
    condition     = alltrue([for a in [aws_cloudwatch_metric_alarm.lambda_errors, aws_cloudwatch_metric_alarm.lambda_duration, aws_cloudwatch_metric_alarm.lambda_throttles, aws_cloudwatch_metric_alarm.api_5xx, aws_cloudwatch_metric_alarm.api_latency] : a.alarm_actions == toset([aws_sns_topic.alarms[0].arn]) && a.ok_actions == toset([aws_sns_topic.alarms[0].arn]) && a.actions_enabled])
    error_message = "every alarm notifies the topic (SI-4, IR-4)"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.lambda_duration.threshold == 16000 && aws_cloudwatch_metric_alarm.lambda_duration.extended_statistic == "p99" && aws_cloudwatch_metric_alarm.api_latency.threshold == 18000 && aws_cloudwatch_metric_alarm.api_latency.extended_statistic == "p99"
    error_message = "Duration p99 alarms at 80% and Latency p99 at 90% of the timeout, in ms"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.lambda_errors.dimensions.FunctionName == aws_lambda_function.this.function_name && aws_cloudwatch_metric_alarm.api_5xx.dimensions == tomap({ ApiId = aws_apigatewayv2_api.this.id, Stage = "$default" })
    error_message = "alarms watch this function and this API's stage"
  }
  assert {
    condition     = contains([for s in jsondecode(aws_sns_topic_policy.alarms[0].policy).Statement : s.Sid], "AllowCloudWatchAlarmsOfThisAccount") && contains([for s in jsondecode(aws_sns_topic_policy.alarms[0].policy).Statement : s.Sid if s.Effect == "Deny"], "DenyInsecureTransport")
    error_message = "CloudWatch of this account may publish; publishing without TLS is denied"
  }
  assert {
    condition     = output.sns_topic_arn == aws_sns_topic.alarms[0].arn
    error_message = "sns_topic_arn is the module's topic"
  }
}

run "caller_topic_and_actions_disabled" {
  command = apply

  variables {
    alarm_sns_topic_arn   = "arn:aws:sns:us-east-1:123456789012:platform-alerts"
    alarm_actions_enabled = false
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && length(aws_sns_topic_policy.alarms) == 0
    error_message = "no topic is created when one is given"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.api_5xx.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:platform-alerts"]) && !aws_cloudwatch_metric_alarm.api_5xx.actions_enabled
    error_message = "alarms notify the given topic, with actions disabled on request"
  }
  assert {
    condition     = output.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:platform-alerts"
    error_message = "sns_topic_arn is the given topic"
  }
}

run "create_alarm_sns_topic_false_with_a_given_topic" {
  command = plan

  variables {
    create_alarm_sns_topic = false
    alarm_sns_topic_arn    = "arn:aws:sns:us-east-1:123456789012:platform-alerts"
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && aws_cloudwatch_metric_alarm.lambda_errors.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:platform-alerts"])
    error_message = "create_alarm_sns_topic = false uses the given topic, decided at plan"
  }
}
