/**
 * Tenant isolation proven with an IAM policy evaluator (@cloud-copilot/iam-simulate) over the
 * policies the token vending machine synthesizes: read from the synthesized Terraform JSON,
 * never re-typed. Requests are what AWS would evaluate for a role session assumed with the
 * session tag tenant_id (IAM guide, reference_policies_evaluation-logic).
 */
import { App, TerraformStack, Testing } from "cdktf";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import { TokenVendingMachine } from "../../src/mcp-token-vending-machine/token-vending-machine.js";

const ACCOUNT = "123456789012";
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ai-tools-prod-tenant-data`;
const FUNCTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ai-tools-prod-lambda`;
const TENANT_ROLE = `arn:aws:iam::${ACCOUNT}:role/mcp-tenant-ai-tools-prod`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

interface Policies {
  assume: unknown;
  boundary: unknown;
  data: unknown;
  trust: unknown;
}

/** Terraform writes `$${x}` in a string as the literal `${x}`: undo the escape as Terraform does. */
const terraformString = (s: string) => JSON.parse(s.replace(/\$\$\{/g, "${"));

function synthesizePolicies(): Policies {
  const stack = new TerraformStack(new App({ skipValidation: true }), "tvm");
  new TokenVendingMachine(stack, "tvm", {
    name: "ai-tools",
    environment: "prod",
    lambdaRoleArn: FUNCTION_ROLE,
    lambdaRoleName: "ai-tools-prod-lambda",
    tenantRoleArnPattern: `arn:aws:iam::${ACCOUNT}:role/mcp-tenant-*`,
    kmsKeyArn: KEY,
    tenantDataTableArns: [TABLE],
  });
  const json = JSON.parse(Testing.synth(stack));
  const r = json.resource;
  return {
    assume: terraformString(r.aws_iam_role_policy.assume_tenant_roles.policy),
    boundary: terraformString(r.aws_iam_policy.tenant_boundary.policy),
    data: terraformString(r.aws_iam_policy.tenant_data.policy),
    trust: terraformString(r.aws_iam_role.tenant.assume_role_policy),
  };
}

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

async function decide(simulation: Simulation): Promise<Decision> {
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult as Decision;
}

describe("token vending machine policies under IAM evaluation", () => {
  let p: Policies;
  beforeAll(() => {
    p = synthesizePolicies();
  });

  /** A request by the tenant role session of `tenant`, under the role's policies and boundary. */
  const asTenant = (tenant: string | undefined, action: string, leadingKeys: string[] | undefined, extraIdentity: unknown[] = []) =>
    decide({
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/mcp-tenant-ai-tools-prod/mcp-${tenant ?? "none"}`,
        action,
        resource: { resource: TABLE, accountId: ACCOUNT },
        contextVariables: {
          ...(tenant === undefined ? {} : { "aws:PrincipalTag/tenant_id": tenant }),
          ...(leadingKeys === undefined ? {} : { "dynamodb:LeadingKeys": leadingKeys }),
        },
      },
      identityPolicies: [{ name: "tenant-data", policy: p.data }, ...extraIdentity.map((policy, i) => ({ name: `extra-${i}`, policy }))],
      permissionBoundaryPolicies: [{ name: "tenant-boundary", policy: p.boundary }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });

  it.each(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem"])(
    "tenant A may %s in its own partition",
    async (action) => {
      expect(await asTenant("tenant-a", action, ["tenant-a"])).toBe("Allowed");
    },
  );

  it.each(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"])(
    "tenant B is denied %s on tenant A's partition",
    async (action) => {
      expect(await asTenant("tenant-b", action, ["tenant-a"])).not.toBe("Allowed");
    },
  );

  it("a batch touching another tenant's partition is denied (every leading key must match)", async () => {
    expect(await asTenant("tenant-a", "dynamodb:BatchGetItem", ["tenant-a", "tenant-b"])).not.toBe("Allowed");
  });

  it("a request naming no partition (Scan-like: no dynamodb:LeadingKeys) is denied by the Null guard", async () => {
    expect(await asTenant("tenant-a", "dynamodb:Query", undefined)).not.toBe("Allowed");
    expect(await asTenant("tenant-a", "dynamodb:Scan", undefined)).not.toBe("Allowed");
  });

  it("a session without the tenant tag can read no partition", async () => {
    expect(await asTenant(undefined, "dynamodb:GetItem", ["tenant-a"])).not.toBe("Allowed");
  });

  it.each([
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/mcp-tenant-ai-tools-prod`],
    ["iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/mcp-tenant-ai-tools-prod`],
    ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/escape`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
    ["sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
  ])("a tenant session cannot %s, even if someone attaches an Allow for it", async (action, resource) => {
    const misattached = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] };
    const decision = await decide({
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/mcp-tenant-ai-tools-prod/mcp-tenant-a`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { "aws:PrincipalTag/tenant_id": "tenant-a" },
      },
      identityPolicies: [{ name: "misattached", policy: misattached }],
      permissionBoundaryPolicies: [{ name: "tenant-boundary", policy: p.boundary }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
    expect(decision).toBe("ExplicitlyDenied");
  });

  /** The function's role assuming `role` with `tags` (AssumeRole, with the role's trust policy when given). */
  const assume = (role: string, tags: Record<string, string>, action = "sts:AssumeRole", trust: unknown = p.trust) =>
    decide({
      request: {
        principal: FUNCTION_ROLE,
        action,
        resource: { resource: role, accountId: ACCOUNT },
        contextVariables: {
          ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
          "aws:TagKeys": Object.keys(tags),
        },
      },
      identityPolicies: [{ name: "assume-tenant-roles", policy: p.assume }],
      resourcePolicy: trust,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });

  it("the function's role may assume a tenant role with a tenant_id tag", async () => {
    expect(await assume(TENANT_ROLE, { tenant_id: "tenant-a" })).toBe("Allowed");
    expect(await assume(TENANT_ROLE, { tenant_id: "tenant-a" }, "sts:TagSession")).toBe("Allowed");
  });

  it("without a tenant_id tag, with an empty one, or with another tag as well, it may not", async () => {
    expect(await assume(TENANT_ROLE, {})).not.toBe("Allowed");
    expect(await assume(TENANT_ROLE, { tenant_id: "" })).not.toBe("Allowed");
    expect(await assume(TENANT_ROLE, { tenant_id: "tenant-a", admin: "true" })).not.toBe("Allowed");
  });

  it("it may not assume roles outside the pattern that leave the decision to IAM", async () => {
    // A trust policy naming the account root delegates to identity policies; only a trust policy
    // that names the function's role itself could grant more, and that is the role owner's choice.
    const admin = `arn:aws:iam::${ACCOUNT}:role/admin`;
    const accountTrust = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    };
    expect(await assume(admin, { tenant_id: "tenant-a" }, "sts:AssumeRole", accountTrust)).not.toBe("Allowed");
    expect(await assume(`arn:aws:iam::${ACCOUNT}:role/mcp-tenant-x`, { tenant_id: "tenant-a" }, "sts:AssumeRole", accountTrust)).toBe(
      "Allowed",
    );
  });

  it("the tenant role trusts only the function's role", async () => {
    const decision = await decide({
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/some-other-role`,
        action: "sts:AssumeRole",
        resource: { resource: TENANT_ROLE, accountId: ACCOUNT },
        contextVariables: { "aws:RequestTag/tenant_id": "tenant-a", "aws:TagKeys": ["tenant_id"] },
      },
      identityPolicies: [
        {
          name: "admin-like",
          policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
        },
      ],
      resourcePolicy: p.trust,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
    expect(decision).not.toBe("Allowed");
  });
});
