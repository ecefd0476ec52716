/**
 * An in-process RS256 signer for local development and tests: the key pair is generated at start
 * and lives only in this process. Never used on Lambda (production signs in KMS).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { PublicKeySpec } from "../config.js";
import type { Signer } from "./signer.js";

export interface LocalSigner extends Signer {
  /** The public key as published (an `OAUTH_PUBLIC_KEYS` / `MCP_OAUTH_PUBLIC_KEYS` entry). */
  readonly publicKey: PublicKeySpec;
}

/**
 * @param kid key id to publish. @default "local-1"
 * @param privateKeyPem an existing PKCS#8 PEM key; a new 2048-bit RSA key is generated when absent
 */
export function createLocalSigner(kid = "local-1", privateKeyPem?: string): LocalSigner {
  const privateKey: KeyObject =
    privateKeyPem === undefined ? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey : createPrivateKey(privateKeyPem);
  const pem = createPublicKey(privateKey).export({ format: "pem", type: "spki" }).toString();
  return {
    kid,
    publicKey: { kid, alg: "RS256", pem },
    sign: async (input) => new Uint8Array(sign("sha256", input, privateKey)),
  };
}
