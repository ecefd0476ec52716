import { Fn, Lazy, Op, TerraformStack, Token } from "cdktf";
import { ENV, moduleEnvironment, PATHS, TENANT_ID } from "../../container/src/contract/index.js";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { countIf, ifElse, isNull, isToken, join, local, mergeMaps, optionalAttr, type Bool } from "../lib/expr.js";
import { currentRegion, iamNamePrefix, naming } from "../lib/naming.js";
import { McpCustomDomain } from "./domain.js";
import { MAX_BODY_BYTES } from "../lib/body-limit.js";
import { McpAlarms } from "./alarms.js";
import { McpAuth, MCP_INVOKE_SCOPE } from "./auth.js";
import { McpEcrRepository } from "./ecr.js";
import { McpEdge } from "./edge.js";
import { McpFunction } from "./function.js";
import { McpHttpApi } from "./http-api.js";
import { CLOUDFRONT_ACCESS_LOG_CHECK, MCP_SERVER_CROSS_CHECKS, MCP_SERVER_INPUTS, type ResolvedMcpServerProps } from "./inputs.js";
import { validateLiteralProps, withDefaults } from "../lib/module-spec.js";
import type { McpServerProps } from "./props.js";
import { McpSessionTable } from "./sessions.js";
import { McpTenants } from "./tenants.js";
import { McpToolCache } from "./tool-cache.js";
import { McpOAuth } from "./oauth.js";

/** Memory of the tenant router, MB: it only forwards the event. */
const ROUTER_MEMORY_MB = 256;

/**
 * A remote MCP server on AWS: a container-image Lambda function in a VPC behind an API
 * Gateway v2 HTTP API (`POST`/`GET`/`DELETE /mcp`), Cognito JWT authorization, KMS-encrypted
 * logs, environment and data, X-Ray, throttling, five CloudWatch alarms notifying SNS, and
 * optionally a session table, an ECR repository, per-tenant isolation behind a router function,
 * and CloudFront + WAF in front.
 *
 * The same construct backs the published `mcp_server` module (props are `var.*` tokens) and the
 * per-environment stacks (props are literals). Resource addresses are fixed
 * (`aws_lambda_function.this`), so use one `McpServer` per stack.
 *
 * @throws Error at construction when a literal prop breaks a rule of the module's variables
 *   (the message is the variable's own validation message).
 */
export class McpServer extends Construct {
  readonly props: ResolvedMcpServerProps;
  readonly function: McpFunction;
  /** The non-isolated function that invokes the isolated one with `TenantId`; absent unless isolation is on. */
  readonly router: McpFunction;
  readonly auth: McpAuth;
  /** Tenant directory, machine clients and Cognito triggers; empty unless isolation runs on the module's own pool. */
  readonly tenants: McpTenants;
  readonly httpApi: McpHttpApi;
  readonly alarms: McpAlarms;
  readonly sessions: McpSessionTable;
  readonly toolCache: McpToolCache;
  readonly ecr: McpEcrRepository;
  readonly edge: McpEdge;
  readonly domain: McpCustomDomain;
  /** The authorization server for interactive sign-in; its resources exist only with `enableInteractiveAuth`. */
  readonly oauth: McpOAuth;

