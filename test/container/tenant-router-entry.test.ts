/**
 * The Lambda entry module configured as the router (`_HANDLER=index.routerHandler`, as the module
 * sets the router function's image command): the router is built at init from the environment, with
 * one Lambda client and one token verifier (against a real authorization server on 127.0.0.1) for the
 * whole cold start, and the MCP server is not built at all (its
 * configuration here is invalid on purpose: building it would fail the import).
 */
import type { InvokeCommand } from "@aws-sdk/client-lambda";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { HttpApiHandler } from "../../container/src/lambda/adapter.js";
import { RESOURCE, startAuthorizationServer, type AuthorizationServer } from "./support/oidc.js";

const state = vi.hoisted(() => ({ clients: 0, commands: [] as InvokeCommand[] }));

vi.mock("@aws-sdk/client-lambda", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@aws-sdk/client-lambda")>();
  class LambdaClient {
    constructor() {
      state.clients++;
    }
    async send(command: InvokeCommand) {
      state.commands.push(command);
      return {
        StatusCode: 200,
        Payload: new TextEncoder().encode(JSON.stringify({ statusCode: 200, body: "from function" })),
        $metadata: {},
      };
    }
  }
  return { ...actual, LambdaClient };
});

const saved = { ...process.env };
let as: AuthorizationServer | undefined;
afterAll(async () => {
  process.env = saved;
  await as?.close();
});

describe("index.routerHandler (Lambda entry, router image command)", () => {
  it("builds the router once per cold start, from the environment, without the MCP server", async () => {
    as = await startAuthorizationServer([
      { clientId: "m2m-t1", secret: "s1", tenantId: "t1" },
      { clientId: "m2m-t2", secret: "s2", tenantId: "t2" },
    ]);
    Object.assign(process.env, {
      _HANDLER: "index.routerHandler",
      MCP_TARGET_FUNCTION_ARN: "arn:aws:lambda:us-east-1:123456789012:function:mcp-isolated",
      MCP_JWT_ISSUER: as.issuer,
      MCP_JWT_CLIENT_IDS: "m2m-t1,m2m-t2",
      MCP_JWT_REQUIRED_SCOPE: "mcp/invoke",
      MCP_RESOURCE_URL: RESOURCE,
      MCP_RESPONSE_MODE: "invalid-on-purpose",
      LOG_LEVEL: "silent",
      AWS_REGION: "us-east-1",
    });
    const entry = (await import("../../container/src/lambda/index.js")) as { routerHandler: HttpApiHandler; handler: HttpApiHandler };
    expect(state.clients).toBe(1);
    const tokens: Record<string, string> = { t1: await as.token("m2m-t1"), t2: await as.token("m2m-t2") };
    const event = (tenant: string) =>
      ({
        version: "2.0",
        rawPath: "/mcp",
        rawQueryString: "",
        headers: {
          authorization: `Bearer ${tokens[tenant]}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
        },
        requestContext: {
          requestId: `r-${tenant}`,
          domainName: "abc.execute-api.us-east-1.amazonaws.com",
          stage: "$default",
          http: { method: "POST", path: "/mcp", sourceIp: "203.0.113.1" },
        },
        body: "{}",
        isBase64Encoded: false,
      }) as unknown as Parameters<HttpApiHandler>[0];
    for (const tenant of ["t1", "t2", "t1"])
      expect(await entry.routerHandler(event(tenant), { awsRequestId: "x" })).toEqual({ statusCode: 200, body: "from function" });
    // One JWKS fetch for the cold start: the verifier is built once.
    expect(as.jwksFetches()).toBe(1);
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
