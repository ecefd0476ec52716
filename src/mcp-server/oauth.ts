import { DataResource, dependable, Fn, ref, TerraformIterator, TerraformLocal, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import type { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client/index.js";
import { DataAwsKmsPublicKey } from "@cdktf/provider-aws/lib/data-aws-kms-public-key/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import {
  AUTHORIZATION_SERVER_PATHS,
  moduleEnvironment,
  OAUTH_KEY_PREFIXES as PREFIX,
  OAUTH_UPSTREAM_SCOPES,
  TABLES,
} from "../../container/src/contract/index.js";
import { countIf, firstInstanceAttr, ifElse, isToken, join, stableName, type Bool } from "../lib/expr.js";
import type { PolicyStatement } from "../lib/iam.js";
import { ItemTable } from "../lib/item-table.js";
import { CLIENT_WRITE_ATTRIBUTES, MCP_INVOKE_SCOPE, type McpAuth } from "./auth.js";
import { McpFunction } from "./function.js";
import { MAX_INTEGRATION_TIMEOUT_SECONDS, OAUTH_ROUTE_KEYS, type ResolvedMcpServerProps } from "./inputs.js";
import type { OAuthClientProps } from "./props.js";

/** Memory of each authorization server function, MB: JSON, one JWT and a few DynamoDB calls per request (KMS signs). */
const OAUTH_MEMORY_MB = 512;
/**
 * Timeout of each authorization server function, seconds: a Client ID Metadata Document fetch (5 s at
 * most) or the upstream token call, well inside the 10 s some clients allow for a token request.
 */
const OAUTH_TIMEOUT_SECONDS = 10;
/** Lifetime of the access and ID tokens Cognito issues to the authorization server, minutes (used once, at the callback). */
const UPSTREAM_TOKEN_MINUTES = 60;
/** KMS key spec and usage of the token-signing keys: RS256 (RFC 7518 section 3.3) through KMS `Sign`. */
export const SIGNING_KEY_SPEC = "RSA_2048";
export const SIGNING_KEY_USAGE = "SIGN_VERIFY";
/** The one signing algorithm the token function may ask of KMS (RS256). */
export const SIGNING_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256";

/**
 * Key administration by the account's IAM principals, action by action: no `kms:Sign`, so no IAM
 * policy can give another principal the signing key (only the token role, named in the key policy).
 */
const SIGNING_KEY_ADMIN_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetPublicKey",
  "kms:Verify",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
];

/** The ARN of the last `oauth_signing_keys` generation, the key that signs (null when disabled). */
const SIGNING_KEY_ARN = "try(aws_kms_key.oauth_signing[local.oauth.signing_keys[length(local.oauth.signing_keys) - 1]].arn, null)";

/** The table item prefixes each function reads and writes (design: IAM per function). */
export const OAUTH_FRONT_PREFIXES = [
  PREFIX.client,
  PREFIX.metadataDocument,
  PREFIX.transaction,
  PREFIX.code,
  PREFIX.consent,
  PREFIX.rateCounter,
];
export const OAUTH_TOKEN_PREFIXES = [PREFIX.transaction, PREFIX.code, PREFIX.grant, PREFIX.consent, PREFIX.client, PREFIX.metadataDocument];

export interface McpOAuthProps {
  readonly server: ResolvedMcpServerProps;
  readonly baseName: string;
  readonly iamPrefix: string;
  readonly isProd: Bool;
  readonly tags: Record<string, string>;
  readonly auth: McpAuth;
  /** The issuer: the public origin, no path. */
  readonly issuer: string;
  /** The MCP endpoint URL (RFC 8707 resource, `aud`). */
  readonly resource: string;
  readonly api: { readonly id: string; readonly executionArn: string };
  /** The stage whose route settings name OAuth routes: it must wait for them. */
  readonly stage: Apigatewayv2Stage;
  /** The CloudFront origin secret, `""` without WAF. */
  readonly originVerifySecret: string;
  readonly accountRoot: string;
}