  constructor(scope: Construct, id: string, props: McpServerProps) {
    super(scope, id);
    const p = withDefaults(MCP_SERVER_INPUTS, props);
    validateLiteralProps("McpServer", MCP_SERVER_INPUTS, [...MCP_SERVER_CROSS_CHECKS, CLOUDFRONT_ACCESS_LOG_CHECK], p, isToken);
    this.props = p;
    const { prefix: baseName, tags, isProd } = naming(this, p);
    const region = currentRegion(this);
    const iamPrefix = iamNamePrefix(this, baseName, p.iamNamePrefix, region);
    const isolated = p.enableTenantIsolation;

    const account = new DataAwsCallerIdentity(this, "account", {});
    account.overrideLogicalId("current");
    const partition = new DataAwsPartition(this, "partition", {});
    partition.overrideLogicalId("current");

    this.auth = new McpAuth(this, "auth", { server: p, baseName, tags, isProd, accountId: account.accountId });
    this.tenants = new McpTenants(this, "tenants", {
      server: p,
      baseName,
      isProd,
      tags,
      auth: this.auth,
      logLevel: logLevelOf(p.environmentVariables),
      iamPrefix,
    });
    this.auth.acceptClients(this.tenants.machineClientIds);
    if (isToken(this.tenants.enabled)) {
      this.auth.userPool.addOverride("dynamic.lambda_config", {
        for_each: ifElse(this.tenants.enabled, [1], []),
        content: this.tenants.lambdaConfig(),
      });
    } else if (this.tenants.enabled === true) {
      this.auth.userPool.addOverride("lambda_config", this.tenants.lambdaConfig());
    }
    this.sessions = new McpSessionTable(this, "sessions", {
      enabled: p.enableSessionTable,
      tenantIsolation: isolated,
      kmsKeyArn: p.kmsKeyArn,
      baseName,
      isProd,
      tags,
    });
    this.toolCache = new McpToolCache(this, "tool-cache", { enabled: p.enableToolCache, kmsKeyArn: p.kmsKeyArn, baseName, isProd, tags });
    this.ecr = new McpEcrRepository(this, "ecr", {
      enabled: p.enableEcrRepository,
      name: baseName,
      imageTagMutability: p.ecrImageTagMutability,
      scanOnPush: p.ecrScanOnPush,
      kmsKeyArn: p.kmsKeyArn,
      accountId: account.accountId,
      partition: partition.partition,
      tags,
    });

    // The API must exist before the function's environment can name its public URL; the API
    // itself depends on nothing here, so there is no cycle.
    this.httpApi = new McpHttpApi(this, "http-api", {
      server: p,
      baseName,
      tags,
      target: {
        invokeArn: Lazy.stringValue({ produce: () => this.target.invokeArn }),
        functionName: Lazy.stringValue({ produce: () => this.target.functionName }),
      },
      auth: this.auth,
    });
    this.edge = new McpEdge(this, "edge", {
      wafAclArn: p.wafAclArn,
      enableWaf: p.enableWaf,
      baseName,
      apiEndpoint: this.httpApi.endpoint,
      domainName: p.domainName,
      certificateArn: p.certificateArn,
      accessLogs: p.enableCloudfrontAccessLogs,
      accessLogDestinationArn: p.cloudfrontAccessLogDestinationArn,
      region,
      tags,
    });
    this.domain = new McpCustomDomain(this, "domain", {
      domainName: p.domainName,
      certificateArn: p.certificateArn,
      route53ZoneId: p.route53ZoneId,
      edgeEnabled: this.edge.enabled,
      apiId: this.httpApi.api.id,
      stageId: this.httpApi.stage.id,
      distributionDomainName: this.edge.domainName,
      distributionZoneId: optionalAttr(this.edge.distribution, "hosted_zone_id"),
      region,
      tags,
    });
    warnOnDefaultCertificate(this, this.edge.enabled, this.domain.enabled);

    this.oauth = new McpOAuth(this, "oauth", {
      server: p,
      baseName,
      iamPrefix,
      isProd,
      tags,
      auth: this.auth,
      issuer: this.publicBaseUrl,
      resource: this.mcpEndpointUrl,
      api: { id: this.httpApi.api.id, executionArn: this.httpApi.api.executionArn },
      stage: this.httpApi.stage,
      originVerifySecret: this.edge.originVerifySecret,
      accountRoot: join("arn:", partition.partition, ":iam::", account.accountId, ":root"),
    });
    warnOnBrowserOAuthClients(this, p.enableInteractiveAuth, p.corsAllowedOrigins);

    const functionEnvironment = moduleEnvironment("mcp", {
      MCP_SERVER_NAME: p.name,
      MCP_ENVIRONMENT: p.environment,
      MCP_RESOURCE_URL: this.mcpEndpointUrl,
      MCP_AUTH_ENABLED: ifElse(p.enableAuth, "true", "false"),
      MCP_JWT_ISSUER: this.auth.issuer,
      MCP_JWT_CLIENT_IDS: Fn.join(",", this.auth.clientIds),
      MCP_JWT_REQUIRED_SCOPE: ifElse(p.enableAuth, MCP_INVOKE_SCOPE, ""),
      // The authorization server's tokens are verified with its public keys inline: no JWKS fetch,
      // no DynamoDB or KMS call per request.
      MCP_OAUTH_ISSUER: ifElse(p.enableInteractiveAuth, this.publicBaseUrl, ""),
      MCP_OAUTH_PUBLIC_KEYS: ifElse(p.enableInteractiveAuth, this.oauth.publicKeys, ""),
      MCP_TENANT_ISOLATION: ifElse(isolated, "true", "false"),
      MCP_TENANT_CLAIM: TENANT_ID,
      MCP_SESSION_TABLE_NAME: this.sessions.nameOrEmpty,
      MCP_SESSION_TTL_SECONDS: isToken(p.sessionTtlSeconds) ? Token.asString(p.sessionTtlSeconds) : String(p.sessionTtlSeconds),
      MCP_ORIGIN_VERIFY_SECRET: this.edge.originVerifySecret,
      MCP_TOOL_CACHE_TABLE_NAME: this.toolCache.nameOrEmpty,
      MCP_TOOL_CACHE_TTL_SECONDS: isToken(p.toolCacheTtlSeconds) ? Token.asString(p.toolCacheTtlSeconds) : String(p.toolCacheTtlSeconds),
      // Browser origins the function accepts (MCP Streamable HTTP: validate Origin): the same
      // list as the API's CORS configuration.
      MCP_ALLOWED_ORIGINS: allowedOrigins(p.corsAllowedOrigins),
      // The same limit mcp_waf enforces at the edge (one value: src/lib/body-limit.ts).
      MCP_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    });

    this.function = new McpFunction(this, "function", {
      server: p,
      functionName: baseName,
      roleName: join(iamPrefix, "-lambda"),
      description: `MCP server ${p.name} (${p.environment})`,
      address: "this",
      roleAddress: "lambda",
      environment: local(this, "function_environment", mergeMaps(p.environmentVariables, functionEnvironment)),
      statements: [
        { when: p.enableSessionTable, statements: this.sessions.statements },
        { when: p.enableToolCache, statements: this.toolCache.statements },
      ],
      tenancyConfig: isToken(isolated) ? undefined : isolated ? { tenantIsolationMode: "PER_TENANT" } : undefined,
      tags,
    });
    if (isToken(isolated)) {
      // `tenancy_config` only when isolation is on; the block exists in hashicorp/aws >= 6.23.
      this.function.function.addOverride("dynamic.tenancy_config", {
        for_each: ifElse(isolated, [1], []),
        content: { tenant_isolation_mode: "PER_TENANT" },
      });
    }

    this.router = new McpFunction(this, "router", {
      server: p,
      functionName: join(baseName, "-router"),
      roleName: join(iamPrefix, "-router"),
      description: `Routes ${p.name} (${p.environment}) requests to the tenant-isolated MCP function with the token's tenant`,
      address: "router",
      roleAddress: "router",
      count: countIf(isolated),
      command: ["index.routerHandler"],
      memorySize: ROUTER_MEMORY_MB,
      reservedConcurrentExecutions: p.routerReservedConcurrentExecutions,
      // The router verifies tokens itself, with the function's settings.
      environment: moduleEnvironment("router", {
        MCP_SERVER_NAME: p.name,
        MCP_ENVIRONMENT: p.environment,
        MCP_RESOURCE_URL: this.mcpEndpointUrl,
        MCP_JWT_ISSUER: this.auth.issuer,
        MCP_JWT_CLIENT_IDS: Fn.join(",", this.auth.clientIds),
        MCP_JWT_REQUIRED_SCOPE: MCP_INVOKE_SCOPE,
        MCP_TENANT_CLAIM: TENANT_ID,
        MCP_TARGET_FUNCTION_ARN: this.function.function.arn,
        LOG_LEVEL: logLevelOf(p.environmentVariables),
      }),
      statements: [
        {
          when: true,
          statements: [
            {
              // Only the isolated function (and its versions/aliases); nothing else.
              Sid: "InvokeIsolatedFunction",
              Effect: "Allow",
              Action: ["lambda:InvokeFunction"],
              Resource: [this.function.function.arn, join(this.function.function.arn, ":*")],
            },
          ],
        },
      ],
      tags,
    });

    this.alarms = new McpAlarms(this, "alarms", {
      server: p,
      baseName,
      tags,
      accountId: account.accountId,
      functionName: this.function.function.functionName,
      apiId: this.httpApi.api.id,
      stageName: this.httpApi.stage.name,
    });
  }

