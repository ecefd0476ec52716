output "mcp_endpoint_url" {
  description = "URL MCP clients connect to (CloudFront, behind the web ACL)"
  value       = module.mcp_server.mcp_endpoint_url
}

output "cognito_token_endpoint" {
  description = "OAuth 2.0 token endpoint for the client_credentials grant"
  value       = module.mcp_server.cognito_token_endpoint
}

output "ecr_repository_url" {
  description = "Where to push the server image"
  value       = module.mcp_server.ecr_repository_url
}

output "waf_log_group_name" {
  description = "Log group with the web ACL's request logs (us-east-1)"
  value       = module.waf.waf_log_group_name
}

output "cloudfront_access_log_group_name" {
  description = "Log group with CloudFront's access logs (us-east-1)"
  value       = module.waf.cloudfront_access_log_group_name
}
