output "mcp_endpoint_url" {
  description = "URL MCP clients connect to"
  value       = module.mcp_server.mcp_endpoint_url
}

output "tenant_role_arn" {
  description = "The role tenant sessions assume (tagged with tenant_id)"
  value       = module.tvm.tenant_role_arn
}

output "usage_table_name" {
  description = "Per-tenant usage counters"
  value       = module.metering.usage_table_name
}
