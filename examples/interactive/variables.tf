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
  description = "VPC for the functions"
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of vpc_id, ideally in two or more Availability Zones (with a NAT route: the token function calls Cognito and KMS)"
  type        = list(string)
}

variable "lambda_security_group_id" {
  description = "Security group for the functions' network interfaces"
  type        = string
}
