/**
 * The tenant directory and the two Cognito triggers, with Cognito's documented event shapes
 * (fixtures/cognito-events.ts) against a real directory table in DynamoDB Local. Cognito cannot run
 * here: the post confirmation trigger's Cognito client is a recording stand-in that asserts the
 * exact AdminUpdateUserAttributes / AdminAddUserToGroup requests.
 */
import { AdminAddUserToGroupCommand, AdminUpdateUserAttributesCommand } from "@aws-sdk/client-cognito-identity-provider";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../container/src/config-error.js";
import {
  createPostConfirmationHandler,
  createPreTokenGenerationHandler,
  createTenantDirectory,
  directoryKey,
  loadTriggerConfig,
  TenantRequiredError,
  type CognitoAdmin,
  type TenantDirectory,
} from "../../handlers/tenants/index.js";
import { createTable, startDynamoDbLocal, TABLE_KEYS, type DynamoDbLocal } from "../container/support/dynamodb-local.js";
import { memoryLogger } from "../container/support/tenants.js";
import { clientCredentialsEvent, postConfirmationEvent, USER_POOL_ID, userTokenEvent } from "./fixtures/cognito-events.js";

const TABLE = "srv-dev-tenants";
let db: DynamoDbLocal;
let directory: TenantDirectory;

/** Writes one directory entry as the module (aws_dynamodb_table_item) or an operator (PutItem) would. */
const put = (key: string, tenant: string) =>
  db.client.send(new PutItemCommand({ TableName: TABLE, Item: { directory_key: { S: key }, tenant_id: { S: tenant } } }));

beforeAll(async () => {
  db = await startDynamoDbLocal();
  await createTable(db.client, TABLE, TABLE_KEYS.tenantDirectory);
  directory = createTenantDirectory({ client: db.client, tableName: TABLE });
  await put(directoryKey.client("m2m-acme"), "acme");
  await put(directoryKey.client("m2m-globex"), "globex");
  await put(directoryKey.client("m2m-broken"), "not a tenant id");
  await put(directoryKey.domain("acme.com"), "acme");
  await put(directoryKey.domain("globex.example"), "globex");
  await put(directoryKey.invitation("consultant@acme.com"), "globex");
});
afterAll(async () => {
  await db?.stop();
});

describe("tenant directory (DynamoDB Local)", () => {
  it("finds machine clients, invitations before domains, case-insensitively, and nothing else", async () => {
    expect(await directory.tenantOfClient("m2m-acme")).toBe("acme");
    expect(await directory.tenantOfClient("m2m-unknown")).toBeUndefined();
    expect(await directory.tenantOfClient("m2m-broken")).toBeUndefined();
    expect(await directory.tenantOfEmail("ana@acme.com")).toBe("acme");
    expect(await directory.tenantOfEmail("Ana@ACME.com")).toBe("acme");
    expect(await directory.tenantOfEmail("consultant@acme.com")).toBe("globex");
    expect(await directory.tenantOfEmail(" Consultant@Acme.COM ")).toBe("globex");
    expect(await directory.tenantOfEmail("ana@sub.acme.com")).toBeUndefined();
    expect(await directory.tenantOfEmail("ana@evil.com")).toBeUndefined();
    expect(await directory.tenantOfEmail("no-at-sign")).toBeUndefined();
  });
});

