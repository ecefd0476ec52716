import { Fn, ref, TerraformIterator, TerraformLocal, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { CognitoUserGroup } from "@cdktf/provider-aws/lib/cognito-user-group/index.js";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client/index.js";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { DynamodbTableItem } from "@cdktf/provider-aws/lib/dynamodb-table-item/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { DIRECTORY_KEY, DIRECTORY_KINDS, DIRECTORY_TENANT_ATTRIBUTE } from "../../handlers/tenants/directory.js";
import { countIf, firstInstanceAttr, isToken, join, optionalAttr, stableName, type Bool } from "../lib/expr.js";
import { CLIENT_WRITE_ATTRIBUTES, MCP_INVOKE_SCOPE, type McpAuth } from "./auth.js";
import type { ResolvedMcpServerProps } from "./inputs.js";
import { McpFunction } from "./function.js";
import type { TenantProps } from "./props.js";
import { moduleEnvironment, TENANT_ID } from "../../container/src/contract/index.js";

/** The user attribute holding a user's tenant (the pool's custom attribute `tenant_id`). */
export const TENANT_ATTRIBUTE = `custom:${TENANT_ID}`;
/**
 * Cognito waits 5 seconds for a trigger and retries it up to three times (Cognito developer guide,
 * "Customizing user pool workflows with Lambda triggers"): the triggers stop earlier.
 */
const TRIGGER_TIMEOUT_SECONDS = 5;
const TRIGGER_MEMORY_MB = 256;

export interface McpTenantsProps {
  readonly server: ResolvedMcpServerProps;
  readonly baseName: string;
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
  readonly auth: McpAuth;
  /** `LOG_LEVEL` of the triggers (the router's rule: from `environment_variables`). */
  readonly logLevel: string;
  /** Prefix of IAM names (global per account: carries the Region by default). */
  readonly iamPrefix: string;
}

/**
 * Tenants from sign-up to token, for the module's own user pool with tenant isolation
 * (`auth.tenantTriggers`): the tenant directory table (KMS, point-in-time recovery, no TTL) with the
 * entries of `tenants`, a Cognito group and the machine clients (client_credentials, scope
 * `mcp/invoke`) of each tenant, and the two Cognito triggers (pre token generation at `V3_0`, post
 * confirmation; handlers/tenants) with their roles, KMS-encrypted log groups and Lambda permissions
 * for this pool only. Nothing is created otherwise.
 */
export class McpTenants extends Construct {
  readonly enabled: Bool;
  readonly table: DynamodbTable;
  readonly preTokenGeneration: McpFunction;
  readonly postConfirmation: McpFunction;
  readonly machineClients: CognitoUserPoolClient;
  /** `"<tenant>/<client>" -> { tenant, name }` of the machine clients (empty unless enabled). */
  private readonly clientsMap: string;

  constructor(scope: Construct, id: string, props: McpTenantsProps) {
    super(scope, id);
    const p = props.server;
    this.enabled = props.auth.tenantTriggers;
    const count = countIf(this.enabled);

    // The tenants as the variable holds them (snake_case, optional attributes filled in), so the
    // expressions below read the same whether the props are literals or `var.tenants`.
    const tenantsLocal = new TerraformLocal(
      this,
      "tenants",
      isToken(p.tenants) ? p.tenants : toVariable(p.tenants as Record<string, TenantProps>),
    );
    tenantsLocal.overrideLogicalId("tenants");
    const flag = isToken(this.enabled) ? "local.tenant_triggers" : String(this.enabled);
    const on = (expression: string) => `\${${flag} ? ${expression} : {}}`;
    const kind = (k: keyof typeof DIRECTORY_KINDS) => JSON.stringify(`${DIRECTORY_KINDS[k]}%s`);
    const entries = new TerraformLocal(
      this,
      "tenant_directory_entries",
      on(
        `merge({ for e in flatten([for t, v in local.tenants : [for d in v.domains : { key = format(${kind("domain")}, lower(d)), tenant = t }]]) : e.key => e.tenant }, ` +
          `{ for e in flatten([for t, v in local.tenants : [for m in v.invitations : { key = format(${kind("invitation")}, lower(trimspace(m))), tenant = t }]]) : e.key => e.tenant })`,
      ),
    );
    entries.overrideLogicalId("tenant_directory_entries");
    const clients = new TerraformLocal(
      this,
      "tenant_machine_clients",
      on(
        `{ for e in flatten([for t, v in local.tenants : [for c in v.machine_clients : { key = format("%s/%s", t, c), tenant = t, name = c }]]) : e.key => e }`,
      ),
    );
    clients.overrideLogicalId("tenant_machine_clients");
    this.clientsMap = "local.tenant_machine_clients";
    const groups = new TerraformLocal(this, "tenant_groups", on("local.tenants"));
    groups.overrideLogicalId("tenant_groups");

    this.table = stableName(
      new DynamodbTable(this, "table", {
        count,
        name: `${props.baseName}-tenants`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: DIRECTORY_KEY,
        attribute: [{ name: DIRECTORY_KEY, type: "S" }],
        // Entries are configuration, not sessions: no TTL.
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: p.kmsKeyArn },
        deletionProtectionEnabled: props.isProd,
        tags: props.tags,
      }),
      "tenants",
    );
    const tableName = firstInstanceAttr(this.table, "name");
    const tableArn = firstInstanceAttr(this.table, "arn");
    const poolId = firstInstanceAttr(props.auth.userPool, "id");
    const poolArn = firstInstanceAttr(props.auth.userPool, "arn");

    const entryEach = TerraformIterator.fromMap(Token.asAnyMap(entries.expression));
    stableName(
      new DynamodbTableItem(this, "entry", {
        forEach: entryEach,
        tableName,
        hashKey: DIRECTORY_KEY,
        item: Token.asString(
          Fn.jsonencode({ [DIRECTORY_KEY]: { S: entryEach.key }, [DIRECTORY_TENANT_ATTRIBUTE]: { S: entryEach.value } }),
        ),
      }),
      "tenant_entry",
    );

    const clientEach = TerraformIterator.fromMap(Token.asAnyMap(clients.expression));
    this.machineClients = stableName(
      new CognitoUserPoolClient(this, "machine-client", {
        forEach: clientEach,
        name: join(props.baseName, "-", clientEach.getString("tenant"), "-", clientEach.getString("name")),
        userPoolId: poolId,
        generateSecret: true,
        allowedOauthFlows: ["client_credentials"],
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthScopes: [MCP_INVOKE_SCOPE],
        supportedIdentityProviders: ["COGNITO"],
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        writeAttributes: CLIENT_WRITE_ATTRIBUTES,
        accessTokenValidity: 60,
        tokenValidityUnits: [{ accessToken: "minutes" }],
        enableTokenRevocation: true,
        preventUserExistenceErrors: "ENABLED",
        dependsOn: [props.auth.resourceServer],
      }),
      "tenant",
    );
    stableName(
      new DynamodbTableItem(this, "client-entry", {
        forEach: clientEach,
        tableName,
        hashKey: DIRECTORY_KEY,
        item: Token.asString(
          Fn.jsonencode({
            [DIRECTORY_KEY]: {
              S: Fn.format(`${DIRECTORY_KINDS.client}%s`, [
                ref("aws_cognito_user_pool_client.tenant[each.key].id", TerraformStack.of(this)),
              ]),
            },
            [DIRECTORY_TENANT_ATTRIBUTE]: { S: clientEach.getString("tenant") },
          }),
        ),
      }),
      "tenant_client",
    );

    const groupEach = TerraformIterator.fromMap(Token.asAnyMap(groups.expression));
    stableName(
      new CognitoUserGroup(this, "group", {
        forEach: groupEach,
        name: groupEach.key,
        userPoolId: poolId,
        description: join("Users of tenant ", groupEach.key),
      }),
      "tenant",
    );

    const readDirectory = {
      when: true,
      statements: [
        {
          // The directory only, item reads only: the triggers never write it.
          Sid: "ReadTenantDirectory",
          Effect: "Allow" as const,
          Action: ["dynamodb:GetItem"],
          Resource: tableArn,
        },
      ],
    };
    const common = (functionName: string, roleSuffix: string, command: string, description: string, address: string) => ({
      server: p,
      functionName,
      // At most 9 characters: the longest default prefix is 55 and role names 64.
      roleName: join(props.iamPrefix, roleSuffix),
      description,
      address,
      roleAddress: address,
      count,
      command: [command],
      memorySize: TRIGGER_MEMORY_MB,
      timeout: TRIGGER_TIMEOUT_SECONDS,
      environment: moduleEnvironment("trigger", {
        MCP_SERVER_NAME: p.name,
        MCP_ENVIRONMENT: p.environment,
        MCP_TENANT_CLAIM: TENANT_ID,
        TENANT_DIRECTORY_TABLE_NAME: tableName,
        TENANT_REQUIRED: "true",
        LOG_LEVEL: props.logLevel,
      }),
      statements: [readDirectory],
      tags: props.tags,
    });
    this.preTokenGeneration = new McpFunction(
      this,
      "pre-token-generation",
      common(
        join(props.baseName, "-pre-token"),
        "-pretoken",
        "index.preTokenGenerationHandler",
        `Puts ${TENANT_ID} into access tokens of ${p.name} (${p.environment}) (Cognito pre token generation trigger)`,
        "pre_token_generation",
      ),
    );
    this.postConfirmation = new McpFunction(
      this,
      "post-confirmation",
      common(
        join(props.baseName, "-post-confirm"),
        "-postconf",
        "index.postConfirmationHandler",
        `Assigns new users of ${p.name} (${p.environment}) to a tenant (Cognito post confirmation trigger)`,
        "post_confirmation",
      ),
    );
    // A policy of its own, outside the function's dependencies: the pool refers to the function
    // (lambda_config), so the function cannot wait for a policy that refers to the pool.
    stableName(
      new IamRolePolicy(this, "post-confirmation-cognito", {
        count,
        name: "cognito-tenant-assignment",
        role: firstInstanceAttr(this.postConfirmation.role, "id"),
        policy: Token.asString(
          Fn.jsonencode({
            Version: "2012-10-17",
            Statement: [
              {
                // This pool only; the two calls of the trigger only.
                Sid: "AssignTenant",
                Effect: "Allow",
                Action: ["cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminAddUserToGroup"],
                Resource: poolArn,
              },
            ],
          }),
        ),
      }),
      "post_confirmation_cognito",
    );
    for (const [fn, address] of [
      [this.preTokenGeneration, "pre_token_generation"],
      [this.postConfirmation, "post_confirmation"],
    ] as const) {
      stableName(
        new LambdaPermission(this, `${address}-permission`, {
          count,
          statementId: "AllowCognitoUserPool",
          action: "lambda:InvokeFunction",
          functionName: firstInstanceAttr(fn.function, "function_name"),
          principal: "cognito-idp.amazonaws.com",
          sourceArn: poolArn,
        }),
        address,
      );
    }
  }

  /** The machine clients' ids (a list; empty unless enabled). */
  get machineClientIds(): string[] {
    return Token.asList(ref("values(aws_cognito_user_pool_client.tenant)[*].id", TerraformStack.of(this)));
  }

  /** `"<tenant>/<client>" -> { tenant_id, client_id }` of the machine clients. */
  get machineClientsOutput(): unknown {
    return `\${{ for k, c in aws_cognito_user_pool_client.tenant : k => { tenant_id = ${this.clientsMap}[k].tenant, client_id = c.id } }}`;
  }

  /** `"<tenant>/<client>" -> client secret`. */
  get machineClientSecrets(): unknown {
    return `\${{ for k, c in aws_cognito_user_pool_client.tenant : k => c.client_secret }}`;
  }

  /** The directory table's name; null unless enabled. */
  get tableName(): string {
    return optionalAttr(this.table, "name");
  }

  /** `lambda_config` for the user pool (only meaningful when enabled). */
  lambdaConfig(): Record<string, unknown> {
    return {
      pre_token_generation_config: { lambda_arn: firstInstanceAttr(this.preTokenGeneration.function, "arn"), lambda_version: "V3_0" },
      post_confirmation: firstInstanceAttr(this.postConfirmation.function, "arn"),
    };
  }
}

/** Literal `tenants` props in the variable's shape. */
function toVariable(
  tenants: Record<string, TenantProps>,
): Record<string, { domains: string[]; invitations: string[]; machine_clients: string[] }> {
  return Object.fromEntries(
    Object.entries(tenants ?? {}).map(([id, t]) => [
      id,
      { domains: t.domains ?? [], invitations: t.invitations ?? [], machine_clients: t.machineClients ?? [] },
    ]),
  );
}
