import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Terraform init/validate/test runs are slow (seconds each); the MCP tests are fast.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The machine has 2 cores: keep Terraform processes from oversubscribing them.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
