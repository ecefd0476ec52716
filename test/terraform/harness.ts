/**
 * Real Terraform for the test suite, offline: the CLI on PATH and the filesystem mirror of
 * `hashicorp/aws` on the build image, through a CLI config file of the suite's own (never the
 * network, never the home directory). Each configuration is copied to a temporary directory,
 * so `.terraform/` and lock files never land in the repository.
 */
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Where the image keeps the mirror (shared/docs/verification.md); override with TF_PROVIDER_MIRROR. */
const DEFAULT_MIRROR = "/opt/tf-plugins";
const AWS_PROVIDER = join("registry.terraform.io", "hashicorp", "aws");

export interface TerraformSetup {
  readonly available: boolean;
  /** Why Terraform cannot run, when it cannot. */
  readonly reason?: string;
  readonly mirror: string;
}

/**
 * Find the CLI and the mirror. When either is missing, print one loud line; under `CI=true`
 * throw, so CI never passes by skipping Terraform.
 */
export function terraformSetup(): TerraformSetup {
  const mirror = process.env.TF_PROVIDER_MIRROR ?? DEFAULT_MIRROR;
  let reason: string | undefined;
  const version = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) reason = "the terraform CLI is not on PATH";
  else if (!existsSync(join(mirror, AWS_PROVIDER)) || readdirSync(join(mirror, AWS_PROVIDER)).length === 0) {
    reason = `no hashicorp/aws provider in the filesystem mirror ${mirror} (set TF_PROVIDER_MIRROR)`;
  }
  if (reason) {
    const line = `!!!!! TERRAFORM TESTS NOT RUN: ${reason} !!!!!`;
    console.error(line);
    if (process.env.CI === "true") throw new Error(line);
  }
  return { available: !reason, reason, mirror };
}

/** A temporary root holding copies of configurations and the CLI config file. */
export class TerraformWorkspace {
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(setup: TerraformSetup) {
    this.root = mkdtempSync(join(tmpdir(), "tf-test-"));
    const home = join(this.root, ".home");
    mkdirSync(home);
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(
      cliConfig,
      [
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${JSON.stringify(setup.mirror)}`,
        '    include = ["registry.terraform.io/hashicorp/*"]',
        "  }",
        "}",
        "disable_checkpoint = true",
        "",
      ].join("\n"),
    );
    this.env = {
      PATH: process.env.PATH,
      HOME: home,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
    };
  }

  /** Copy `source` to `<root>/<target>` and return the copy's path. */
  copy(source: string, target: string): string {
    const destination = join(this.root, target);
    cpSync(source, destination, { recursive: true, filter: (s) => !/\/(\.terraform|\.terraform\.lock\.hcl)$/.test(s) });
    return destination;
  }

  /**
   * Copy only `files` (paths relative to `source`) to `<root>/<target>` and return the copy's path:
   * e.g. a module's variable and version files, for runs that plan no resource.
   */
  copyOnly(source: string, files: readonly string[], target: string): string {
    const destination = join(this.root, target);
    for (const file of files) {
      mkdirSync(dirname(join(destination, file)), { recursive: true });
      copyFileSync(join(source, file), join(destination, file));
    }
    return destination;
  }

  /**
   * Let `dir` use what `terraform init` installed in `initialized` (the provider links and the
   * lock file), so a second copy of the same module needs no second init. Both copies must
   * require the same providers.
   */
  shareInit(initialized: string, dir: string): void {
    symlinkSync(join(initialized, ".terraform"), join(dir, ".terraform"), "dir");
    copyFileSync(join(initialized, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
  }

  /**
   * Run `terraform -chdir=<dir> <args>` without blocking the event loop (a `terraform test` run
   * takes about a minute). Never rejects: resolves to the exit code and the combined output.
   */
  run(dir: string, ...args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      execFile(
        "terraform",
        [`-chdir=${dir}`, ...args, "-no-color"],
        { env: this.env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
          resolve({ code, output: `${stdout}${stderr}${error && typeof error.code !== "number" ? String(error) : ""}` });
        },
      );
    });
  }
}

/** Parse the summary line `Success! N passed, M failed.` (or `Failure! ...`) of `terraform test`. */
export function testSummary(output: string): { passed: number; failed: number } | undefined {
  const m = /(\d+) passed, (\d+) failed/.exec(output);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}
