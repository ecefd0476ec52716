/**
 * Real Terraform for the test suite, offline: the CLI on PATH and the filesystem mirror of
 * `hashicorp/aws` on the build image, through a CLI config file of the suite's own (never the
 * network, never the home directory). Each configuration is copied to a temporary directory,
 * so `.terraform/` and lock files never land in the repository.
 *
 * The CLI is `terraform` unless `TF_CLI` names another (`TF_CLI=tofu npm test` runs every suite
 * under OpenTofu); the suite prints which one it ran, with its version.
 */
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Where the image keeps the mirror (shared/docs/verification.md); override with TF_PROVIDER_MIRROR. */
const DEFAULT_MIRROR = "/opt/tf-plugins";
const AWS_PROVIDER = join("registry.terraform.io", "hashicorp", "aws");

/** The CLI the suites run: `TF_CLI` (e.g. `tofu`), else `terraform`. */
export const TF_CLI = process.env.TF_CLI?.trim() || "terraform";

export interface TerraformSetup {
  readonly available: boolean;
  /** The executable every run uses (`terraform` or `tofu`). */
  readonly cli: string;
  /** First line of `<cli> version`, e.g. `Terraform v1.11.4` or `OpenTofu v1.10.6`. */
  readonly version?: string | undefined;
  /** Why Terraform cannot run, when it cannot. */
  readonly reason?: string | undefined;
  readonly mirror: string;
}

/**
 * Find the CLI and the mirror. When either is missing, print one loud line; under `CI=true`
 * throw, so CI never passes by skipping Terraform.
 */
let announced = false;

export function terraformSetup(): TerraformSetup {
  const mirror = process.env.TF_PROVIDER_MIRROR ?? DEFAULT_MIRROR;
  let reason: string | undefined;
  const version = spawnSync(TF_CLI, ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const versionLine = version.stdout?.split("\n")[0]?.trim();
  if (version.error || version.status !== 0) reason = `the ${TF_CLI} CLI is not on PATH (TF_CLI=${TF_CLI})`;
  else if (!existsSync(join(mirror, AWS_PROVIDER)) || readdirSync(join(mirror, AWS_PROVIDER)).length === 0) {
    reason = `no hashicorp/aws provider in the filesystem mirror ${mirror} (set TF_PROVIDER_MIRROR)`;
  }
  if (reason) {
    const line = `!!!!! TERRAFORM TESTS NOT RUN: ${reason} !!!!!`;
    console.error(line);
    if (process.env.CI === "true") throw new Error(line);
  } else if (!announced) {
    announced = true;
    console.info(`terraform suites run with ${TF_CLI}: ${versionLine}`);
  }
  return { available: !reason, reason, mirror, cli: TF_CLI, version: versionLine };
}

/** A temporary root holding copies of configurations and the CLI config file. */
export class TerraformWorkspace {
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly cli: string;

  constructor(setup: TerraformSetup) {
    this.root = mkdtempSync(join(tmpdir(), "tf-test-"));
    this.cli = setup.cli;
    const home = join(this.root, ".home");
    mkdirSync(home);
    // OpenTofu resolves `hashicorp/aws` on registry.opentofu.org: serve the same mirrored
    // packages under both host names (directories, with the files symlinked: the CLIs do not
    // follow directory symlinks in a mirror; nothing is copied or downloaded).
    const mirror = join(home, "mirror");
    for (const host of ["registry.terraform.io", "registry.opentofu.org"])
      linkTree(join(setup.mirror, "registry.terraform.io"), join(mirror, host));
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(
      cliConfig,
      [
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${JSON.stringify(mirror)}`,
        '    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]',
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
   * Run `<cli> -chdir=<dir> <args>` without blocking the event loop (a `terraform test` run
   * takes about a minute). Never rejects: resolves to the exit code and the combined output.
   */
  run(dir: string, ...args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      execFile(
        this.cli,
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

/** Recreate the directories of `source` under `target`, each file a symlink to the original. */
function linkTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(source, entry.name), join(target, entry.name));
    else symlinkSync(join(source, entry.name), join(target, entry.name));
  }
}

/** Parse the summary line `Success! N passed, M failed.` (or `Failure! ...`) of `terraform test` / `tofu test`. */
export function testSummary(output: string): { passed: number; failed: number } | undefined {
  const m = /(\d+) passed, (\d+) failed/.exec(output);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}
