import { MCP_SERVER_INPUTS } from "./inputs.js";
import type { McpServerProps } from "./props.js";

/** {@link McpServerProps} with every default filled in from the input spec. */
export type ResolvedMcpServerProps = McpServerProps &
  Required<Omit<McpServerProps, "cognitoUserPoolId" | "cognitoUserPoolEndpoint" | "cognitoClientId" | "alarmSnsTopicArn" | "wafAclArn" | "enableWaf" | "createAlarmSnsTopic">>;

/**
 * Apply the defaults the published module declares, so the construct and the module agree
 * by construction. Defaults of `null` stay `undefined` (unset).
 */
export function withDefaults(props: McpServerProps): ResolvedMcpServerProps {
  const resolved: Record<string, unknown> = { ...props };
  for (const input of MCP_SERVER_INPUTS) {
    if (resolved[input.prop] === undefined && input.default !== undefined && input.default !== null) {
      resolved[input.prop] = structuredClone(input.default);
    }
  }
  return resolved as unknown as ResolvedMcpServerProps;
}