/**
 * The OAuth 2.1 authorization server for interactive sign-in (`enable_interactive_auth`; handlers/oauth):
 *
 * - two functions from the server's image, `oauth.frontHandler` (discovery, JWKS, `/authorize`,
 *   `/register`, consent) and `oauth.tokenHandler` (`/oauth/callback`, `/token`, `/revoke`), each with
 *   its KMS-encrypted log group and its own role: DynamoDB item actions on its key prefixes only
 *   (`dynamodb:LeadingKeys`), never `Scan`; only the token role may `kms:Sign`;
 * - their routes on the server's HTTP API, without an authorizer;
 * - the OAuth table (TTL, point-in-time recovery, the module's KMS key, GSI `by_subject`);
 * - one asymmetric KMS key (RSA_2048, SIGN_VERIFY) per `oauth_signing_keys` generation, whose
 *   public keys (`data "aws_kms_public_key"`) both the functions and the MCP function receive;
 * - a confidential Cognito app client (authorization code, one callback `<issuer>/oauth/callback`);
 * - secrets for the confidential `oauth_clients`.
 *
 * Nothing is created without `enable_interactive_auth`.
 */
export class McpOAuth extends Construct {
  readonly enabled: Bool;
  readonly table: ItemTable;
  readonly front: McpFunction;
  readonly token: McpFunction;
  readonly client: CognitoUserPoolClient;
  /** `jsonencode([{kid, alg, pem}, ...])` of every generation, `"[]"` when disabled. */
  readonly publicKeys: string;
  private readonly issuer: string;

