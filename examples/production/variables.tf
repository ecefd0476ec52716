variable "region" {
  description = "AWS Region of the server"
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
  description = "Private subnets of vpc_id in two or more Availability Zones"
  type        = list(string)
}

variable "lambda_security_group_id" {
  description = "Security group for the function's network interfaces"
  type        = string
}

variable "alarm_sns_topic_arn" {
  description = "Existing SNS topic for alarms (the seed's module.notifications); null creates one"
  type        = string
  default     = null
}

variable "domain_name" {
  description = "Domain clients use for the server, e.g. mcp.example.com"
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 covering domain_name (CloudFront uses certificates from us-east-1 only)"
  type        = string
}
