import { isIntegerIn, type ModuleInput } from "../lib/module-spec.js";
import { ENVIRONMENT_INPUT, NAME_INPUT, TAGS_INPUT } from "../mcp-server/inputs.js";
import type { McpKmsProps } from "./mcp-kms.js";


export const MCP_KMS_INPUTS: readonly ModuleInput<McpKmsProps>[] = [
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
    validation: [
      {
        condition: "var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days",
        errorMessage: "deletion_window_in_days must be a whole number of days from 7 to 30 (KMS limits).",
        test: (v) => isIntegerIn(v, 7, 30),
        rejects: [6, 31],
      },
    ],
  },
  {
    name: "rotation_period_in_days",
    prop: "rotationPeriodInDays",
    type: "number",
    description: "Automatic key rotation period, in days (rotation is always on)",
    default: 365,
    nullable: false,
    validation: [
      {
        condition: "var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560 && floor(var.rotation_period_in_days) == var.rotation_period_in_days",
        errorMessage: "rotation_period_in_days must be a whole number of days from 90 to 2560 (KMS limits).",
        test: (v) => isIntegerIn(v, 90, 2560),
        rejects: [30, 2561],
      },
    ],
  },
];
