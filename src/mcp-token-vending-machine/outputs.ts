/** The outputs of the published module, read off the construct. */
import { optionalAttr } from "../lib/expr.js";
import type { ModuleOutput } from "../lib/module-spec.js";
import type { TokenVendingMachine } from "./token-vending-machine.js";

export const TVM_OUTPUTS: readonly ModuleOutput<TokenVendingMachine>[] = [
  {
    name: "tenant_role_arn",
    description: "ARN of the template tenant role (null unless create_tenant_role)",
    value: (t) => t.tenantRoleArn,
  },
  {
    name: "tenant_role_name",
    description: "Name of the template tenant role (null unless create_tenant_role)",
    value: (t) => optionalAttr(t.tenantRole, "name"),
  },
  {
    name: "permission_boundary_arn",
    description: "ARN of the permission boundary every tenant role must carry",
    value: (t) => t.boundary.arn,
  },
  {
    name: "tenant_data_policy_arn",
    description: "ARN of the policy granting a tenant session its own partition of the tenant data tables (null without tables)",
    value: (t) => optionalAttr(t.dataPolicy, "arn"),
  },
  {
    name: "credential_duration_seconds",
    description: "Lifetime of vended credentials, in seconds",
    value: (t) => t.credentialDurationSeconds,
  },
  {
    name: "function_environment",
    description:
      "Environment for the MCP function (TVM_TENANT_ROLE_ARN, TVM_CREDENTIAL_DURATION_SECONDS): merge into mcp_server's environment_variables",
    value: (t) => t.functionEnvironment,
  },
];
