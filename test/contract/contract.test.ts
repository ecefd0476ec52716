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
};
const LOADERS: Record<FunctionKind, (env: Record<string, string>) => unknown> = {
  mcp: loadConfig,
  router: loadRouterConfig,
  trigger: (env) => loadTriggerConfig("pre-token-generation", env),
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
};

/**
 * Where a function accepts less than the samples above: the router only runs with tenant isolation,
 * hence with auth, so it needs an issuer and a client id and refuses `""`.
 */
const SAMPLES_FOR: Partial<Record<FunctionKind, typeof SAMPLES>> = {
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
    expect(error).toBeInstanceOf(ConfigError);
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
