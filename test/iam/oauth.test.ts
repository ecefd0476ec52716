/**
 * The authorization server's two roles, the signing key's policy and the MCP function's role under
 * IAM evaluation (@cloud-copilot/iam-simulate), over the policies the mcp_server construct
 * synthesizes with interactive sign-in: who may read which OAuth table key prefixes, that nobody may
 * `Scan`, and that only the token role may `kms:Sign`, only with the signing keys and only RS256. The
 * resource references Terraform resolves at apply (table, log group, key and role ARNs) are replaced by
 * example ARNs.
 */
import { Testing, TerraformStack } from "cdktf";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import { OAUTH_KEY_PREFIXES, TABLES } from "../../container/src/contract/index.js";
import { SUBJECT_INDEX } from "../../handlers/oauth/src/core/store/dynamodb.js";
import { subjectIndex } from "../../handlers/oauth/src/core/store/types.js";
import { MCP_SERVER_INPUTS } from "../../src/mcp-server/inputs.js";
import { McpServer } from "../../src/mcp-server/mcp-server.js";
import { MCP_SERVER_MODULE } from "../../src/mcp-server/module.js";
import { SIGNING_ALGORITHM } from "../../src/mcp-server/oauth.js";
import type { McpServerProps } from "../../src/mcp-server/props.js";

const ACCOUNT = "123456789012";
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/mcp-tools-dev-oauth`;
const INDEX = `${TABLE}/index/${SUBJECT_INDEX}`;
const KEYS = ["k1", "k2"].map((g) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/0000000${g.slice(1)}-12ab-44cd-96ef-1234567890ab`);
const DATA_KEY = MCP_SERVER_MODULE.exampleInputs.kms_key_arn as string;
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/mcp-tools-dev-us-east-1-${name}`;
const REFS: Record<string, string> = {
  "aws_dynamodb_table.oauth[0].arn": TABLE,
  "aws_cloudwatch_log_group.oauth_front[0].arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mcp-tools-dev-oauth-front`,
  "aws_cloudwatch_log_group.oauth_token[0].arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mcp-tools-dev-oauth-token`,
  "aws_cloudwatch_log_group.lambda.arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mcp-tools-dev`,
  "aws_iam_role.oauth_token[0].arn": ROLE("oa-token"),
};

/**
 * Evaluates the `${jsonencode({...})}` policy expressions: HCL object syntax with references,
 * `join("", [...])` of a reference and a literal, and the list of signing key ARNs.
 * @throws Error naming a reference without an example value
 */
