/**
 * The wire contract holds on both sides: every variable a module sets is accepted by the loader of
 * the function that reads it at the module's boundaries (minimum, maximum, default) and refused just
 * outside them, and each function's environment in the published module is exactly what the
 * contract says the module sets, all of it read by that function's loader.
 */
import { MAX_BODY_BYTES } from "../../src/lib/body-limit.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { ENV, envReadBy, envSetByModule, type EnvName, type EnvVar, type FunctionKind } from "../../container/src/contract/index.js";
import { ConfigError, ENV_NAMES, loadConfig } from "../../container/src/config.js";
import { loadRouterConfig, ROUTER_ENV_NAMES } from "../../container/src/tenant-router/config.js";
import type { ModuleInput } from "../../src/lib/module-spec.js";
import { MCP_SERVER_INPUTS } from "../../src/mcp-server/inputs.js";
import { McpServer } from "../../src/mcp-server/mcp-server.js";
import { MCP_SERVER_MODULE } from "../../src/mcp-server/module.js";
import type { McpServerProps } from "../../src/mcp-server/props.js";
import { TVM_INPUTS } from "../../src/mcp-token-vending-machine/inputs.js";
import { REPO } from "../terraform/paths.js";
import { loadTriggerConfig, TRIGGER_ENV_NAMES } from "../../handlers/tenants/lambda.js";
import { loadOAuthSettings, OAuthConfigError } from "../../handlers/oauth/src/core/config.js";
import { OAUTH_LAMBDA_ENV_NAMES } from "../../handlers/oauth/src/lambda.js";
import { MOCK_PUBLIC_KEY_PEM } from "../../src/publish/mocks.js";

/** A real RSA public key, as data "aws_kms_public_key" gives it. */
const PEM = MOCK_PUBLIC_KEY_PEM;
/** What the authorization server's loader needs besides the variable under test. */
const OAUTH_BASE = {
  OAUTH_ISSUER: "https://abc123.execute-api.us-east-1.amazonaws.com",
  OAUTH_RESOURCE: "https://abc123.execute-api.us-east-1.amazonaws.com/mcp",
  OAUTH_UPSTREAM_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: "https://mcp-tools-dev-123456789012.auth.us-east-1.amazoncognito.com/oauth2/authorize",
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: "https://mcp-tools-dev-123456789012.auth.us-east-1.amazoncognito.com/oauth2/token",
  OAUTH_UPSTREAM_JWKS_URI: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC/.well-known/jwks.json",
  OAUTH_UPSTREAM_CLIENT_ID: "4h5i6j7k8l9m0n1o2p3q4r5s6t",
  OAUTH_PUBLIC_KEYS: JSON.stringify([{ kid: "1234abcd-12ab-44cd-96ef-1234567890ab", alg: "RS256", pem: PEM }]),
  OAUTH_TABLE_NAME: "mcp-tools-dev-oauth",
};

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:mcp-tools-dev";
/** What each loader needs besides the variable under test (the router's one required variable). */
const BASE: Record<FunctionKind, Record<string, string>> = {
  mcp: {},
  router: {
    MCP_TARGET_FUNCTION_ARN: ARN,
    MCP_JWT_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
    MCP_JWT_CLIENT_IDS: "client",
  },
  trigger: { TENANT_DIRECTORY_TABLE_NAME: "mcp-tools-dev-tenants" },
  "oauth-front": OAUTH_BASE,
  "oauth-token": OAUTH_BASE,
};
const LOADERS: Record<FunctionKind, (env: Record<string, string>) => unknown> = {
  mcp: loadConfig,
  router: loadRouterConfig,
  trigger: (env) => loadTriggerConfig("pre-token-generation", env),
  "oauth-front": loadOAuthSettings,
  "oauth-token": loadOAuthSettings,
};
/** Variables only valid together with others (rules across variables of `loadConfig`). */
const TENANT_CONTEXT = {
  MCP_AUTH_ENABLED: "true",
  MCP_JWT_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
  MCP_JWT_CLIENT_IDS: "client",
  MCP_TENANT_ISOLATION: "true",
};
const CONTEXT: Partial<Record<EnvName, Record<string, string>>> = {
  MCP_AUTH_ENABLED: { MCP_JWT_ISSUER: TENANT_CONTEXT.MCP_JWT_ISSUER, MCP_JWT_CLIENT_IDS: TENANT_CONTEXT.MCP_JWT_CLIENT_IDS },
  MCP_TENANT_ISOLATION: TENANT_CONTEXT,
  TVM_TENANT_ROLE_ARN: TENANT_CONTEXT,
  MCP_OAUTH_ISSUER: {
    MCP_AUTH_ENABLED: "true",
    MCP_JWT_ISSUER: TENANT_CONTEXT.MCP_JWT_ISSUER,
    MCP_JWT_CLIENT_IDS: TENANT_CONTEXT.MCP_JWT_CLIENT_IDS,
    MCP_RESOURCE_URL: OAUTH_BASE.OAUTH_RESOURCE,
    MCP_OAUTH_PUBLIC_KEYS: OAUTH_BASE.OAUTH_PUBLIC_KEYS,
  },
};

