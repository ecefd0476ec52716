import type { IResolvable } from "cdktf";

/** Props of {@link TenantMetering}; camelCase twins of the module's variables. */
export interface TenantMeteringProps {
  readonly name: string;
  readonly environment: string;
  readonly tags?: Record<string, string>;
  /** Key for the usage table and the alarm topic. */
  readonly kmsKeyArn: string;
  /** The MCP function's role (mcp_server's `lambda_role_name`): receives the counter policy. */
  readonly lambdaRoleName: string;
  /** mcp_server's `api_log_group_name`: the JSON access logs metric filters read. */
  readonly apiLogGroupName: string;
  /** Requests one tenant may make in 5 minutes before the noisy-neighbour alarm. @default 3000 */
  readonly tenantRequestsAlarmThreshold?: number;
  /** 5xx responses in 5 minutes before the error alarm. @default 10 */
  readonly serverErrorsAlarmThreshold?: number;
  /** Existing SNS topic; unset creates one. @default none */
  readonly alarmSnsTopicArn?: string;
  /** Known-at-plan switch for the topic. @default derived from alarmSnsTopicArn */
  readonly createAlarmSnsTopic?: boolean | IResolvable;
  /** Whether alarms notify the topic. @default true */
  readonly alarmActionsEnabled?: boolean | IResolvable;
}
