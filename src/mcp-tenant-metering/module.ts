import { readFileSync } from "node:fs";
import { REQUIRED_PROVIDERS, REQUIRED_TERRAFORM } from "../lib/versions.js";
import type { ModuleDefinition } from "../publish/module.js";
import { METERING_OUTPUTS } from "./outputs.js";
import { METERING_CROSS_CHECKS, METERING_INPUTS } from "./inputs.js";
import type { TenantMeteringProps } from "./props.js";
import { TenantMetering } from "./tenant-metering.js";

/** The published `modules/mcp_tenant_metering`. */
export const METERING_MODULE: ModuleDefinition<TenantMeteringProps, TenantMetering> = {
  name: "mcp_tenant_metering",
  inputs: METERING_INPUTS,
  crossChecks: METERING_CROSS_CHECKS,
  outputs: METERING_OUTPUTS,
  build: (scope, props) => new TenantMetering(scope, "metering", props),
  requiredVersion: REQUIRED_TERRAFORM,
  requiredProviders: REQUIRED_PROVIDERS,
  exampleInputs: {
    name: "mcp-tools",
    environment: "dev",
    kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    lambda_role_name: "mcp-tools-dev-lambda",
    api_log_group_name: "/aws/apigateway/mcp-tools-dev",
  },
  readmeTemplate: readFileSync(new URL("./module-readme.md", import.meta.url), "utf8"),
};
