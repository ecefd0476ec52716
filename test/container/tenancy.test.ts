/**
 * Token vending machine runtime. STS cannot run here: the credential cache runs against a recording
 * STS stand-in and every test asserts the exact AssumeRole request and the number of calls. Tenant
 * data runs against DynamoDB Local (started here): notes written through vended credentials land
 * only under the caller's tenant key, and each request is signed with that tenant's session.
 * DynamoDB Local does not enforce IAM; the IAM simulation (test/iam) proves the policy side.
 */
import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../container/src/app.js";
import { ConfigError, loadConfig } from "../../container/src/config.js";
import { silentLogger } from "../../container/src/core/logger.js";
import { createTenantCredentialsProvider, type TenantCredentialsProvider } from "../../container/src/tenancy/credentials.js";
import { createTenantDynamoDbClients } from "../../container/src/tenancy/dynamodb.js";
import {
  assertTenantId,
  InvalidTenantIdError,
  ROLE_SESSION_NAME,
  roleSessionName,
  SESSION_TAG_VALUE,
} from "../../container/src/tenancy/tenant-id.js";
import { createTable, TABLE_KEYS, startDynamoDbLocal, type DynamoDbLocal } from "./support/dynamodb-local.js";
import { fakeSts, memoryLogger, postAs, structured, TENANT_ENV, tenantTokenVerifier, toolCall } from "./support/tenants.js";

const ROLE = "arn:aws:iam::123456789012:role/mcp-tenant";
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

describe("tenant id and role session name", () => {
  it("accepts what an STS session tag value may hold, and nothing else", () => {
    for (const ok of ["tenant-a", "a", "Acme Corp", "org:eu/team=1+x@y_z.-", "ünïcode", "x".repeat(256)])
      expect(SESSION_TAG_VALUE.test(ok), ok).toBe(true);
    for (const bad of ["", "x".repeat(257), "a,b", "a;b", 'a"b', "a\nb", "a*b", "a#b", "<x>"]) {
      expect(SESSION_TAG_VALUE.test(bad), bad).toBe(false);
      expect(() => assertTenantId(bad)).toThrow(InvalidTenantIdError);
    }
  });

  it("derives a valid, readable, collision-resistant RoleSessionName", () => {
    expect(roleSessionName("tenant-a")).toMatch(/^mcp-tenant-a-[0-9a-f]{8}$/);
    for (const tenant of ["a", "Acme Corp", "org:eu/team=1", "x".repeat(256), "ünïcode", "@@"]) {
      const name = roleSessionName(tenant);
      expect(name, tenant).toMatch(ROLE_SESSION_NAME);
      expect(name.length).toBeLessThanOrEqual(64);
    }
    // Tenants that sanitize alike keep distinct names (the hash suffix), and a name is stable.
    expect(roleSessionName("org:a")).not.toBe(roleSessionName("org/a"));
    expect(roleSessionName("org:a").slice(0, -9)).toBe(roleSessionName("org/a").slice(0, -9));
    expect(roleSessionName("org:a")).toBe(roleSessionName("org:a"));
  });
});

