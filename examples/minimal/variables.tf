variable "region" {
  description = "AWS Region to deploy into"
  type        = string
  default     = "us-east-1"
}

variable "image_uri" {
  description = "ECR image URI of the MCP server container (same Region), with a tag or digest"
  type        = string
}

variable "vpc_id" {
  description = "VPC for the function"
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of vpc_id, ideally in two or more Availability Zones"
  type        = list(string)
}

variable "lambda_security_group_id" {
  description = "Security group for the function's network interfaces"
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key whose policy lets CloudWatch Logs, Lambda and SNS use it"
  type        = string
}
