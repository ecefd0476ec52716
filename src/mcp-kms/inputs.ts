import { ENVIRONMENT_INPUT, NAME_INPUT, TAGS_INPUT } from "../lib/common-inputs.js";
import { integer, moduleInputs } from "../lib/module-spec.js";
import type { McpKmsProps } from "./props.js";

export const MCP_KMS_INPUTS = moduleInputs<McpKmsProps>()(
  { ...NAME_INPUT, description: "The name of the mcp_server this key serves (log-group conditions are scoped to it)" },
  ENVIRONMENT_INPUT,
  TAGS_INPUT,
  {
    name: "deletion_window_in_days",
    prop: "deletionWindowInDays",
    type: "number",
    description: "Waiting period before the key is deleted, in days",
    default: 30,
    nullable: false,
    rules: [integer({ min: 7, max: 30, unit: "days", reason: "(KMS limits)" })],
  },
  {
    name: "rotation_period_in_days",
    prop: "rotationPeriodInDays",
    type: "number",
    description: "Automatic key rotation period, in days (rotation is always on)",
    default: 365,
    nullable: false,
    rules: [integer({ min: 90, max: 2560, unit: "days", reason: "(KMS limits)", rejects: [30] })],
  },
);