describe("tenant credentials provider (recording STS)", () => {
  const setup = (durationSeconds?: number) => {
    let clock = T0;
    const fake = fakeSts(() => clock);
    const provider = createTenantCredentialsProvider({
      sts: fake.sts,
      roleArn: ROLE,
      now: () => clock,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
    });
    return { fake, provider, advance: (ms: number) => void (clock += ms), at: (ms: number) => void (clock = ms) };
  };

  it("sends exactly AssumeRole(RoleArn, RoleSessionName, DurationSeconds, Tags tenant_id) and caches per tenant", async () => {
    const { fake, provider } = setup(900);
    const first = await provider.credentialsFor("tenant-a");
    expect(fake.commands).toHaveLength(1);
    expect(fake.commands[0]).toBeInstanceOf(AssumeRoleCommand);
    expect(fake.commands[0]!.input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: roleSessionName("tenant-a"),
      DurationSeconds: 900,
      Tags: [{ Key: "tenant_id", Value: "tenant-a" }],
    });
    expect(fake.commands[0]!.input.RoleSessionName).toMatch(/^mcp-tenant-a-[0-9a-f]{8}$/);
    expect(first).toEqual({
      accessKeyId: "ASIA000000000001",
      secretAccessKey: "secret-1",
      sessionToken: "session-token-1",
      expiration: new Date(T0 + 900_000),
    });
    // Cache hit: same object, no second call.
    expect(await provider.credentialsFor("tenant-a")).toBe(first);
    expect(fake.commands).toHaveLength(1);
  });

  it("uses DurationSeconds 3600 by default and refuses durations outside 900-43200", async () => {
    const { fake, provider } = setup();
    await provider.credentialsFor("tenant-a");
    expect(fake.commands[0]!.input.DurationSeconds).toBe(3600);
    for (const bad of [899, 43_201, 1000.5])
      expect(() => createTenantCredentialsProvider({ sts: fake.sts, roleArn: ROLE, durationSeconds: bad })).toThrow(RangeError);
  });

  it("refreshes 5 minutes before expiry, not earlier", async () => {
    const { fake, provider, at } = setup(3600);
    const first = await provider.credentialsFor("tenant-a");
    at(T0 + 3600_000 - 300_000 - 1); // 5 min + 1 ms before expiry: still cached
    expect(await provider.credentialsFor("tenant-a")).toBe(first);
    expect(fake.commands).toHaveLength(1);
    at(T0 + 3600_000 - 300_000); // exactly 5 min before expiry: refreshed
    const second = await provider.credentialsFor("tenant-a");
    expect(fake.commands).toHaveLength(2);
    expect(second.accessKeyId).toBe("ASIA000000000002");
    expect(fake.commands[1]!.input).toEqual(fake.commands[0]!.input);
    expect(await provider.credentialsFor("tenant-a")).toBe(second);
    expect(fake.commands).toHaveLength(2);
  });

  it("coalesces concurrent requests of one tenant into one STS call", async () => {
    const { fake, provider } = setup();
    const all = await Promise.all(Array.from({ length: 20 }, () => provider.credentialsFor("tenant-a")));
    expect(fake.commands).toHaveLength(1);
    expect(new Set(all).size).toBe(1);
  });

  it("does not cache a failure: all waiters get it, the next call tries again", async () => {
    const { fake, provider } = setup();
    fake.failCall(1, Object.assign(new Error("Access denied"), { name: "AccessDenied" }));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => provider.credentialsFor("tenant-a")));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill("rejected"));
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ name: "AccessDenied" });
    expect(fake.commands).toHaveLength(1);
    const credentials = await provider.credentialsFor("tenant-a");
    expect(credentials.accessKeyId).toBe("ASIA000000000002");
    expect(fake.commands).toHaveLength(2);
    await provider.credentialsFor("tenant-a");
    expect(fake.commands).toHaveLength(2);
  });

  it("keeps tenants apart: two tenants, two calls, each with its own tag and session name", async () => {
    const { fake, provider } = setup();
    const [a, b] = await Promise.all([provider.credentialsFor("tenant-a"), provider.credentialsFor("tenant-b")]);
    expect(fake.commands.map((c) => c.input.Tags)).toEqual([
      [{ Key: "tenant_id", Value: "tenant-a" }],
      [{ Key: "tenant_id", Value: "tenant-b" }],
    ]);
    expect(fake.commands.map((c) => c.input.RoleSessionName)).toEqual([roleSessionName("tenant-a"), roleSessionName("tenant-b")]);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    await Promise.all([provider.credentialsFor("tenant-a"), provider.credentialsFor("tenant-b")]);
    expect(fake.commands).toHaveLength(2);
  });

  it("refuses a tenant id that cannot be a session tag value, without calling STS", async () => {
    const { fake, provider } = setup();
    await expect(provider.credentialsFor("a,b")).rejects.toThrow(InvalidTenantIdError);
    await expect(provider.credentialsFor("")).rejects.toThrow(InvalidTenantIdError);
    expect(fake.commands).toHaveLength(0);
  });

  it("rejects an STS answer without credentials (and does not cache it)", async () => {
    const sts = { send: async () => ({ $metadata: {} }) };
    const provider = createTenantCredentialsProvider({ sts, roleArn: ROLE });
    await expect(provider.credentialsFor("tenant-a")).rejects.toThrow("STS AssumeRole returned no credentials");
  });

  it("drops the least recently used tenant beyond maxTenants", async () => {
    const fake = fakeSts();
    const provider = createTenantCredentialsProvider({ sts: fake.sts, roleArn: ROLE, maxTenants: 2 });
    await provider.credentialsFor("t1");
    await provider.credentialsFor("t2");
    await provider.credentialsFor("t1"); // t1 most recent
    await provider.credentialsFor("t3"); // drops t2
    await provider.credentialsFor("t1");
    expect(fake.commands).toHaveLength(3);
    await provider.credentialsFor("t2");
    expect(fake.commands.map((c) => c.input.Tags![0]!.Value)).toEqual(["t1", "t2", "t3", "t2"]);
  });
});