  /** What API Gateway invokes: the router when tenant isolation is on, else the MCP function. */
  get target(): { invokeArn: string; functionName: string } {
    const isolated = this.props.enableTenantIsolation;
    return {
      invokeArn: ifElse(isolated, optionalAttr(this.router.function, "invoke_arn"), this.function.function.invokeArn),
      functionName: ifElse(isolated, optionalAttr(this.router.function, "function_name"), this.function.function.functionName),
    };
  }

  /**
   * The URL MCP clients connect to, plus `/mcp`: the custom domain when set, else CloudFront's
   * with WAF, else the API's. It is also the RFC 9728 `resource` the function advertises.
   */
  get mcpEndpointUrl(): string {
    return join(this.publicBaseUrl, PATHS.mcp);
  }

  /**
   * The public origin (no path): `public_base_url` when given, else the custom domain, CloudFront's
   * domain with WAF, or the API's. It is the OAuth issuer with interactive sign-in.
   */
  get publicBaseUrl(): string {
    this.baseUrl ??= this.derivePublicBaseUrl();
    return this.baseUrl;
  }
  private baseUrl: string | undefined;

  private derivePublicBaseUrl(): string {
    const derived = ifElse(
      this.domain.enabled,
      join("https://", this.props.domainName as string),
      ifElse(this.edge.enabled, join("https://", this.edge.domainName), this.httpApi.endpoint),
    );
    const given = this.props.publicBaseUrl;
    if (given === undefined || given === null) return derived;
    return isToken(given) ? local(this, "public_base_url", ifElse(isNull(given), derived, given)) : given;
  }
}

