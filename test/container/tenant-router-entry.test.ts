/**
 * The Lambda entry module configured as the router (`_HANDLER=index.routerHandler`, as the module
 * sets the router function's image command): the router is built at init from the environment, with
 * one Lambda client for the whole cold start, and the MCP server is not built at all (its
 * configuration here is invalid on purpose: building it would fail the import).
 */
import type { InvokeCommand } from "@aws-sdk/client-lambda";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { HttpApiHandler } from "../../container/src/lambda/adapter.js";

const state = vi.hoisted(() => ({ clients: 0, commands: [] as InvokeCommand[] }));

vi.mock("@aws-sdk/client-lambda", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@aws-sdk/client-lambda")>();
  class LambdaClient {
    constructor() {
      state.clients++;
    }
    async send(command: InvokeCommand) {
      state.commands.push(command);
      return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ statusCode: 200, body: "from function" })), $metadata: {} };
    }
  }
  return { ...actual, LambdaClient };
});

const saved = { ...process.env };
afterAll(() => {
  process.env = saved;
});

describe("index.routerHandler (Lambda entry, router image command)", () => {
  it("builds the router once per cold start, from the environment, without the MCP server", async () => {
    Object.assign(process.env, {
      _HANDLER: "index.routerHandler",
      MCP_TARGET_FUNCTION_ARN: "arn:aws:lambda:us-east-1:123456789012:function:mcp-isolated",
      MCP_TENANT_CLAIM: "org",
      MCP_RESPONSE_MODE: "invalid-on-purpose",
      LOG_LEVEL: "silent",
      AWS_REGION: "us-east-1",
    });
    const entry = (await import("../../container/src/lambda/index.js")) as { routerHandler: HttpApiHandler; handler: HttpApiHandler };
    expect(state.clients).toBe(1);
    const event = (tenant: string) =>
      ({
        version: "2.0",
        rawPath: "/mcp",
        rawQueryString: "",
        headers: {},
        requestContext: { requestId: `r-${tenant}`, stage: "$default", http: { method: "POST", path: "/mcp", sourceIp: "203.0.113.1" }, authorizer: { jwt: { claims: { org: tenant }, scopes: [] } } },
        isBase64Encoded: false,
      }) as unknown as Parameters<HttpApiHandler>[0];
    for (const tenant of ["t1", "t2", "t1"]) expect(await entry.routerHandler(event(tenant), { awsRequestId: "x" })).toEqual({ statusCode: 200, body: "from function" });
    expect(state.clients).toBe(1);
    expect(state.commands.map((c) => [c.input.FunctionName, c.input.TenantId])).toEqual([
      ["arn:aws:lambda:us-east-1:123456789012:function:mcp-isolated", "t1"],
      ["arn:aws:lambda:us-east-1:123456789012:function:mcp-isolated", "t2"],
      ["arn:aws:lambda:us-east-1:123456789012:function:mcp-isolated", "t1"],
    ]);
    // The MCP entry is built only if called, and then fails on its (invalid) configuration.
    await expect(entry.handler(event("t1"), { awsRequestId: "y" })).rejects.toThrow(/MCP_RESPONSE_MODE="invalid-on-purpose"/);
  });
});