describe("configuration of the token vending machine and metering", () => {
  it("reads TVM_*, TENANT_DATA_TABLE_NAME and METERING_TABLE_NAME", () => {
    const config = loadConfig({
      ...TENANT_ENV,
      TVM_TENANT_ROLE_ARN: ROLE,
      TVM_CREDENTIAL_DURATION_SECONDS: "900",
      TENANT_DATA_TABLE_NAME: "tenant-data",
      METERING_TABLE_NAME: "usage",
    });
    expect(config.tenantCredentials).toEqual({ roleArn: ROLE, durationSeconds: 900 });
    expect(config.tenantDataTableName).toBe("tenant-data");
    expect(config.meteringTableName).toBe("usage");
    expect(loadConfig({ ...TENANT_ENV, TVM_TENANT_ROLE_ARN: ROLE }).tenantCredentials?.durationSeconds).toBe(3600);
    expect(loadConfig({}).tenantCredentials).toBeUndefined();
  });

  it("fails at startup with a message naming each wrong variable", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ ...TENANT_ENV, TVM_TENANT_ROLE_ARN: "arn:aws:iam::123:user/x" })).toEqual([
      'TVM_TENANT_ROLE_ARN="arn:aws:iam::123:user/x": must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ]);
    expect(problems({ ...TENANT_ENV, TVM_TENANT_ROLE_ARN: ROLE, TVM_CREDENTIAL_DURATION_SECONDS: "899" })).toEqual([
      'TVM_CREDENTIAL_DURATION_SECONDS="899": must be an integer 900-43200',
    ]);
    expect(problems({ ...TENANT_ENV, TVM_TENANT_ROLE_ARN: ROLE, TVM_CREDENTIAL_DURATION_SECONDS: "43201" })).toHaveLength(1);
    expect(problems({ TVM_TENANT_ROLE_ARN: ROLE })).toEqual([
      `TVM_TENANT_ROLE_ARN="${ROLE}": needs MCP_TENANT_ISOLATION="true" (credentials are vended only for the tenant of a verified token)`,
    ]);
    expect(problems({ ...TENANT_ENV, TENANT_DATA_TABLE_NAME: "tenant-data" })).toEqual([
      'TENANT_DATA_TABLE_NAME="tenant-data": needs TVM_TENANT_ROLE_ARN (tenant data is reached only with credentials vended for the tenant)',
    ]);
    expect(problems({ METERING_TABLE_NAME: "x" })).toEqual(['METERING_TABLE_NAME="x": must be a DynamoDB table name']);
    expect(() => loadConfig({ TVM_TENANT_ROLE_ARN: ROLE })).toThrow(ConfigError);
  });
});

/** Records, for every request a client sends, the access key it was signed with and its target and body. */
function recordSigning(client: DynamoDBClient, log: Array<{ accessKeyId: string; target: string; body: string }>): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: unknown };
      const accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? "";
      const body =
        request.body instanceof Uint8Array
          ? Buffer.from(request.body).toString("utf8")
          : typeof request.body === "string"
            ? request.body
            : "";
      log.push({ accessKeyId, target: request.headers["x-amz-target"] ?? "", body });
      return next(args);
    },
    // The deserialize step wraps the sending of the final, signed request.
    { step: "deserialize", name: "recordSigning" },
  );
  return client;
}

