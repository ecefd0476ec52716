import { Fn, Op, Token } from "cdktf";
import { Construct } from "constructs";
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server/index.js";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool/index.js";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client/index.js";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain/index.js";
import {
  and,
  countIf,
  firstInstanceAttr,
  ifElse,
  isNotNull,
  isNull,
  isToken,
  join,
  local,
  optionalAttr,
  stableName,
  type Bool,
} from "../lib/expr.js";
import type { ResolvedMcpServerProps } from "./inputs.js";
import { MCP_INVOKE_SCOPE, TENANT_ID } from "../../container/src/contract/index.js";
import { defined } from "../lib/defined.js";

/**
 * Attributes the module's app clients may write (Cognito lets a client write every attribute when
 * `write_attributes` is unset): never `custom:tenant_id`, which only the post confirmation trigger and
 * administrators set.
 */
export const CLIENT_WRITE_ATTRIBUTES = ["email", "name"];

/** Resource server identifier and scope: every `/mcp` route requires `mcp/invoke`. */
export const MCP_RESOURCE_SERVER = MCP_INVOKE_SCOPE.split("/")[0]!;
export { MCP_INVOKE_SCOPE };

/** Lifetime of access tokens the module's app client issues, minutes. */
const ACCESS_TOKEN_MINUTES = 60;

export interface McpAuthProps {
  /** The server props this part reads (defaults applied). */
  readonly server: Pick<
    ResolvedMcpServerProps,
    | "cognitoClientId"
    | "cognitoMfaConfiguration"
    | "cognitoUserPoolEndpoint"
    | "cognitoUserPoolId"
    | "enableAuth"
    | "enableGatewayAuthorizer"
    | "enableTenantIsolation"
  >;
  readonly baseName: string;
  readonly tags: Record<string, string>;
  /** `environment == "prod"`: the user pool gets deletion protection. */
  readonly isProd: Bool;
  /** Account id, to keep the Cognito domain prefix unique. */
  readonly accountId: string;
}

/**
 * The authorization server side of the MCP endpoint (FedRAMP IA-2/IA-8): with
 * `enableAuth` and no external pool, a Cognito user pool with a domain, a resource server
 * with scope `mcp/invoke` and an app client for the `client_credentials` grant; with an
 * external pool, nothing but the issuer and audience the JWT authorizer needs.
 *
 * Cognito access tokens carry `client_id`, not `aud`; API Gateway's JWT authorizer falls back
 * to `client_id` when `aud` is absent (API Gateway guide, http-api-troubleshooting-jwt), so the
 * authorizer's audience is the app client id.
 */
export class McpAuth extends Construct {
  /** Whether `/mcp` requests must carry a valid JWT (verified by the function, at least). */
  readonly enabled: Bool;
  /** Whether API Gateway's JWT authorizer also guards the `/mcp` routes. */
  readonly gatewayAuthorizer: Bool;
  /** Whether this module creates the user pool (auth on, no external pool). */
  readonly createsUserPool: Bool;
  /**
   * Whether the module's pool gets the tenant triggers (tenant isolation with the module's own pool):
   * the Essentials feature plan, the `custom:tenant_id` attribute and `lambda_config`.
   */
  readonly tenantTriggers: Bool;
  /** JWT issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`; "" when auth is off. */
  readonly issuer: string;
  /** App client id accepted as audience (`client_id` claim); "" when auth is off. */
  readonly audience: string;

  readonly userPool: CognitoUserPool;
  readonly resourceServer: CognitoResourceServer;
  readonly client: CognitoUserPoolClient;
  readonly domain: CognitoUserPoolDomain;

