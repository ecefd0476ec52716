/**
 * Cognito pre token generation trigger (event version `V2_0` or `V3_0`): puts the tenant into every
 * access token as the claim `tenant_id` (configurable), so the tenant router and the MCP function can
 * take the tenant from a verified token.
 *
 * - a machine client (`triggerSource` `TokenGeneration_ClientCredentials`, sent only with `V3_0`):
 *   the tenant of the app client (`callerContext.clientId`) in the tenant directory
 * - a user (every other `TokenGeneration_*` source): the user's `custom:tenant_id` attribute, which
 *   no app client may write (only the post confirmation trigger and administrators set it)
 * - no tenant, or a value that is not a valid tenant id: with `required`, the trigger throws, and
 *   Cognito refuses to issue the tokens; otherwise the tokens are issued unchanged
 *
 * The claim goes into `response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride`
 * (and the ID token's, for clients that read it); what the event's response already holds is kept.
 * Sources: Amazon Cognito developer guide, "Pre token generation Lambda trigger" (event versions, the
 * V2_0/V3_0 request and response, client credentials events need V3_0 and the Essentials or Plus
 * feature plan).
 */
import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import type { Logger } from "../../container/src/core/logger.js";
import { TENANT_ID_PATTERN, type TenantDirectory } from "./directory.js";

/** The user attribute that holds a user's tenant (a custom attribute of the pool's schema). */
export const TENANT_ATTRIBUTE = "custom:tenant_id";
/** `triggerSource` of a client_credentials token request (V3_0 events only). */
export const CLIENT_CREDENTIALS_SOURCE = "TokenGeneration_ClientCredentials";

/**
 * The V2_0 / V3_0 event as Cognito sends it. `@types/aws-lambda` types V2 and V3 separately; the two
 * differ only in `version` ("2" / "3") and in the client credentials source, so one shape serves both.
 */
export type PreTokenGenerationEvent = Omit<PreTokenGenerationV2TriggerEvent, "version" | "triggerSource" | "request" | "response"> & {
  version: string;
  triggerSource: string;
  request: Omit<PreTokenGenerationV2TriggerEvent["request"], "groupConfiguration"> & {
    /** Null in client credentials events. */
    groupConfiguration?: PreTokenGenerationV2TriggerEvent["request"]["groupConfiguration"] | null;
    /** Scopes of the request (client credentials: the scopes the client asked for). */
    scopes?: string[];
  };
  response: { claimsAndScopeOverrideDetails?: PreTokenGenerationV2TriggerEvent["response"]["claimsAndScopeOverrideDetails"] | null };
};

export interface PreTokenGenerationOptions {
  readonly directory: TenantDirectory;
  /** Name of the claim. @default "tenant_id" */
  readonly claim?: string;
  /** Refuse (throw) when no tenant is found: on whenever tenant isolation is. @default true */
  readonly required?: boolean;
  readonly logger: Logger;
}

/** Thrown to make Cognito refuse the tokens; its message is what Cognito reports to the client. */
export class TenantRequiredError extends Error {
  override readonly name = "TenantRequiredError";
}

/**
 * Creates the trigger handler: `event` in, the same event with the response filled in out.
 * @throws TenantRequiredError when `required` and no valid tenant is found
 * @throws Error for a V1_0 event (the trigger must be configured with `lambda_version = "V3_0"`)
 */
export function createPreTokenGenerationHandler(
  options: PreTokenGenerationOptions,
): (event: PreTokenGenerationEvent) => Promise<PreTokenGenerationEvent> {
  const claim = options.claim ?? "tenant_id";
  const required = options.required ?? true;
  return async (event) => {
    const clientId = event.callerContext?.clientId;
    if (event.version !== "2" && event.version !== "3") {
      options.logger.error("pre token generation event version not supported: configure the trigger with V3_0", { version: event.version });
      throw new Error(
        `pre token generation event version ${JSON.stringify(event.version)} cannot customise access tokens: configure lambda_version V3_0`,
      );
    }
    const machine = event.triggerSource === CLIENT_CREDENTIALS_SOURCE;
    const found = machine ? await options.directory.tenantOfClient(clientId) : event.request.userAttributes?.[TENANT_ATTRIBUTE];
    const tenant = found !== undefined && TENANT_ID_PATTERN.test(found) ? found : undefined;
    const who = machine ? { client_id: clientId } : { client_id: clientId, user: event.userName };
    if (tenant === undefined) {
      if (!required) return event;
      options.logger.warn("token refused: no tenant", {
        ...who,
        trigger_source: event.triggerSource,
        ...(found === undefined ? {} : { invalid_tenant: found }),
      });
      throw new TenantRequiredError(machine ? "This client is not assigned to a tenant." : "This user is not assigned to a tenant.");
    }
    const details = event.response.claimsAndScopeOverrideDetails ?? {};
    event.response.claimsAndScopeOverrideDetails = {
      ...details,
      accessTokenGeneration: {
        ...details.accessTokenGeneration,
        claimsToAddOrOverride: { ...details.accessTokenGeneration?.claimsToAddOrOverride, [claim]: tenant },
      },
      ...(machine
        ? {}
        : {
            idTokenGeneration: {
              ...details.idTokenGeneration,
              claimsToAddOrOverride: { ...details.idTokenGeneration?.claimsToAddOrOverride, [claim]: tenant },
            },
          }),
    };
    options.logger.debug("tenant claim added", { ...who, tenant_id: tenant });
    return event;
  };
}