describe("tenant data through vended credentials (DynamoDB Local)", () => {
  let ddb: DynamoDbLocal;
  beforeAll(async () => {
    ddb = await startDynamoDbLocal();
    await createTable(ddb.client, "tenant-data", TABLE_KEYS.tenantData);
  });
  afterAll(async () => {
    await ddb?.stop();
  });

  const app = async (extra: Record<string, string> = {}) => {
    const fake = fakeSts();
    const signed: Array<{ accessKeyId: string; target: string; body: string }> = [];
    const { logger, lines } = memoryLogger();
    const handler = await createApp(
      loadConfig({ ...TENANT_ENV, TVM_TENANT_ROLE_ARN: ROLE, TENANT_DATA_TABLE_NAME: "tenant-data", ...extra }),
      {
        logger,
        verifier: tenantTokenVerifier,
        sts: fake.sts,
        tenantDynamoDbConfig: { endpoint: ddb.endpoint, region: "us-east-1", maxAttempts: 2 },
        // DynamoDB Local on a busy machine can take seconds per request, and these tests count the
        // signed requests: no attempt may time out and be retried.
        awsCallLimits: { connectionTimeoutMs: 5000, requestTimeoutMs: 30_000, maxAttempts: 2, budgetMs: 60_000 },
        decorateClient: (client) =>
          "middlewareStack" in client && "config" in client
            ? (recordSigning(client as unknown as DynamoDBClient, signed) as unknown as typeof client)
            : client,
      },
    );
    return { handler, fake, signed, lines };
  };

  it("creates no client and calls no STS until a tool needs tenant data", async () => {
    const fake = fakeSts();
    const provider: TenantCredentialsProvider = createTenantCredentialsProvider({ sts: fake.sts, roleArn: ROLE });
    const clients = createTenantDynamoDbClients({ credentials: provider, clientConfig: { endpoint: ddb.endpoint, region: "us-east-1" } });
    const client = clients.forTenant("tenant-a");
    expect(clients.forTenant("tenant-a")).toBe(client);
    expect(fake.commands).toHaveLength(0);
    await client.send(new ScanCommand({ TableName: "tenant-data", Limit: 1 }));
    expect(fake.commands).toHaveLength(1);

    const { handler, fake: appSts } = await app();
    const list = await postAs(handler, "tenant-a", { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect((list.messages[0]!.result as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toContain("tenant_notes");
    const other = await postAs(handler, "tenant-a", toolCall("cidr_info", { cidr: "10.0.0.0/24" }));
    expect(other.status).toBe(200);
    expect(appSts.commands).toHaveLength(0);
  });

  it("offers tenant_notes only with the token vending machine and its table", async () => {
    const names = async (env: Record<string, string>) => {
      const handler = await createApp(loadConfig({ ...TENANT_ENV, ...env }), {
        logger: silentLogger,
        verifier: tenantTokenVerifier,
        sts: fakeSts().sts,
      });
      const { messages } = await postAs(handler, "tenant-a", { jsonrpc: "2.0", id: 1, method: "tools/list" });
      return (messages[0]!.result as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    };
    expect(await names({})).not.toContain("tenant_notes");
    expect(await names({ TVM_TENANT_ROLE_ARN: ROLE })).not.toContain("tenant_notes");
    expect(await names({ TVM_TENANT_ROLE_ARN: ROLE, TENANT_DATA_TABLE_NAME: "tenant-data" })).toContain("tenant_notes");
  });

  it("writes each tenant's notes only under its own tenant_id, signed with its own vended session", async () => {
    const { handler, fake, signed } = await app();
    // Same note id for both tenants, written concurrently.
    const puts = await Promise.all(
      ["tenant-a", "tenant-b", "tenant-a", "tenant-b"].map((tenant, i) =>
        postAs(
          handler,
          tenant,
          toolCall("tenant_notes", { action: "put", note_id: i < 2 ? "shared" : `own-${tenant}`, text: `from ${tenant}` }, i),
        ),
      ),
    );
    expect(puts.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    expect(structured(puts[0]!.messages)).toMatchObject({ action: "put", note: { note_id: "shared", text: "from tenant-a" } });
    // One STS call per tenant (coalesced), each tagged with its tenant.
    expect(fake.commands.map((c) => c.input.Tags)).toEqual(
      expect.arrayContaining([[{ Key: "tenant_id", Value: "tenant-a" }], [{ Key: "tenant_id", Value: "tenant-b" }]]),
    );
    expect(fake.commands).toHaveLength(2);

    // What the table holds (read with the test's own client): every item sits under its writer's tenant.
    const { Items } = await ddb.client.send(new ScanCommand({ TableName: "tenant-data", ConsistentRead: true }));
    const rows = (Items ?? []).map((item) => [item.tenant_id!.S, item.item_id!.S, item.text!.S]).sort();
    expect(rows).toEqual([
      ["tenant-a", "note#own-tenant-a", "from tenant-a"],
      ["tenant-a", "note#shared", "from tenant-a"],
      ["tenant-b", "note#own-tenant-b", "from tenant-b"],
      ["tenant-b", "note#shared", "from tenant-b"],
    ]);

    // Every DynamoDB request was signed with the session vended for the tenant whose key it names.
    const keyOf = new Map(fake.commands.map((c, i) => [c.input.Tags![0]!.Value!, `ASIA${String(i + 1).padStart(12, "0")}`]));
    const writes = signed.filter((s) => s.target === "DynamoDB_20120810.PutItem");
    expect(writes).toHaveLength(4);
    for (const write of writes) {
      const tenant = (JSON.parse(write.body) as { Item: { tenant_id: { S: string } } }).Item.tenant_id.S;
      expect(write.accessKeyId).toBe(keyOf.get(tenant));
    }

    // Reads are confined the same way: B cannot see A's note, and each list holds only its own.
    const getA = structured(
      (await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "get", note_id: "own-tenant-a" }))).messages,
    );
    const getB = structured(
      (await postAs(handler, "tenant-b", toolCall("tenant_notes", { action: "get", note_id: "own-tenant-a" }))).messages,
    );
    expect(getA).toMatchObject({ note: { note_id: "own-tenant-a", text: "from tenant-a" } });
    expect(getB).toEqual({ action: "get", note: null });
    const listB = structured((await postAs(handler, "tenant-b", toolCall("tenant_notes", { action: "list" }))).messages);
    expect((listB.notes as Array<{ note_id: string; text: string }>).map((n) => [n.note_id, n.text])).toEqual([
      ["own-tenant-b", "from tenant-b"],
      ["shared", "from tenant-b"],
    ]);
    expect(listB.truncated).toBe(false);
    // B deleting "own-tenant-a" deletes nothing (its key is B's partition), and A's note survives.
    expect(
      structured((await postAs(handler, "tenant-b", toolCall("tenant_notes", { action: "delete", note_id: "own-tenant-a" }))).messages),
    ).toEqual({ action: "delete", deleted: false });
    expect(
      structured((await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "get", note_id: "own-tenant-a" }))).messages),
    ).toMatchObject({ note: { text: "from tenant-a" } });
    expect(
      structured((await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "delete", note_id: "shared" }))).messages),
    ).toEqual({ action: "delete", deleted: true });
    // Every query / get / delete named only the caller's partition.
    for (const s of signed.filter((x) => x.target !== "DynamoDB_20120810.PutItem")) {
      const body = JSON.parse(s.body) as { Key?: { tenant_id: { S: string } }; ExpressionAttributeValues?: Record<string, { S: string }> };
      const tenant = body.Key?.tenant_id.S ?? body.ExpressionAttributeValues?.[":t"]?.S;
      expect(s.accessKeyId).toBe(keyOf.get(tenant!));
    }
    // Still one STS call per tenant.
    expect(fake.commands).toHaveLength(2);
  });

  it("answers argument mistakes and DynamoDB failures as tool errors, logging the cause", async () => {
    const { handler, lines } = await app({ TENANT_DATA_TABLE_NAME: "missing-table" });
    const result = (messages: Array<Record<string, unknown>>) =>
      messages.at(-1)!.result as { isError?: boolean; content: Array<{ text: string }> };
    const noId = result((await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "get" }))).messages);
    expect(noId).toMatchObject({ isError: true, content: [{ text: "note_id is required for get." }] });
    const noText = result((await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "put", note_id: "x" }))).messages);
    expect(noText).toMatchObject({ isError: true, content: [{ text: "text is required for put." }] });
    const badId = result((await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "get", note_id: "../x" }))).messages);
    expect(badId.isError).toBe(true);
    const failed = result((await postAs(handler, "tenant-a", toolCall("tenant_notes", { action: "list" }))).messages);
    expect(failed).toMatchObject({ isError: true, content: [{ text: "Tenant data is unavailable right now; try again later." }] });
    expect(lines.find((l) => l.message === "tenant data request failed")).toMatchObject({
      level: "WARN",
      tenant_id: "tenant-a",
      tool: "tenant_notes",
      error: { name: "ResourceNotFoundException" },
    });
  });
});
