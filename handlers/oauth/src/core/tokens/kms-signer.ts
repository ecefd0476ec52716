/**
 * RS256 signer backed by an AWS KMS asymmetric key (`KeySpec` RSA_2048, `KeyUsage` SIGN_VERIFY):
 * the private key never leaves KMS.
 *
 * Source: AWS KMS API Reference, "Sign": `Message` up to 4096 bytes with `MessageType` RAW (KMS
 * hashes it), `SigningAlgorithm` RSASSA_PKCS1_V1_5_SHA_256; the returned `Signature` for RSA keys
 * is the raw PKCS #1 v1.5 signature, which is exactly the JWS RS256 signature (RFC 7518 section 3.3).
 */
import { SignCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { Signer } from "./signer.js";

/** KMS limit on a RAW message, bytes. */
export const KMS_MAX_RAW_MESSAGE_BYTES = 4096;

export interface KmsSignerOptions {
  readonly client: Pick<KMSClient, "send">;
  /** Key id or ARN given to `Sign`. */
  readonly keyId: string;
  /** `kid` published in the JWKS for this key. @default keyId */
  readonly kid?: string;
}

export function createKmsSigner(options: KmsSignerOptions): Signer {
  return {
    kid: options.kid ?? options.keyId,
    async sign(input) {
      if (input.byteLength > KMS_MAX_RAW_MESSAGE_BYTES)
        throw new Error(
          `signing input is ${input.byteLength} bytes; KMS Sign accepts at most ${KMS_MAX_RAW_MESSAGE_BYTES} with MessageType RAW`,
        );
      const { Signature } = await options.client.send(
        new SignCommand({ KeyId: options.keyId, Message: input, MessageType: "RAW", SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" }),
      );
      if (Signature === undefined) throw new Error("KMS Sign returned no signature");
      return Signature;
    },
  };
}
