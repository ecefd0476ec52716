/**
 * Access-token signing. KMS itself is not exercised (no AWS here): the mocked KMS client asserts the
 * exact Sign request and computes a real RSASSA-PKCS1-v1_5 SHA-256 signature over `Message` with
 * node:crypto, so the token built from the "KMS" output must verify with the published key.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { importSPKI, jwtVerify } from "jose";
import { createKmsSigner } from "../../handlers/oauth/src/core/tokens/kms-signer.js";
import { createLocalSigner } from "../../handlers/oauth/src/core/tokens/local-signer.js";
import { signAccessToken } from "../../handlers/oauth/src/core/tokens/signer.js";

const claims = {
  iss: "https://mcp.example.com",
  sub: "u1",
  aud: "https://mcp.example.com/mcp",
  client_id: "mcp_x",
  scope: "mcp/invoke",
  iat: 1_800_000_000,
  exp: 1_800_000_900,
};

describe("KMS signer (mocked KMS client; KMS itself not exercised)", () => {
  it("sends Sign with RAW message and RSASSA_PKCS1_V1_5_SHA_256, and the JWS verifies with the public key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kms = mockClient(KMSClient);
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
      Signature: new Uint8Array(sign("sha256", input.Message, privateKey)),
      KeyId: "arn:aws:kms:us-east-1:123456789012:key/k1",
    }));
    const signer = createKmsSigner({
      client: new KMSClient({ region: "us-east-1" }),
      keyId: "arn:aws:kms:us-east-1:123456789012:key/k1",
      kid: "k1",
    });
    const token = await signAccessToken(signer, claims);

    const calls = kms.commandCalls(SignCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toEqual({
      KeyId: "arn:aws:kms:us-east-1:123456789012:key/k1",
      Message: new TextEncoder().encode(token.split(".").slice(0, 2).join(".")),
      MessageType: "RAW",
      SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256",
    });

    const key = await importSPKI(publicKey.export({ format: "pem", type: "spki" }).toString(), "RS256");
    const { payload, protectedHeader } = await jwtVerify(token, key, { typ: "at+jwt", currentDate: new Date(1_800_000_100_000) });
    expect(protectedHeader).toEqual({ alg: "RS256", typ: "at+jwt", kid: "k1" });
    expect(payload).toMatchObject(claims);
    expect(typeof payload.jti).toBe("string");
    kms.restore();
  });

  it("refuses a signing input above the 4096-byte RAW limit without calling KMS", async () => {
    const kms = mockClient(KMSClient);
    const signer = createKmsSigner({ client: new KMSClient({ region: "us-east-1" }), keyId: "k1" });
    await expect(signer.sign(new Uint8Array(4097))).rejects.toThrow(/4096/);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
    kms.restore();
  });
});

describe("local signer", () => {
  it("signs tokens that verify with its published key", async () => {
    const signer = createLocalSigner("dev-1");
    const token = await signAccessToken(signer, claims);
    const { protectedHeader } = await jwtVerify(token, await importSPKI(signer.publicKey.pem, "RS256"), {
      currentDate: new Date(1_800_000_100_000),
    });
    expect(protectedHeader.kid).toBe("dev-1");
  });
});
