variable "region" {
  description = "AWS Region of the platform"
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
  description = "Private subnets of vpc_id in two or more Availability Zones"
  type        = list(string)
}

variable "lambda_security_group_id" {
  description = "Security group for the functions' network interfaces"
  type        = string
}

variable "cognito_user_pool_id" {
  description = "The central user pool"
  type        = string
}

variable "cognito_user_pool_endpoint" {
  description = "cognito-idp.<region>.amazonaws.com/<user pool id>"
  type        = string
}

variable "cognito_client_id" {
  description = "The app client MCP clients use"
  type        = string
}
