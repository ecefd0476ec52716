output "mcp_endpoint_url" {
  description = "URL MCP clients connect to"
  value       = module.mcp_server.mcp_endpoint_url
}

output "lambda_role_name" {
  description = "Execution role of the isolated function (for the token vending machine)"
  value       = module.mcp_server.lambda_role_name
}