  constructor(scope: Construct, id: string, props: McpOAuthProps) {
    super(scope, id);
    const p = props.server;
    this.enabled = p.enableInteractiveAuth;
    this.issuer = props.issuer;
    const count = countIf(this.enabled);

    // What the HCL expressions below read, the same whether props are literals or `var.*`.
    const settings = new TerraformLocal(this, "oauth", {
      enabled: this.enabled,
      signing_keys: p.oauthSigningKeys,
      external_pool_id: p.cognitoUserPoolId ?? Token.nullValue(),
      pool_domain: p.cognitoUserPoolDomain ?? Token.nullValue(),
      identity_provider: p.oauthUpstreamIdentityProvider ?? Token.nullValue(),
      refresh_token_ttl_days: p.oauthRefreshTokenTtlDays,
      dcr_client_ttl_days: p.oauthDcrClientTtlDays,
      clients: isToken(p.oauthClients) ? p.oauthClients : clientsVariable(p.oauthClients as Record<string, OAuthClientProps>),
    });
    settings.overrideLogicalId("oauth");
    const keys = "(local.oauth.enabled ? local.oauth.signing_keys : [])";
    /** An HCL expression as a token, so it nests inside other expressions (the environment's size check). */
    const hcl = (expression: string) => Token.asString(ref(expression, TerraformStack.of(this)));

    this.table = new ItemTable(this, "table", {
      address: "oauth",
      count,
      name: `${props.baseName}-oauth`,
      hashKey: TABLES.oauth.hashKey,
      rangeKey: TABLES.oauth.rangeKey,
      attribute: ["hashKey", "rangeKey"]
        .flatMap((k) => [TABLES.oauth[k as "hashKey"], TABLES.oauth.indexes.by_subject[k as "hashKey"]])
        .map((name) => ({ name, type: "S" })),
      globalSecondaryIndex: [
        {
          name: "by_subject",
          hashKey: TABLES.oauth.indexes.by_subject.hashKey,
          rangeKey: TABLES.oauth.indexes.by_subject.rangeKey,
          projectionType: "KEYS_ONLY",
        },
      ],
      kmsKeyArn: p.kmsKeyArn,
      isProd: props.isProd,
      tags: props.tags,
    });

    // ---- Signing keys: one asymmetric KMS key per generation; the last signs ----
    const signingKey = stableName(
      new KmsKey(this, "signing-key", {
        description: `Signs the access tokens of ${p.name} (${p.environment}) interactive sign-in (RS256); the private key never leaves KMS`,
        keyUsage: SIGNING_KEY_USAGE,
        customerMasterKeySpec: SIGNING_KEY_SPEC,
        // Asymmetric keys have no automatic rotation: oauth_signing_keys generations rotate them.
        deletionWindowInDays: 30,
        tags: props.tags,
      }),
      "oauth_signing",
    );
    signingKey.addOverride("for_each", `\${toset(${keys})}`);
    const publicKey = new DataAwsKmsPublicKey(this, "public-key", { keyId: "${each.value.key_id}" });
    publicKey.overrideLogicalId("oauth_signing");
    publicKey.addOverride("for_each", "${aws_kms_key.oauth_signing}");
    const keyArns = Token.asList(ref(`[for g in ${keys} : aws_kms_key.oauth_signing[g].arn]`, TerraformStack.of(this)));
    const signingKeyArn = hcl(SIGNING_KEY_ARN);
    const keysLocal = new TerraformLocal(
      this,
      "oauth_public_keys",
      `\${jsonencode([for g in ${keys} : { kid = aws_kms_key.oauth_signing[g].key_id, alg = "RS256", pem = data.aws_kms_public_key.oauth_signing[g].public_key_pem }])}`,
    );
    keysLocal.overrideLogicalId("oauth_public_keys");
    this.publicKeys = keysLocal.asString;

    // ---- Pre-registered confidential clients: a generated secret each, stored hashed ----
    const secrets = new DataResource(this, "client-secret", {
      input: Fn.sensitive(Fn.join("", [Fn.uuid(), Fn.uuid()])),
      lifecycle: { ignoreChanges: ["input"] },
    });
    stableName(secrets as never, "oauth_client_secret");
    secrets.addOverride("for_each", "${{ for id, c in local.oauth.clients : id => c if c.confidential && local.oauth.enabled }}");
    const staticClients = hcl(
      "jsonencode([for id, c in local.oauth.clients : { for k, v in { client_id = id, client_name = c.client_name, redirect_uris = c.redirect_uris, skip_consent = c.skip_consent, " +
        'secret_sha256 = try(replace(replace(trimsuffix(base64sha256(terraform_data.oauth_client_secret[id].output), "="), "+", "-"), "/", "_"), null) } : k => v if v != null }])',
    );

    // ---- The Cognito side: one confidential app client with one callback ----
    const poolId = hcl('local.oauth.external_pool_id != null ? local.oauth.external_pool_id : try(aws_cognito_user_pool.this[0].id, "")');
    this.client = stableName(
      new CognitoUserPoolClient(this, "client", {
        count,
        name: join(props.baseName, "-interactive"),
        userPoolId: poolId,
        generateSecret: true,
        allowedOauthFlows: ["code"],
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthScopes: [...OAUTH_UPSTREAM_SCOPES],
        callbackUrls: [this.callbackUrl],
        supportedIdentityProviders: Token.asList(
          ref('concat(["COGNITO"], local.oauth.identity_provider == null ? [] : [local.oauth.identity_provider])', TerraformStack.of(this)),
        ),
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        writeAttributes: CLIENT_WRITE_ATTRIBUTES,
        accessTokenValidity: UPSTREAM_TOKEN_MINUTES,
        idTokenValidity: UPSTREAM_TOKEN_MINUTES,
        // The grant never outlives the Cognito refresh token it re-checks on every refresh.
        refreshTokenValidity: p.oauthRefreshTokenTtlDays,
        tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
        enableTokenRevocation: true,
        preventUserExistenceErrors: "ENABLED",
      }),
      "interactive",
    );
    const upstreamBase = hcl(
      "local.oauth.external_pool_id != null ? " +
        '(strcontains(coalesce(local.oauth.pool_domain, "-"), ".") ? format("https://%s", local.oauth.pool_domain) : format("https://%s.auth.%s.amazoncognito.com", coalesce(local.oauth.pool_domain, "-"), split("_", local.oauth.external_pool_id)[0])) : ' +
        'try(format("https://%s.auth.%s.amazoncognito.com", aws_cognito_user_pool_domain.this[0].domain, split("_", aws_cognito_user_pool.this[0].id)[0]), "")',
    );

    const tableName = firstInstanceAttr(this.table.table, "name");
    const common = {
      OAUTH_ISSUER: props.issuer,
      OAUTH_RESOURCE: props.resource,
      OAUTH_SCOPES: MCP_INVOKE_SCOPE,
      OAUTH_GROUP_SCOPES: Token.asString(Fn.jsonencode(p.oauthGroupScopes as Record<string, string[]>)),
      OAUTH_ACCESS_TOKEN_TTL_SECONDS: numberText(p.oauthAccessTokenTtlSeconds),
      OAUTH_REFRESH_TOKEN_TTL_SECONDS: hcl("tostring(local.oauth.refresh_token_ttl_days * 86400)"),
      OAUTH_DCR_MODE: p.oauthDcrMode,
      OAUTH_DCR_MAX_PER_HOUR: numberText(p.oauthDcrMaxRegistrationsPerHour),
      OAUTH_DCR_CLIENT_TTL_SECONDS: hcl("tostring(local.oauth.dcr_client_ttl_days * 86400)"),
      OAUTH_CIMD_MODE: p.oauthCimdMode,
      OAUTH_CIMD_ALLOWED_HOSTS: isToken(p.oauthCimdAllowedHosts)
        ? Fn.join(",", p.oauthCimdAllowedHosts)
        : p.oauthCimdAllowedHosts.join(","),
      OAUTH_ALLOWED_REDIRECT_URIS: Token.asString(Fn.jsonencode(p.oauthAllowedRedirectUris)),
      OAUTH_STATIC_CLIENTS: staticClients,
      OAUTH_UPSTREAM_ISSUER: props.auth.issuer,
      OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: join(upstreamBase, "/oauth2/authorize"),
      OAUTH_UPSTREAM_TOKEN_ENDPOINT: join(upstreamBase, "/oauth2/token"),
      OAUTH_UPSTREAM_JWKS_URI: join(props.auth.issuer, "/.well-known/jwks.json"),
      OAUTH_UPSTREAM_CLIENT_ID: firstInstanceAttr(this.client, "id"),
      OAUTH_UPSTREAM_IDENTITY_PROVIDER: hcl('local.oauth.identity_provider == null ? "" : local.oauth.identity_provider'),
      OAUTH_TENANT_ATTRIBUTE: p.oauthTenantAttribute,
      OAUTH_PUBLIC_KEYS: this.publicKeys,
      OAUTH_TABLE_NAME: tableName,
      MCP_ORIGIN_VERIFY_SECRET: props.originVerifySecret,
    };

    const tableArn = firstInstanceAttr(this.table.table, "arn");
    const items = (sid: string, prefixes: readonly string[]): PolicyStatement => ({
      // Item reads and writes of this table, only on items whose partition key has one of the
      // function's prefixes; the Null guard refuses requests without a key (ForAllValues alone
      // would pass them).
      Sid: sid,
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      Resource: tableArn,
      Condition: {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": prefixes.map((x) => `${x}*`) },
        Null: { "dynamodb:LeadingKeys": "false" },
      },
    });
    const fn = (kind: "front" | "token") => ({
      server: p,
      functionName: join(props.baseName, `-oauth-${kind}`),
      // At most 9 characters: the longest default prefix is 55 and role names 64.
      roleName: join(props.iamPrefix, `-oa-${kind}`),
      address: `oauth_${kind}`,
      roleAddress: `oauth_${kind}`,
      count,
      command: [`oauth.${kind}Handler`],
      memorySize: OAUTH_MEMORY_MB,
      timeout: OAUTH_TIMEOUT_SECONDS,
      reservedConcurrentExecutions: -1,
      tags: props.tags,
    });
    this.front = new McpFunction(this, "front", {
      ...fn("front"),
      description: `Authorization server of ${p.name} (${p.environment}): discovery, /authorize, /register, consent`,
      environment: moduleEnvironment("oauth-front", common),
      statements: [{ when: true, statements: [items("OAuthTableItems", OAUTH_FRONT_PREFIXES)] }],
    });
    this.token = new McpFunction(this, "token", {
      ...fn("token"),
      description: `Authorization server of ${p.name} (${p.environment}): /oauth/callback, /token, /revoke`,
      environment: moduleEnvironment("oauth-token", {
        ...common,
        OAUTH_UPSTREAM_CLIENT_SECRET: firstInstanceAttr(this.client, "client_secret"),
        OAUTH_SIGNING_KEY_ID: signingKeyArn,
      }),
      statements: [
        {
          when: true,
          statements: [
            items("OAuthTableItems", OAUTH_TOKEN_PREFIXES),
            {
              // A user's grants (revocation), through the keys-only index, by subject only.
              Sid: "OAuthGrantsBySubject",
              Effect: "Allow",
              Action: ["dynamodb:Query"],
              Resource: join(tableArn, "/index/by_subject"),
              Condition: {
                "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${PREFIX.subject}*`] },
                Null: { "dynamodb:LeadingKeys": "false" },
              },
            },
            {
              // Only the signing keys, only signing and reading their public halves.
              Sid: "SignAccessTokens",
              Effect: "Allow",
              Action: ["kms:Sign", "kms:GetPublicKey"],
              Resource: keyArns,
            },
          ],
        },
      ],
    });
    // The key policy names the token role: only it may sign, and only with RS256.
    signingKey.addOverride(
      "policy",
      Token.asString(
        Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountAdministration",
              Effect: "Allow",
              Principal: { AWS: props.accountRoot },
              Action: SIGNING_KEY_ADMIN_ACTIONS,
              Resource: "*",
            },
            {
              Sid: "TokenFunctionSigns",
              Effect: "Allow",
              Principal: { AWS: firstInstanceAttr(this.token.role, "arn") },
              Action: ["kms:Sign"],
              Resource: "*",
              Condition: { StringEquals: { "kms:SigningAlgorithm": SIGNING_ALGORITHM } },
            },
            {
              Sid: "TokenFunctionReadsPublicKey",
              Effect: "Allow",
              Principal: { AWS: firstInstanceAttr(this.token.role, "arn") },
              Action: ["kms:GetPublicKey", "kms:DescribeKey"],
              Resource: "*",
            },
          ],
        }),
      ),
    );

    // ---- Routes: the API's, without an authorizer ----
    const routeTable = new TerraformLocal(
      this,
      "oauth_route_table",
      Object.fromEntries(
        (["front", "token"] as const).flatMap((kind) =>
          OAUTH_ROUTE_KEYS[kind].map((key) => {
            const [method, path] = key.split(" ") as [string, string];
            return [key, { function: kind, method, path, sid: `${method}${path.replace(/[^A-Za-z0-9]+/g, "-")}`.replace(/-$/, "") }];
          }),
        ),
      ),
    );
    routeTable.overrideLogicalId("oauth_route_table");
    const routesLocal = new TerraformLocal(
      this,
      "oauth_routes",
      "${{ for k, v in local.oauth_route_table : k => v if local.oauth.enabled }}",
    );
    routesLocal.overrideLogicalId("oauth_routes");
    const integration = stableName(
      new Apigatewayv2Integration(this, "integration", {
        apiId: props.api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: hcl(
          'each.key == "front" ? aws_lambda_function.oauth_front[0].invoke_arn : aws_lambda_function.oauth_token[0].invoke_arn',
        ),
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: MAX_INTEGRATION_TIMEOUT_SECONDS * 1000,
      }),
      "oauth",
    );
    integration.addOverride("for_each", '${toset(local.oauth.enabled ? ["front", "token"] : [])}');
    const routes = TerraformIterator.fromMap(Token.asAnyMap(routesLocal.expression));
    const route = stableName(
      new Apigatewayv2Route(this, "route", {
        forEach: routes,
        apiId: props.api.id,
        routeKey: routes.key,
        target: join("integrations/", hcl("aws_apigatewayv2_integration.oauth[each.value.function].id")),
        authorizationType: "NONE",
      }),
      "oauth",
    );
    // Route settings for a route that does not exist yet fail with NotFoundException.
    props.stage.dependsOn = [...(props.stage.dependsOn ?? []), dependable(route)];
    stableName(
      new LambdaPermission(this, "permission", {
        forEach: routes,
        statementId: join("AllowApiGateway-", routes.getString("sid")),
        action: "lambda:InvokeFunction",
        functionName: hcl(
          'each.value.function == "front" ? aws_lambda_function.oauth_front[0].function_name : aws_lambda_function.oauth_token[0].function_name',
        ),
        principal: "apigateway.amazonaws.com",
        sourceArn: `${props.api.executionArn}/*/${routes.getString("method")}${routes.getString("path")}`,
      }),
      "oauth",
    );
  }

  /** `<issuer>/oauth/callback`: the Cognito app client's only callback. */
  get callbackUrl(): string {
    return join(this.issuer, AUTHORIZATION_SERVER_PATHS.callback);
  }

  /** A URL under the issuer, or null without interactive sign-in. */
  url(path: string): string {
    return ifElse(this.enabled, join(this.issuer, path), nullOutput() as string);
  }

  get signingKeyArn(): string {
    return Token.asString(ref(SIGNING_KEY_ARN, TerraformStack.of(this)));
  }
}

/** A number prop as an environment value. */
function numberText(value: number): string {
  return isToken(value) ? Token.asString(value) : String(value);
}

/** Literal `oauth_clients` props in the variable's shape. */
function clientsVariable(clients: Record<string, OAuthClientProps>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(clients ?? {}).map(([id, c]) => [
      id,
      {
        client_name: c.clientName,
        redirect_uris: c.redirectUris,
        confidential: c.confidential ?? false,
        skip_consent: c.skipConsent ?? false,
      },
    ]),
  );
}

/**
 * `one([])`: null as an expression, for outputs that are null without interactive sign-in (a literal
 * JSON null would leave a per-environment stack's output without a value).
 */
export function nullOutput(): string {
  return Token.asString(Fn.one([]));
}
