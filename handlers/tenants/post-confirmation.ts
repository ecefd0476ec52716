/**
 * Cognito post confirmation trigger: assigns a user who has just confirmed sign-up to a tenant.
 *
 * - `PostConfirmation_ConfirmSignUp` (ConfirmSignUp, AdminConfirmSignUp, managed login):
 *   - the user already has `custom:tenant_id` (set by an administrator): only the group below
 *   - else, with a verified e-mail address (`email_verified` = "true"): its invitation in the tenant
 *     directory, else its domain's entry; found -> `AdminUpdateUserAttributes` sets
 *     `custom:tenant_id`, then `AdminAddUserToGroup` adds the user to the tenant's group (named like
 *     the tenant id, created by the module for every declared tenant)
 *   - nothing found, or the address is not verified: the user stays without a tenant (logged); the
 *     pre token generation trigger then refuses the user's tokens
 * - `PostConfirmation_ConfirmForgotPassword`: nothing
 *
 * A failing Cognito or DynamoDB call makes the trigger throw, so the confirmation reports the error.
 * Sources: Amazon Cognito developer guide, "Post confirmation Lambda trigger"; Amazon Cognito API
 * Reference, AdminUpdateUserAttributes and AdminAddUserToGroup.
 */
import { AdminAddUserToGroupCommand, AdminUpdateUserAttributesCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import type { Logger } from "../../container/src/core/logger.js";
import { TENANT_ID_PATTERN, type TenantDirectory } from "./directory.js";
import { TENANT_ATTRIBUTE } from "./pre-token-generation.js";

/** The part of a `CognitoIdentityProviderClient` the trigger uses (tests pass a recording stand-in). */
export interface CognitoAdmin {
  send(command: AdminUpdateUserAttributesCommand | AdminAddUserToGroupCommand): Promise<unknown>;
}

export interface PostConfirmationOptions {
  readonly directory: TenantDirectory;
  readonly cognito: CognitoAdmin;
  readonly logger: Logger;
}

/** Creates the trigger handler: `event` in, the same event out (Cognito expects it back). */
export function createPostConfirmationHandler(
  options: PostConfirmationOptions,
): (event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent> {
  return async (event) => {
    if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") return event;
    const attributes = event.request.userAttributes ?? {};
    const user = { UserPoolId: event.userPoolId, Username: event.userName };
    const log = options.logger.child({ user: event.userName, user_pool_id: event.userPoolId });
    let tenant: string | undefined = attributes[TENANT_ATTRIBUTE];
    if (tenant === undefined || tenant === "") {
      const email = attributes.email;
      if (email === undefined || attributes.email_verified !== "true") {
        log.warn("no tenant assigned: the user has no verified e-mail address");
        return event;
      }
      tenant = await options.directory.tenantOfEmail(email);
      if (tenant === undefined) {
        log.warn("no tenant assigned: no invitation and no tenant for the e-mail domain", {
          email_domain: email.slice(email.lastIndexOf("@") + 1),
        });
        return event;
      }
      await options.cognito.send(
        new AdminUpdateUserAttributesCommand({ ...user, UserAttributes: [{ Name: TENANT_ATTRIBUTE, Value: tenant }] }),
      );
    } else if (!TENANT_ID_PATTERN.test(tenant)) {
      log.warn("no tenant group: the user's tenant id is not valid", { invalid_tenant: tenant });
      return event;
    }
    await options.cognito.send(new AdminAddUserToGroupCommand({ ...user, GroupName: tenant }));
    log.info("tenant assigned", { tenant_id: tenant });
    return event;
  };
}
