/**
 * The MCP function's verifier for the authorization server's own tokens, and the choice of verifier
 * by `iss` (AT-15, AT-16 at unit level).
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignJWT, importPKCS8, type JWTPayload } from "jose";
import { createAccessTokenVerifier, verifierByIssuer } from "../../container/src/core/auth/access-token.js";
import { TokenRejectedError } from "../../container/src/core/auth/types.js";

const ISSUER = "https://mcp.example.com";
const AUDIENCE = "https://mcp.example.com/mcp";
const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
const ours = pair();
const publicPem = ours.publicKey.export({ format: "pem", type: "spki" }).toString();
const privatePem = ours.privateKey.export({ format: "pem", type: "pkcs8" }).toString();

function claims(extra: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: "u1", client_id: "mcp_abc", scope: "mcp/invoke", iat: now, exp: now + 600, jti: "j", ...extra };
}
async function sign(payload: JWTPayload, header: { alg?: string; typ?: string; kid?: string } = {}, pem = privatePem): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: header.alg ?? "RS256", typ: header.typ ?? "at+jwt", kid: header.kid ?? "k1" })
    .sign(await importPKCS8(pem, "RS256"));
}
const verifier = () =>
  createAccessTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    publicKeys: [{ kid: "k1", alg: "RS256", pem: publicPem }],
    verifiedCacheMs: 0,
  });
const reason = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  }
  throw new Error("token accepted");
};

describe("access-token verifier", () => {
  it("accepts a valid token and records client and scopes", async () => {
    const verified = await (await verifier())(await sign(claims()));
    expect(verified).toMatchObject({ clientId: "mcp_abc", subject: "u1", scopes: ["mcp/invoke"] });
  });

  it("refuses another audience, another issuer, typ JWT, a foreign key, an unknown kid", async () => {
    const verify = await verifier();
    expect(await reason(verify(await sign(claims({ aud: "https://other.example.com/mcp" }))))).toBe("unexpected audience");
    expect(await reason(verify(await sign(claims({ iss: "https://other.example.com" }))))).toBe("unexpected issuer");
    expect(await reason(verify(await sign(claims(), { typ: "JWT" })))).toBe("not an access token");
    const foreign = pair().privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(await reason(verify(await sign(claims(), {}, foreign)))).toBe("signature verification failed");
    expect(await reason(verify(await sign(claims(), { kid: "k9" })))).toBe("no matching key");
    expect(await reason(verify(await sign(claims({ client_id: undefined }))))).toBe("missing claim client_id");
  });

  it("refuses alg none and HS256 keyed with the public key", async () => {
    const verify = await verifier();
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const none = `${b64({ alg: "none", typ: "at+jwt" })}.${b64(claims())}.`;
    expect(await reason(verify(none))).toMatch(/algorithm not allowed|malformed/);
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: "k1" })
      .sign(new TextEncoder().encode(publicPem));
    expect(await reason(verify(hs))).toMatch(/algorithm not allowed/);
  });
});

describe("checks shared with the Cognito verifier (claims.ts)", () => {
  it("refuses a token issued in the future, beyond the clock tolerance", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reason((await verifier())(await sign(claims({ iat: now + 60 }))))).toBe("token issued in the future");
    await expect((await verifier())(await sign(claims({ iat: now + 3 })))).resolves.toMatchObject({ subject: "u1" });
  });

  it("remembers a verified token until its cache time, and never past exp", async () => {
    let clock = Date.now();
    const cached = await createAccessTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeys: [{ kid: "k1", alg: "RS256", pem: publicPem }],
      verifiedCacheMs: 60_000,
      now: () => clock,
    });
    const token = await sign(claims({ exp: Math.floor(clock / 1000) + 20 }));
    const first = await cached(token);
    expect(await cached(token)).toBe(first);
    clock += 30_000; // past exp (+5 s tolerance): verified again, and refused
    expect(await reason(cached(token))).toBe("token expired");
  });
});

describe("verifier by issuer", () => {
  it("routes by iss and refuses unknown or missing issuers before any key lookup", async () => {
    const calls: string[] = [];
    const pick = verifierByIssuer({
      [ISSUER]: async (t) => (calls.push("ours"), (await verifier())(t)),
      "https://cognito-idp.us-east-1.amazonaws.com/pool": async () => {
        calls.push("cognito");
        throw new TokenRejectedError("client not allowed");
      },
    });
    await pick(await sign(claims()));
    expect(await reason(pick(await sign(claims({ iss: "https://cognito-idp.us-east-1.amazonaws.com/pool" }))))).toBe("client not allowed");
    expect(await reason(pick(await sign(claims({ iss: "https://evil.example" }))))).toBe("unexpected issuer");
    expect(await reason(pick("not.a.jwt"))).toBe("malformed token");
    expect(calls).toEqual(["ours", "cognito"]);
  });
});
