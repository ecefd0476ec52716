/** Tenant assignment and the tenant claim: the tenant directory and the two Cognito triggers. */
export {
  createTenantDirectory,
  directoryKey,
  emailDomain,
  DIRECTORY_KEY,
  DIRECTORY_KINDS,
  DIRECTORY_TENANT_ATTRIBUTE,
  TENANT_ID_PATTERN,
} from "./directory.js";
export type { TenantDirectory, TenantDirectoryOptions } from "./directory.js";
export {
  createPreTokenGenerationHandler,
  TenantRequiredError,
  TENANT_ATTRIBUTE,
  CLIENT_CREDENTIALS_SOURCE,
} from "./pre-token-generation.js";
export type { PreTokenGenerationEvent, PreTokenGenerationOptions } from "./pre-token-generation.js";
export { createPostConfirmationHandler } from "./post-confirmation.js";
export type { CognitoAdmin, PostConfirmationOptions } from "./post-confirmation.js";
export { loadTriggerConfig, createPreTokenGenerationEntry, createPostConfirmationEntry } from "./lambda.js";
export type { TriggerConfig } from "./lambda.js";