/**
 * Values the modules send for each non-integer variable they set, and values just outside what the
 * loader accepts. A variable a module sets without an entry here fails the test below.
 */
const SAMPLES: Partial<Record<EnvName, { accepts: string[]; refuses: string[] }>> = {
  MCP_SERVER_NAME: { accepts: ["mcp-tools", "a"], refuses: [] },
  MCP_ENVIRONMENT: { accepts: ["dev", "prod"], refuses: [] },
  MCP_ALLOWED_ORIGINS: { accepts: ["", "https://app.example.com,http://localhost:3000"], refuses: ["app.example.com"] },
  MCP_ORIGIN_VERIFY_SECRET: { accepts: ["", "0123456789abcdef", "x".repeat(64)], refuses: ["0123456789abcde"] },
  MCP_RESOURCE_URL: {
    accepts: ["https://abc123.execute-api.us-east-1.amazonaws.com/mcp", "https://d111.cloudfront.net/mcp"],
    refuses: ["http://example.com/mcp"],
  },
  MCP_AUTH_ENABLED: { accepts: ["true", "false"], refuses: ["yes"] },
  MCP_JWT_ISSUER: {
    accepts: ["", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"],
    refuses: ["cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"],
  },
  MCP_JWT_CLIENT_IDS: { accepts: ["", "1example23456789"], refuses: [] },
  MCP_JWT_REQUIRED_SCOPE: { accepts: ["", "mcp/invoke"], refuses: ["mcp/invoke other"] },
  MCP_TENANT_ISOLATION: { accepts: ["true", "false"], refuses: ["1"] },
  MCP_TENANT_CLAIM: { accepts: ["tenant_id"], refuses: ["tenant id"] },
  MCP_SESSION_TABLE_NAME: { accepts: ["", "mcp-tools-dev-sessions"], refuses: ["ab"] },
  MCP_TOOL_CACHE_TABLE_NAME: { accepts: ["", "mcp-tools-dev-tool-cache"], refuses: ["has space"] },
  MCP_TARGET_FUNCTION_ARN: { accepts: [ARN, `${ARN}:live`], refuses: ["mcp-tools-dev"] },
  LOG_LEVEL: { accepts: ["info", "debug", "ERROR"], refuses: ["verbose"] },
  TVM_TENANT_ROLE_ARN: { accepts: ["arn:aws:iam::123456789012:role/mcp-tenant-mcp-tools-dev"], refuses: ["mcp-tenant"] },
  TENANT_DIRECTORY_TABLE_NAME: { accepts: ["mcp-tools-dev-tenants"], refuses: ["ab", "has space"] },
  TENANT_REQUIRED: { accepts: ["true", "false"], refuses: ["yes"] },
  METERING_TABLE_NAME: { accepts: ["", "mcp-tools-dev-usage"], refuses: ["ab"] },
  MCP_OAUTH_ISSUER: { accepts: ["", "https://abc123.execute-api.us-east-1.amazonaws.com"], refuses: ["http://mcp.example.com"] },
  MCP_OAUTH_PUBLIC_KEYS: { accepts: ["", OAUTH_BASE.OAUTH_PUBLIC_KEYS], refuses: ["[]", '[{"kid":"k1","alg":"HS256","pem":"x"}]'] },
  OAUTH_ISSUER: {
    accepts: ["https://abc123.execute-api.us-east-1.amazonaws.com", "https://mcp.example.com"],
    refuses: ["https://mcp.example.com/", "https://mcp.example.com/mcp", "http://mcp.example.com"],
  },
  OAUTH_RESOURCE: { accepts: ["https://mcp.example.com/mcp"], refuses: ["http://mcp.example.com/mcp"] },
  OAUTH_SCOPES: { accepts: ["mcp/invoke"], refuses: [] },
  OAUTH_GROUP_SCOPES: { accepts: ["{}", '{"admins":["mcp/admin"]}'], refuses: ['{"admins":"mcp/admin"}', "not json"] },
  OAUTH_DCR_MODE: { accepts: ["off", "allowlist", "open"], refuses: ["closed"] },
  OAUTH_CIMD_MODE: { accepts: ["off", "allowlist", "open"], refuses: ["closed"] },
  OAUTH_CIMD_ALLOWED_HOSTS: { accepts: ["claude.ai,vscode.dev", ""], refuses: [] },
  OAUTH_ALLOWED_REDIRECT_URIS: {
    accepts: ['["http://localhost","https://claude.ai/api/mcp/auth_callback"]', "[]"],
    refuses: ["http://localhost"],
  },
  OAUTH_STATIC_CLIENTS: {
    accepts: [
      "[]",
      '[{"client_id":"portal","client_name":"Portal","redirect_uris":["https://p.example.com/cb"],"skip_consent":false,"secret_sha256":"abc"}]',
    ],
    refuses: ['[{"client_id":"portal"}]'],
  },
  OAUTH_UPSTREAM_ISSUER: {
    accepts: ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"],
    refuses: ["cognito-idp.eu-west-1.amazonaws.com"],
  },
  OAUTH_UPSTREAM_AUTHORIZATION_ENDPOINT: { accepts: ["https://auth.example.com/oauth2/authorize"], refuses: ["/oauth2/authorize"] },
  OAUTH_UPSTREAM_TOKEN_ENDPOINT: { accepts: ["https://auth.example.com/oauth2/token"], refuses: ["http://auth.example.com/oauth2/token"] },
  OAUTH_UPSTREAM_JWKS_URI: {
    accepts: ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json"],
    refuses: ["http://example.com/jwks.json"],
  },
  OAUTH_UPSTREAM_CLIENT_ID: { accepts: ["4h5i6j7k8l9m0n1o2p3q4r5s6t"], refuses: [] },
  OAUTH_UPSTREAM_CLIENT_SECRET: { accepts: ["mock-client-secret"], refuses: [] },
  OAUTH_UPSTREAM_IDENTITY_PROVIDER: { accepts: ["", "Okta"], refuses: [] },
  OAUTH_TENANT_ATTRIBUTE: { accepts: ["custom:tenant_id"], refuses: [] },
  OAUTH_PUBLIC_KEYS: { accepts: [OAUTH_BASE.OAUTH_PUBLIC_KEYS], refuses: ["[]", "not json"] },
  OAUTH_SIGNING_KEY_ID: { accepts: ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab"], refuses: [] },
  OAUTH_TABLE_NAME: { accepts: ["mcp-tools-dev-oauth"], refuses: ["ab"] },
};

/**
 * Where a function accepts less than the samples above: the router only runs with tenant isolation,
 * hence with auth, so it needs an issuer and a client id and refuses `""`.
 */
const SAMPLES_FOR: Partial<Record<FunctionKind, typeof SAMPLES>> = {
  // The authorization server's adapter compares the secret as given (handlers/oauth/src/lambda.ts).
  "oauth-front": { MCP_ORIGIN_VERIFY_SECRET: { accepts: ["", "0123456789abcdef", "x".repeat(64)], refuses: [] } },
  "oauth-token": { MCP_ORIGIN_VERIFY_SECRET: { accepts: ["", "0123456789abcdef", "x".repeat(64)], refuses: [] } },
  router: {
    MCP_JWT_ISSUER: {
      accepts: ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"],
      refuses: ["cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"],
    },
    MCP_JWT_CLIENT_IDS: { accepts: ["1example23456789", "a,b"], refuses: [] },
    MCP_JWT_REQUIRED_SCOPE: { accepts: ["mcp/invoke"], refuses: ["mcp/invoke other"] },
  },
};

/** The module variable each integer variable is set from: its validation is the module's range. */
const MODULE_VARIABLE: Partial<Record<EnvName, { inputs: readonly ModuleInput<any>[]; name: string }>> = {
  MCP_SESSION_TTL_SECONDS: { inputs: MCP_SERVER_INPUTS, name: "session_ttl_seconds" },
  MCP_TOOL_CACHE_TTL_SECONDS: { inputs: MCP_SERVER_INPUTS, name: "tool_cache_ttl_seconds" },
  TVM_CREDENTIAL_DURATION_SECONDS: { inputs: TVM_INPUTS, name: "credential_duration_seconds" },
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: { inputs: MCP_SERVER_INPUTS, name: "oauth_access_token_ttl_seconds" },
  OAUTH_DCR_MAX_PER_HOUR: { inputs: MCP_SERVER_INPUTS, name: "oauth_dcr_max_registrations_per_hour" },
};

/**
 * Integer variables the module sets from a variable in another unit (`<variable> x scale`): the
 * module's bounds and default, scaled, are accepted by the loader; its bounds one step out are refused.
 */
const SCALED_MODULE_VARIABLE: Partial<Record<EnvName, { name: string; scale: number }>> = {
  OAUTH_REFRESH_TOKEN_TTL_SECONDS: { name: "oauth_refresh_token_ttl_days", scale: 86400 },
  OAUTH_DCR_CLIENT_TTL_SECONDS: { name: "oauth_dcr_client_ttl_days", scale: 86400 },
};

/** Integer variables the module sets to a fixed value rather than from a variable. */
const MODULE_CONSTANT: Partial<Record<EnvName, number>> = {
  // mcp_waf enforces the same limit at the edge, so it is not a module variable.
  MCP_MAX_BODY_BYTES: MAX_BODY_BYTES,
};

const names = Object.keys(ENV) as EnvName[];
const setByAModule = names.filter((name) => (ENV[name] as EnvVar).setBy !== undefined);

function load(kind: FunctionKind, name: EnvName, value: string): unknown {
  return LOADERS[kind]({ ...BASE[kind], ...(CONTEXT[name] ?? {}), [name]: value });
}

function refusal(kind: FunctionKind, name: EnvName, value: string): string {
  try {
    load(kind, name, value);
  } catch (error) {
    expect(error instanceof ConfigError || error instanceof OAuthConfigError).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`${name}=${JSON.stringify(value)} was accepted by the ${kind} loader`);
}

describe("every variable a module sets is accepted at its boundaries and refused just outside", () => {
  for (const name of setByAModule) {
    const variable: EnvVar = ENV[name];
    for (const kind of variable.readBy) {
      if (variable.type === "integer") {
        it(`${name} (${kind}): ${variable.min}, ${variable.max} and the default in; ${variable.min - 1} and ${variable.max + 1} out, on both sides`, () => {
          for (const value of [variable.min, variable.max, variable.default!])
            expect(() => load(kind, name, String(value)), `${name}=${value}`).not.toThrow();
          for (const value of [variable.min - 1, variable.max + 1]) expect(refusal(kind, name, String(value))).toContain(name);
          if (name in MODULE_CONSTANT) {
            // The published module writes the contract's default (and mcp_waf enforces the same value).
            const main = readFileSync(join(REPO, "modules", "mcp_server", "main.tf.json"), "utf8");
            expect(main).toContain(`\\"${name}\\" = \\"${variable.default}\\"`);
            expect(MODULE_CONSTANT[name]).toBe(variable.default);
            return;
          }
          const scaled = SCALED_MODULE_VARIABLE[name];
          if (scaled !== undefined) {
            const input: ModuleInput<McpServerProps> = MCP_SERVER_INPUTS.find((i) => i.name === scaled.name)!;
            const range = input.rules![0]!.range!;
            expect((input.default as number) * scaled.scale).toBe(variable.default);
            for (const days of [range.min!, range.max!, input.default as number])
              expect(() => load(kind, name, String(days * scaled.scale)), `${scaled.name}=${days}`).not.toThrow();
            for (const days of [range.min! - 1, range.max! + 1]) expect(refusal(kind, name, String(days * scaled.scale))).toContain(name);
            return;
          }
          const source = MODULE_VARIABLE[name];
          expect(source, `${name}: which module variable sets it?`).toBeDefined();
          const input = source!.inputs.find((i) => i.name === source!.name)!;
          expect(input.default).toBe(variable.default);
          const rules = input.rules ?? [];
          const accepted = (value: number) => rules.every((rule) => rule.test(value));
          expect([variable.min, variable.max, variable.default!].map(accepted)).toEqual([true, true, true]);
          expect([variable.min - 1, variable.max + 1].map(accepted)).toEqual([false, false]);
        });
      } else {
        it(`${name} (${kind}): the values the module sends are accepted, malformed ones refused`, () => {
          const samples = SAMPLES_FOR[kind]?.[name] ?? SAMPLES[name];
          expect(samples, `${name}: add accepted and refused samples`).toBeDefined();
          for (const value of samples!.accepts) expect(() => load(kind, name, value), `${name}=${value}`).not.toThrow();
          for (const value of samples!.refuses) expect(refusal(kind, name, value)).toContain(name);
        });
      }
    }
  }

  it("the module's largest session_ttl_seconds is a session lifetime the function accepts", () => {
    const max: ModuleInput<McpServerProps> = MCP_SERVER_INPUTS.find((i) => i.name === "session_ttl_seconds")!;
    expect(max.rules!.every((rule) => rule.test(2_592_000))).toBe(true);
    expect((loadConfig({ MCP_SESSION_TTL_SECONDS: "2592000" }) as { sessionTtlSeconds: number }).sessionTtlSeconds).toBe(2_592_000);
  });
});

describe("each function's loader reads exactly the contract's variables", () => {
  it.each([
    ["mcp", ENV_NAMES],
    ["router", ROUTER_ENV_NAMES],
    ["trigger", TRIGGER_ENV_NAMES],
    ["oauth-front", OAUTH_LAMBDA_ENV_NAMES],
    ["oauth-token", OAUTH_LAMBDA_ENV_NAMES],
  ] as const)("%s", (kind, read) => {
    expect(new Set(read)).toEqual(new Set(envReadBy(kind)));
  });
});

describe("the published mcp_server module sets on each function exactly what the contract says", () => {
  const main = JSON.parse(readFileSync(join(REPO, "modules", "mcp_server", "main.tf.json"), "utf8"));
  const functions = main.resource.aws_lambda_function;

  it("MCP function: the module's map merged over environment_variables", () => {
    // The map may sit in a named local (the function's 4 KB precondition reads it too).
    const written: string = functions.this.environment.variables;
    const local = /^\$\{local\.([a-z0-9_]+)\}$/.exec(written);
    const expression: string = local ? main.locals[local[1]!] : written;
    const prefix = "${merge(var.environment_variables, {";
    expect(expression.startsWith(prefix)).toBe(true);
    const keys = [...expression.slice(prefix.length).matchAll(/(?:^|, )"([A-Z][A-Z0-9_]*)" = /g)].map((m) => m[1]);
    expect(new Set(keys)).toEqual(new Set(envSetByModule("mcp")));
    for (const key of keys) expect(ENV_NAMES).toContain(key);
  });

  it("router: MCP_ENVIRONMENT, MCP_SERVER_NAME and LOG_LEVEL among exactly the contract's variables", () => {
    const keys = Object.keys(functions.router.environment.variables);
    expect(new Set(keys)).toEqual(new Set(envSetByModule("router")));
    expect(keys).toEqual(expect.arrayContaining(["MCP_ENVIRONMENT", "MCP_SERVER_NAME", "LOG_LEVEL"]));
    for (const key of keys) expect(ROUTER_ENV_NAMES).toContain(key as never);
  });

  it("Cognito triggers: exactly the contract's variables, the same on both", () => {
    for (const fn of [functions.pre_token_generation, functions.post_confirmation]) {
      const keys = Object.keys(fn.environment.variables);
      expect(new Set(keys)).toEqual(new Set(envSetByModule("trigger")));
      for (const key of keys) expect(TRIGGER_ENV_NAMES).toContain(key as never);
    }
  });
});

describe("the published mcp_server module sets on the authorization server's functions exactly what the contract says", () => {
  const main = JSON.parse(readFileSync(join(REPO, "modules", "mcp_server", "main.tf.json"), "utf8"));
  const functions = main.resource.aws_lambda_function;

  it.each([
    ["oauth-front", "oauth_front"],
    ["oauth-token", "oauth_token"],
  ] as const)("%s", (kind, address) => {
    const keys = Object.keys(functions[address].environment.variables);
    expect(new Set(keys)).toEqual(new Set(envSetByModule(kind)));
    for (const key of keys) expect(OAUTH_LAMBDA_ENV_NAMES).toContain(key);
  });

  it("only the token function gets the upstream client secret and the signing key", () => {
    expect(Object.keys(functions.oauth_front.environment.variables)).not.toContain("OAUTH_UPSTREAM_CLIENT_SECRET");
    expect(Object.keys(functions.oauth_front.environment.variables)).not.toContain("OAUTH_SIGNING_KEY_ID");
    expect(Object.keys(functions.oauth_token.environment.variables)).toEqual(
      expect.arrayContaining(["OAUTH_UPSTREAM_CLIENT_SECRET", "OAUTH_SIGNING_KEY_ID"]),
    );
  });
});

describe("McpServer with literal props", () => {
  function synth(overrides: Partial<McpServerProps>): any {
    const props: Record<string, unknown> = {};
    for (const input of MCP_SERVER_INPUTS) {
      if (input.name in MCP_SERVER_MODULE.exampleInputs) props[input.prop] = MCP_SERVER_MODULE.exampleInputs[input.name];
    }
    const stack = new TerraformStack(Testing.app(), "test");
    new McpServer(stack, "server", { ...(props as unknown as McpServerProps), ...overrides });
    return JSON.parse(Testing.synth(stack)).resource.aws_lambda_function;
  }

  it("the router logs at the level the user gives the MCP function, under the server's name and environment", () => {
    const functions = synth({
      environment: "prod",
      enableTenantIsolation: true,
      environmentVariables: { LOG_LEVEL: "debug" },
      cognitoUserPoolId: "us-east-1_AbCdEfGhI",
      cognitoUserPoolEndpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
      cognitoClientId: "1example23456789",
      tenantClaimSource: "issuer",
    });
    const router = functions.router.environment.variables;
    expect(router).toMatchObject({ LOG_LEVEL: "debug", MCP_ENVIRONMENT: "prod", MCP_SERVER_NAME: "mcp-tools" });
    // The values Terraform computes at apply (the function's ARN, the API's URL) stand in as examples.
    const config = loadRouterConfig({
      ...router,
      MCP_TARGET_FUNCTION_ARN: ARN,
      MCP_RESOURCE_URL: "https://abc123.execute-api.us-east-1.amazonaws.com/mcp",
    });
    expect(config).toMatchObject({ logLevel: "debug", environment: "prod", serviceName: "mcp-tools-router" });
  });

  it("without a level from the user, the router gets the function's default", () => {
    const functions = synth({ enableTenantIsolation: true, environmentVariables: { POWERTOOLS_LOG_LEVEL: "warn" } });
    expect(functions.router.environment.variables.LOG_LEVEL).toBe("warn");
    expect(synth({ enableTenantIsolation: true }).router.environment.variables.LOG_LEVEL).toBe(ENV.LOG_LEVEL.default);
  });
});
