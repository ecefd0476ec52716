/**
 * The Terraform and provider versions every published module supports, declared once and
 * written into each module's `versions.tf.json`.
 */

/**
 * `tenancy_config` on `aws_lambda_function` arrived in hashicorp/aws 6.23.0, so that is the real
 * minimum; `< 7.0` because a major release may remove arguments the modules set.
 */
export const AWS_PROVIDER_RANGE = ">= 6.23, < 7.0";

/** Terraform >= 1.6 / OpenTofu >= 1.6: `terraform test`, `endswith`, `optional()` attributes. */
export const REQUIRED_TERRAFORM = ">= 1.6.0";

/** `terraform.required_providers` of every published module: a version range, never a pin. */
export const REQUIRED_PROVIDERS = { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_RANGE } };