describe("pre token generation trigger (V2_0 / V3_0 events)", () => {
  const handler = (extra: { required?: boolean; claim?: string } = {}) =>
    createPreTokenGenerationHandler({ directory, logger: memoryLogger().logger, ...extra });

  it("adds the machine client's tenant from the directory to the access token (V3_0 client_credentials)", async () => {
    const result = await handler()(clientCredentialsEvent("m2m-acme"));
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: "acme" } } },
    });
    const other = await handler()(clientCredentialsEvent("m2m-globex"));
    expect(other.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({ tenant_id: "globex" });
  });

  it("adds a user's custom:tenant_id to the access and ID tokens (V2_0 and V3_0 user events)", async () => {
    for (const version of ["2", "3"]) {
      const result = await handler()(userTokenEvent({ "custom:tenant_id": "acme" }, { version }));
      expect(result.response, version).toEqual({
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: "acme" } },
          idTokenGeneration: { claimsToAddOrOverride: { tenant_id: "acme" } },
        },
      });
    }
    // The user's attribute, never the app client's directory entry, decides for users.
    const viaMachineClient = await handler()(
      userTokenEvent({ "custom:tenant_id": "acme" }, { clientId: "m2m-globex", triggerSource: "TokenGeneration_RefreshTokens" }),
    );
    expect(viaMachineClient.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      tenant_id: "acme",
    });
  });

  it("keeps what the response already holds and uses the configured claim name", async () => {
    const event = clientCredentialsEvent("m2m-acme");
    event.response.claimsAndScopeOverrideDetails = {
      accessTokenGeneration: { claimsToSuppress: ["email"], claimsToAddOrOverride: { plan: "gold" }, scopesToAdd: ["x/y"] },
    };
    const result = await handler({ claim: "org" })(event);
    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { claimsToSuppress: ["email"], claimsToAddOrOverride: { plan: "gold", org: "acme" }, scopesToAdd: ["x/y"] },
    });
  });

  it("refuses the token (throws) when there is no valid tenant, and logs why", async () => {
    const refused = [
      clientCredentialsEvent("m2m-unknown"),
      clientCredentialsEvent("m2m-broken"),
      userTokenEvent({}),
      userTokenEvent({ "custom:tenant_id": "" }),
      userTokenEvent({ "custom:tenant_id": "a b" }),
      userTokenEvent({ "custom:tenant_id": "x".repeat(129) }),
    ];
    for (const event of refused) {
      const { logger, lines } = memoryLogger();
      await expect(createPreTokenGenerationHandler({ directory, logger })(event)).rejects.toThrow(TenantRequiredError);
      expect(lines.find((l) => l.message === "token refused: no tenant")).toMatchObject({
        level: "WARN",
        trigger_source: event.triggerSource,
      });
    }
    await expect(handler()(clientCredentialsEvent("m2m-unknown"))).rejects.toThrow("This client is not assigned to a tenant.");
    await expect(handler()(userTokenEvent({}))).rejects.toThrow("This user is not assigned to a tenant.");
  });

  it("issues tokens unchanged without a tenant when isolation does not need one", async () => {
    const result = await handler({ required: false })(clientCredentialsEvent("m2m-unknown"));
    expect(result.response).toEqual({ claimsAndScopeOverrideDetails: null });
  });

  it("refuses a V1_0 event, which cannot customise access tokens", async () => {
    await expect(handler()(userTokenEvent({ "custom:tenant_id": "acme" }, { version: "1" }))).rejects.toThrow(
      /configure lambda_version V3_0/,
    );
  });
});

/** Records every command and answers like Cognito (an empty 200), or fails call `failOn`. */
function recordingCognito(failOn?: number) {
  const commands: Array<AdminUpdateUserAttributesCommand | AdminAddUserToGroupCommand> = [];
  const cognito: CognitoAdmin = {
    async send(command) {
      commands.push(command);
      if (commands.length === failOn) throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
      return { $metadata: { httpStatusCode: 200 } };
    },
  };
  return { cognito, commands };
}

