import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** One worker per core the machine offers (Terraform and DynamoDB Local are child processes on top). */
const workers = availableParallelism();

/** Suites that start real servers (DynamoDB Local, oidc-provider, Node 22 for the conformance suite, sockets). */
const INTEGRATION = [
  "test/container/{auth,bad-input,conformance,dynamodb,e2e,faults,metering,tenancy,tenant-router-e2e,tenant-router-entry}.test.ts",
  "test/handlers/**/*.test.ts",
  "test/oauth/{acceptance,browser,cimd,conformance,e2e,lambda,security,store}.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    poolOptions: { forks: { maxForks: workers, minForks: 1 } },
    projects: [
      {
        // The inner loop (`npm run test:unit`): constructs, publishing, IAM, the contract and the MCP
        // runtime in process, with no server of its own to start.
        extends: true,
        test: {
          name: "unit",
          // examples/custom-tools is a separate project; its own tests run here too (against this checkout's runtime package).
          include: ["test/**/*.test.ts", "examples/custom-tools/test/**/*.test.ts"],
          exclude: ["test/terraform/**", ...INTEGRATION],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Real parts started per file (`npm run test:integration`): DynamoDB Local, oidc-provider, the MCP
        // conformance suite on Node 22, TCP black holes, the SDK client's OAuth flows.
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Real Terraform (`npm run test:terraform`): init/validate/test runs take seconds to minutes each.
        extends: true,
        test: {
          name: "terraform",
          include: ["test/terraform/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
