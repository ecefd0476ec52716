import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** One worker per core the machine offers (Terraform and DynamoDB Local are child processes on top). */
const workers = availableParallelism();

export default defineConfig({
  test: {
    pool: "forks",
    poolOptions: { forks: { maxForks: workers, minForks: 1 } },
    projects: [
      {
        // The inner loop (`npm run test:unit`): constructs, publishing, IAM and the MCP runtime.
        extends: true,
        test: {
          name: "unit",
          // examples/custom-tools is a separate project; its own tests run here too (against this checkout's runtime package).
          include: ["test/**/*.test.ts", "examples/custom-tools/test/**/*.test.ts"],
          exclude: ["test/terraform/**"],
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
