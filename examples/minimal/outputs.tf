output "mcp_endpoint_url" {
  description = "URL MCP clients connect to"
  value       = module.mcp_server.mcp_endpoint_url
}

output "lambda_function_name" {
  description = "Name of the MCP server function"
  value       = module.mcp_server.lambda_function_name
}