describe("post confirmation trigger", () => {
  const run = async (event: ReturnType<typeof postConfirmationEvent>, failOn?: number) => {
    const { cognito, commands } = recordingCognito(failOn);
    const { logger, lines } = memoryLogger();
    const result = await createPostConfirmationHandler({ directory, cognito, logger })(event);
    return { result, commands, lines };
  };

  it("assigns the tenant of the verified e-mail domain: AdminUpdateUserAttributes, then AdminAddUserToGroup", async () => {
    const event = postConfirmationEvent({ email: "Ana@Acme.com" });
    const { result, commands } = await run(event);
    expect(result).toEqual(postConfirmationEvent({ email: "Ana@Acme.com" }));
    expect(commands).toHaveLength(2);
    expect(commands[0]).toBeInstanceOf(AdminUpdateUserAttributesCommand);
    expect(commands[0]!.input).toEqual({
      UserPoolId: USER_POOL_ID,
      Username: "ana",
      UserAttributes: [{ Name: "custom:tenant_id", Value: "acme" }],
    });
    expect(commands[1]).toBeInstanceOf(AdminAddUserToGroupCommand);
    expect(commands[1]!.input).toEqual({ UserPoolId: USER_POOL_ID, Username: "ana", GroupName: "acme" });
  });

  it("lets an invitation win over the domain rule", async () => {
    const { commands } = await run(postConfirmationEvent({ email: "consultant@acme.com" }));
    expect(commands.map((c) => c.input)).toEqual([
      { UserPoolId: USER_POOL_ID, Username: "ana", UserAttributes: [{ Name: "custom:tenant_id", Value: "globex" }] },
      { UserPoolId: USER_POOL_ID, Username: "ana", GroupName: "globex" },
    ]);
  });

  it("keeps a tenant an administrator set, adding only the group", async () => {
    const { commands } = await run(postConfirmationEvent({ email: "ana@acme.com", "custom:tenant_id": "globex" }));
    expect(commands.map((c) => [c.constructor.name, c.input])).toEqual([
      ["AdminAddUserToGroupCommand", { UserPoolId: USER_POOL_ID, Username: "ana", GroupName: "globex" }],
    ]);
  });

  it("assigns nothing for an unverified address, an unknown domain, a forgotten-password confirmation, or an invalid preset tenant", async () => {
    const cases = [
      postConfirmationEvent({ email: "ana@acme.com", email_verified: "false" }),
      postConfirmationEvent({ phone_number: "+15555550100" }),
      postConfirmationEvent({ email: "ana@unknown.example" }),
      postConfirmationEvent({ email: "ana@acme.com" }, "PostConfirmation_ConfirmForgotPassword"),
      postConfirmationEvent({ "custom:tenant_id": "a b" }),
    ];
    for (const event of cases) {
      const { result, commands } = await run(event);
      expect(commands, JSON.stringify(event.request.userAttributes)).toEqual([]);
      expect(result).toBe(event);
    }
    const { lines } = await run(postConfirmationEvent({ email: "ana@unknown.example" }));
    expect(lines.find((l) => l.level === "WARN")).toMatchObject({
      message: "no tenant assigned: no invitation and no tenant for the e-mail domain",
      email_domain: "unknown.example",
    });
  });

  it("fails the trigger when Cognito refuses a call", async () => {
    await expect(run(postConfirmationEvent({ email: "ana@acme.com" }), 2)).rejects.toThrow("Rate exceeded");
  });
});

describe("trigger configuration", () => {
  it("reads the table, the claim and whether a tenant is required", () => {
    expect(
      loadTriggerConfig("pre-token-generation", {
        TENANT_DIRECTORY_TABLE_NAME: TABLE,
        MCP_SERVER_NAME: "srv",
        MCP_ENVIRONMENT: "prod",
        TENANT_REQUIRED: "false",
      }),
    ).toEqual({
      tableName: TABLE,
      claim: "tenant_id",
      required: false,
      logLevel: "info",
      serviceName: "srv-pre-token-generation",
      environment: "prod",
    });
  });

  it("fails with a message naming each wrong variable", () => {
    let problems: readonly string[] = [];
    try {
      loadTriggerConfig("x", { MCP_TENANT_CLAIM: "a claim", TENANT_REQUIRED: "yes" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      "TENANT_DIRECTORY_TABLE_NAME=undefined: required, a DynamoDB table name",
      'MCP_TENANT_CLAIM="a claim": must be a claim name',
      'TENANT_REQUIRED="yes": must be "true" or "false"',
    ]);
  });
});
