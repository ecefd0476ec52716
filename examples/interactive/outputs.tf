output "mcp_endpoint_url" {
  description = "URL MCP clients connect to"
  value       = module.mcp_server.mcp_endpoint_url
}

output "claude_code_add_command" {
  description = "Adds the server to Claude Code, which signs in with a browser on first use"
  value       = module.mcp_server.claude_code_add_command
}

output "oauth_issuer" {
  description = "Issuer of the authorization server (the MCP origin)"
  value       = module.mcp_server.oauth_issuer
}

output "oauth_metadata_url" {
  description = "RFC 8414 authorization server metadata"
  value       = module.mcp_server.oauth_metadata_url
}

output "oauth_client_secrets" {
  description = "Secrets of the confidential pre-registered clients"
  value       = module.mcp_server.oauth_client_secrets
  sensitive   = true
}