function evaluate(expression: string): any {
  let body = expression.replace(/^\$\{jsonencode\(/, "").replace(/\)\}$/, "");
  body = body.replace(/\[for g in .*?: aws_kms_key\.oauth_signing\[g\]\.arn\]/g, JSON.stringify(KEYS));
  body = body.replace(
    /join\("", \["arn:", data\.aws_partition\.current\.partition, ":iam::", data\.aws_caller_identity\.current\.account_id, ":root"\]\)/g,
    JSON.stringify(`arn:aws:iam::${ACCOUNT}:root`),
  );
  body = body.replace(/join\("", \[([A-Za-z0-9_.[\]]+), "([^"]*)"\]\)/g, (_, ref: string, suffix: string) =>
    JSON.stringify(`${value(ref)}${suffix}`),
  );
  body = body.replace(/(?<=[=[,] ?)([a-z_]+\.[A-Za-z0-9_]+(\[0\])?\.arn)(?=[,\]}])/g, (ref: string) => JSON.stringify(value(ref)));
  return JSON.parse(body.replace(/" = /g, '": '));
}
function value(ref: string): string {
  const v = REFS[ref];
  if (v === undefined) throw new Error(`no example value for ${ref}`);
  return v;
}

let policies: Record<"oauth_front" | "oauth_token" | "lambda", unknown>;
let keyPolicy: any;

beforeAll(() => {
  const props: Record<string, unknown> = {};
  for (const input of MCP_SERVER_INPUTS)
    if (input.name in MCP_SERVER_MODULE.exampleInputs) props[input.prop] = MCP_SERVER_MODULE.exampleInputs[input.name];
  const stack = new TerraformStack(Testing.app(), "oauth");
  new McpServer(stack, "server", {
    ...(props as unknown as McpServerProps),
    enableInteractiveAuth: true,
    enableGatewayAuthorizer: false,
    oauthSigningKeys: ["k1", "k2"],
    corsAllowedOrigins: ["http://localhost:6274"],
  });
  const resource = JSON.parse(Testing.synth(stack)).resource;
  const r = resource.aws_iam_role_policy;
  const read = (policy: string) => (policy.startsWith("${") ? evaluate(policy) : JSON.parse(policy));
  policies = { oauth_front: read(r.oauth_front.policy), oauth_token: read(r.oauth_token.policy), lambda: read(r.lambda.policy) };
  keyPolicy = evaluate(resource.aws_kms_key.oauth_signing.policy);
});

type Role = keyof typeof policies;

async function decide(role: Role, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<string> {
  const principal = ROLE(role === "lambda" ? "lambda" : role === "oauth_front" ? "oa-front" : "oa-token");
  const response = await runSimulation(
    {
      request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
      identityPolicies: [{ name: role, policy: policies[role] }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resource.includes(":kms:") && KEYS.includes(resource) ? { resourcePolicy: keyPolicy } : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

const item = (prefix: string) => ({ "dynamodb:LeadingKeys": [`${prefix}example`] });
const sign = { "kms:SigningAlgorithm": SIGNING_ALGORITHM };
const ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];

describe("the contract's key prefixes are the store's", () => {
  it("index name and subject prefix", () => {
    expect(Object.keys(TABLES.oauth.indexes)).toEqual([SUBJECT_INDEX]);
    expect(subjectIndex("u", "g").gsi1pk.startsWith(OAUTH_KEY_PREFIXES.subject)).toBe(true);
    expect(subjectIndex("u", "g").gsi1sk.startsWith(OAUTH_KEY_PREFIXES.grant)).toBe(true);
  });
});

describe("front function role", () => {
  it("reads and writes clients, metadata documents, transactions, codes, consents and rate counters", async () => {
    for (const prefix of ["client#", "cimd#", "txn#", "code#", "consent#", "rl#"])
      for (const action of ITEM_ACTIONS)
        expect(await decide("oauth_front", action, TABLE, item(prefix)), `${action} ${prefix}`).toBe("Allowed");
  });
  it("cannot touch grants, scan, query, or act without a key", async () => {
    for (const action of ITEM_ACTIONS) expect(await decide("oauth_front", action, TABLE, item("grant#"))).not.toBe("Allowed");
    expect(await decide("oauth_front", "dynamodb:GetItem", TABLE, { "dynamodb:LeadingKeys": ["client#a", "grant#b"] })).not.toBe("Allowed");
    expect(await decide("oauth_front", "dynamodb:GetItem", TABLE)).not.toBe("Allowed");
    expect(await decide("oauth_front", "dynamodb:Scan", TABLE)).not.toBe("Allowed");
    expect(await decide("oauth_front", "dynamodb:Query", INDEX, item("sub#"))).not.toBe("Allowed");
  });
  it("may not sign", async () => {
    for (const key of KEYS) expect(await decide("oauth_front", "kms:Sign", key, sign)).not.toBe("Allowed");
  });
});

describe("token function role", () => {
  it("reads and writes transactions, codes, grants, consents, clients and metadata documents", async () => {
    for (const prefix of ["txn#", "code#", "grant#", "consent#", "client#", "cimd#"])
      for (const action of ITEM_ACTIONS)
        expect(await decide("oauth_token", action, TABLE, item(prefix)), `${action} ${prefix}`).toBe("Allowed");
  });
  it("cannot touch rate counters or scan; queries only a subject's grants through the index", async () => {
    expect(await decide("oauth_token", "dynamodb:PutItem", TABLE, item("rl#"))).not.toBe("Allowed");
    expect(await decide("oauth_token", "dynamodb:Scan", TABLE)).not.toBe("Allowed");
    expect(await decide("oauth_token", "dynamodb:Scan", INDEX)).not.toBe("Allowed");
    expect(await decide("oauth_token", "dynamodb:Query", INDEX, item("sub#"))).toBe("Allowed");
    expect(await decide("oauth_token", "dynamodb:Query", INDEX, item("client#"))).not.toBe("Allowed");
    expect(await decide("oauth_token", "dynamodb:Query", TABLE, item("grant#"))).not.toBe("Allowed");
  });
  it("signs with the signing keys only, with RS256 only", async () => {
    for (const key of KEYS) expect(await decide("oauth_token", "kms:Sign", key, sign)).toBe("Allowed");
    expect(await decide("oauth_token", "kms:Sign", KEYS[1]!, { "kms:SigningAlgorithm": "RSASSA_PSS_SHA_256" })).not.toBe("Allowed");
    expect(await decide("oauth_token", "kms:Sign", DATA_KEY, sign)).not.toBe("Allowed");
    expect(await decide("oauth_token", "kms:ScheduleKeyDeletion", KEYS[0]!)).not.toBe("Allowed");
  });
});

describe("MCP function role", () => {
  it("holds no signing key and no OAuth table access", async () => {
    for (const key of KEYS) expect(await decide("lambda", "kms:Sign", key, sign)).not.toBe("Allowed");
    for (const action of [...ITEM_ACTIONS, "dynamodb:Scan"])
      expect(await decide("lambda", action, TABLE, item("grant#")), action).not.toBe("Allowed");
  });
});

describe("signing key policy", () => {
  it("names the token role as the only principal that may sign; the account administers but cannot sign", () => {
    const signers = keyPolicy.Statement.filter((s: any) => [s.Action].flat().includes("kms:Sign"));
    expect(signers.map((s: any) => s.Principal.AWS)).toEqual([ROLE("oa-token")]);
    const admin = keyPolicy.Statement.find((s: any) => s.Sid === "AccountAdministration");
    expect(admin.Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(admin.Action).not.toContain("kms:Sign");
    expect(admin.Action).toContain("kms:GetPublicKey");
  });
});