  constructor(scope: Construct, id: string, props: McpAuthProps) {
    super(scope, id);
    const p = props.server;
    this.enabled = p.enableAuth;
    this.gatewayAuthorizer = local(this, "gateway_authorizer", and(p.enableAuth, p.enableGatewayAuthorizer));
    const external = isNotNull(p.cognitoUserPoolId);
    this.createsUserPool = local(this, "create_user_pool", and(p.enableAuth, isNull(p.cognitoUserPoolId)));
    const count = countIf(this.createsUserPool);
    this.tenantTriggers = local(this, "tenant_triggers", and(this.createsUserPool, p.enableTenantIsolation));

    this.userPool = stableName(
      new CognitoUserPool(
        this,
        "user-pool",
        defined({
          count,
          name: props.baseName,
          // Machine-to-machine only: nobody signs up; clients use the client_credentials grant.
          adminCreateUserConfig: { allowAdminCreateUserOnly: true },
          passwordPolicy: {
            minimumLength: 14,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
            temporaryPasswordValidityDays: 1,
          },
          // TOTP authenticator apps when MFA is on or optional (FedRAMP IA-2(1)); no SMS.
          mfaConfiguration: p.cognitoMfaConfiguration,
          softwareTokenMfaConfiguration: {
            enabled: isToken(p.cognitoMfaConfiguration)
              ? (Op.neq(p.cognitoMfaConfiguration, "OFF") as never)
              : p.cognitoMfaConfiguration !== "OFF",
          },
          // Access token customisation (pre token generation V2_0/V3_0) needs the Essentials (or Plus)
          // feature plan (Cognito developer guide, "Pre token generation Lambda trigger").
          userPoolTier: ifElse<string | undefined>(this.tenantTriggers, "ESSENTIALS", undefined),
          deletionProtection: ifElse(props.isProd, "ACTIVE", "INACTIVE"),
          tags: props.tags,
        }),
      ),
      "this",
    );
    // The tenant of a user: a custom attribute no app client may write (CLIENT_WRITE_ATTRIBUTES).
    const tenantAttribute = {
      name: TENANT_ID,
      attribute_data_type: "String",
      mutable: true,
      developer_only_attribute: false,
      required: false,
      string_attribute_constraints: { min_length: "1", max_length: "128" },
    };
    if (isToken(this.tenantTriggers)) {
      this.userPool.addOverride("dynamic.schema", { for_each: ifElse(this.tenantTriggers, [1], []), content: tenantAttribute });
    } else if (this.tenantTriggers === true) {
      this.userPool.addOverride("schema", [tenantAttribute]);
    }

    // Domain prefixes are global per Region: the account id keeps them unique. Cognito refuses
    // prefixes containing "aws", "amazon" or "cognito".
    const domainPrefix = join(props.baseName, "-", props.accountId);
    if (!isToken(props.baseName) && /aws|amazon|cognito/.test(props.baseName) && this.createsUserPool === true) {
      throw new Error(
        `name/environment "${props.baseName}" would put "aws", "amazon" or "cognito" in the Cognito domain prefix, which Cognito refuses: choose another name, or use an external user pool.`,
      );
    }
    this.domain = stableName(
      new CognitoUserPoolDomain(
        this,
        "domain",
        defined({
          count,
          domain: domainPrefix,
          userPoolId: firstInstanceAttr(this.userPool, "id"),
          // A literal name was checked above; Terraform refuses a condition that refers to nothing.
          lifecycle: isToken(props.baseName)
            ? {
                precondition: [
                  {
                    condition: Op.not(Fn.can(Fn.regex("aws|amazon|cognito", props.baseName))),
                    errorMessage:
                      'The Cognito domain prefix "<name>-<environment>-<account id>" must not contain "aws", "amazon" or "cognito": choose another name, or use an external user pool.',
                  },
                ],
              }
            : undefined,
        }),
      ),
      "this",
    );

    const resourceServer = (this.resourceServer = stableName(
      new CognitoResourceServer(this, "resource-server", {
        count,
        identifier: MCP_RESOURCE_SERVER,
        name: `${props.baseName} MCP server`,
        userPoolId: firstInstanceAttr(this.userPool, "id"),
        scope: [{ scopeName: "invoke", scopeDescription: "Call the MCP server's /mcp endpoint" }],
      }),
      "this",
    ));

    this.client = stableName(
      new CognitoUserPoolClient(this, "client", {
        count,
        name: `${props.baseName}-m2m`,
        userPoolId: firstInstanceAttr(this.userPool, "id"),
        generateSecret: true,
        allowedOauthFlows: ["client_credentials"],
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthScopes: [MCP_INVOKE_SCOPE],
        supportedIdentityProviders: ["COGNITO"],
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        writeAttributes: CLIENT_WRITE_ATTRIBUTES,
        accessTokenValidity: ACCESS_TOKEN_MINUTES,
        tokenValidityUnits: [{ accessToken: "minutes" }],
        enableTokenRevocation: true,
        preventUserExistenceErrors: "ENABLED",
        // The scope exists only once the resource server does.
        dependsOn: [resourceServer],
      }),
      "this",
    );

    // Null-safe on purpose: with a half-set external pool the precondition on the function must
    // be the only error Terraform reports.
    const endpoint = ifElse(external, trimHttps(orEmpty(p.cognitoUserPoolEndpoint)), optionalAttr(this.userPool, "endpoint"));
    this.issuer = local(this, "jwt_issuer", ifElse(p.enableAuth, join("https://", endpoint), ""));
    this.audience = local(
      this,
      "jwt_audience",
      ifElse(p.enableAuth, ifElse(external, orEmpty(p.cognitoClientId), optionalAttr(this.client, "id")), ""),
    );
  }

  private extraClientIds: string[] = [];

  /** Adds app clients whose tokens are accepted too (the tenants' machine clients). */
  acceptClients(ids: string[]): void {
    this.extraClientIds = ids;
  }

  /**
   * Every client id whose tokens the function, the router and the gateway authorizer accept: the
   * module's (or the external) app client and the tenants' machine clients; empty when auth is off.
   */
  get clientIds(): string[] {
    return Token.asList(Fn.compact(Fn.concat([[this.audience], this.extraClientIds])));
  }

  /** The module's own pool only (null when auth is off or the pool is external), as the outputs report it. */
  get userPoolId(): string {
    return optionalAttr(this.userPool, "id");
  }
  get clientId(): string {
    return optionalAttr(this.client, "id");
  }
  get clientSecret(): string {
    return optionalAttr(this.client, "client_secret");
  }
  /** `cognito-idp.<region>.amazonaws.com/<pool id>` of the pool in use; null when auth is off. */
  get userPoolEndpoint(): string {
    return ifElse(this.enabled, Fn.trimprefix(this.issuer, "https://"), undefined as unknown as string);
  }
  /**
   * OAuth 2.0 token endpoint of the module's pool (Cognito guide, token-endpoint), for the
   * `client_credentials` grant; null when auth is off or the pool is external. The Region is
   * the user pool id's prefix.
   */
  get tokenEndpoint(): string {
    const domain = optionalAttr(this.domain, "domain");
    const poolId = this.userPoolId;
    return ifElse(
      this.createsUserPool,
      Token.asString(Fn.format("https://%s.auth.%s.amazoncognito.com/oauth2/token", [domain, Fn.element(Fn.split("_", poolId), 0)])),
      undefined as unknown as string,
    );
  }
}

/** `""` for an unset value, so string functions never see `null`. */
function orEmpty(value: string | undefined): string {
  return ifElse(isNull(value), "", value as string);
}

function trimHttps(value: string): string {
  return isToken(value) ? Fn.trimprefix(value, "https://") : value.replace(/^https:\/\//, "");
}
