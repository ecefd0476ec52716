/**
 * The CDKTF app: `npm run synth` (or `cdktf synth`) publishes the reusable modules under
 * `modules/` and synthesizes the per-environment stacks under `cdktf.out/`;
 * `cdktf deploy <environment>` deploys one of those stacks.
 */
import { fileURLToPath } from "node:url";
import { PUBLISHED_MODULES } from "./src/modules.js";
import { publishContainerReadme } from "./src/publish/environment.js";
import { refreshMockProviders } from "./src/publish/mocks.js";
import { publishModules } from "./src/publish/publish.js";
import { buildApp } from "./src/stacks/app.js";

await publishModules(PUBLISHED_MODULES, fileURLToPath(new URL("./modules", import.meta.url)));
publishContainerReadme(fileURLToPath(new URL("./container/README.md", import.meta.url)));
refreshMockProviders(fileURLToPath(new URL(".", import.meta.url)));
buildApp().synth();
