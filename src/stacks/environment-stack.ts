import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { McpServer } from "../mcp-server/mcp-server.js";
import { AWS_PROVIDER_RANGE } from "../lib/versions.js";
import { MCP_SERVER_OUTPUTS } from "../mcp-server/outputs.js";
import type { EnvironmentSettings } from "./environments.js";

/**
 * One deployable environment: the AWS provider for its Region, an encrypted S3 state backend
 * with S3-native locking, and the same {@link McpServer} the published module is built from,
 * with literal settings. Its outputs are the module's.
 */
export class EnvironmentStack extends TerraformStack {
  readonly server: McpServer;

  constructor(scope: Construct, settings: EnvironmentSettings) {
    super(scope, settings.environment);
    new AwsProvider(this, "aws", { region: settings.region });
    // @cdktf/provider-aws pins the exact version it was generated from; deploy with the range the
    // module is tested against instead (the lock file pins the exact version at init).
    this.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_RANGE);
    const backend = new S3Backend(this, { ...settings.backend, encrypt: true });
    // S3-native state locking (Terraform >= 1.10); CDKTF 0.21's S3BackendConfig predates it.
    backend.addOverride("use_lockfile", true);
    this.server = new McpServer(this, "mcp-server", { ...settings.server, environment: settings.environment });
    const outputs = new Construct(this, "outputs");
    for (const output of MCP_SERVER_OUTPUTS) {
      new TerraformOutput(outputs, output.name, {
        value: output.value(this.server),
        description: output.description,
        ...(output.sensitive === undefined ? {} : { sensitive: output.sensitive }),
      }).overrideLogicalId(output.name);
    }
  }
}