/**
 * The router's `LOG_LEVEL`: the one the user gives the MCP function in `environment_variables`
 * (`LOG_LEVEL`, else `POWERTOOLS_LOG_LEVEL`), else the function's default, so both log alike.
 */
function logLevelOf(environmentVariables: Record<string, string>): string {
  const fallback = ENV.LOG_LEVEL.default;
  if (!isToken(environmentVariables)) return environmentVariables.LOG_LEVEL ?? environmentVariables.POWERTOOLS_LOG_LEVEL ?? fallback;
  return Fn.lookup(environmentVariables, "LOG_LEVEL", Fn.lookup(environmentVariables, "POWERTOOLS_LOG_LEVEL", fallback));
}

/** `cors_allowed_origins`, comma-separated, for `MCP_ALLOWED_ORIGINS`. */
function allowedOrigins(origins: string[]): string {
  return isToken(origins) ? Fn.join(",", origins) : origins.join(",");
}

/**
 * CloudFront's default `*.cloudfront.net` certificate lets viewers negotiate TLS 1.0 and 1.1;
 * only a custom domain sets TLSv1.2_2021. A `check` block says so at every plan (a warning, not
 * an error); with literal props the stack warns at synth instead.
 */
function warnOnDefaultCertificate(scope: Construct, edge: Bool, domain: Bool): void {
  const message =
    "CloudFront fronts the API with its default *.cloudfront.net certificate, whose minimum viewer protocol is TLSv1: clients may negotiate TLS 1.0 or 1.1. Set domain_name and certificate_arn (us-east-1) for TLSv1.2_2021 (FedRAMP SC-8).";
  if (!isToken(edge) && !isToken(domain)) {
    if (edge && !domain) console.warn(`McpServer: ${message}`);
    return;
  }
  TerraformStack.of(scope).addOverride("check.viewer_tls", {
    assert: [{ condition: `\${${Token.asString(Op.or(Op.not(edge), domain))}}`, error_message: message }],
  });
}

/**
 * API Gateway answers CORS for the whole API from `cors_allowed_origins`, so a browser-based OAuth
 * client (the MCP Inspector in direct mode) reaches `/register` and `/token` only from a listed
 * origin. A `check` block says so at every plan when interactive sign-in is on and the list is empty
 * (a warning; CLI and desktop clients send no Origin and are not affected).
 */
function warnOnBrowserOAuthClients(scope: Construct, interactive: Bool, origins: string[]): void {
  const message =
    "enable_interactive_auth is on and cors_allowed_origins is empty: browser-based OAuth clients (the MCP Inspector in direct mode, http://localhost:6274) cannot call /register or /token, because API Gateway answers CORS for the whole API from that list. CLI and desktop clients (Claude Code, VS Code, Cursor) and Claude.ai are not affected; list the origins of browser-based clients you use.";
  if (!isToken(interactive) && !isToken(origins)) {
    if (interactive && origins.length === 0) console.warn(`McpServer: ${message}`);
    return;
  }
  TerraformStack.of(scope).addOverride("check.browser_oauth_clients", {
    assert: [
      {
        condition: `\${${Token.asString(Op.or(Op.not(interactive), Op.gte(Fn.lengthOf(origins), 1)))}}`,
        error_message: message,
      },
    ],
  });
}
