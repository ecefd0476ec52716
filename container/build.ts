/**
 * Bundles the image's entry points for Node.js 22 into dist/lambda/ (ES modules) and prints their sizes:
 * - index.mjs (container/src/lambda/index.ts): the Lambda handlers `index.handler`, `index.routerHandler`
 *   and the Cognito triggers `index.preTokenGenerationHandler`, `index.postConfirmationHandler`;
 * - oauth.mjs (container/src/lambda/oauth.ts): the authorization server's two functions, `oauth.frontHandler`
 *   and `oauth.tokenHandler` (handlers/oauth), an entry of its own so index.mjs does not carry it;
 * - http.mjs (container/src/http/index.ts): the HTTP server (`node /var/task/http.mjs`; ECS, AgentCore Runtime);
 * plus the code-split chunks they share in dist/lambda/chunks/. Run with `tsx container/build.ts`
 * (part of `npm run build`; the Dockerfile runs it too).
 *
 * Code splitting keeps the cold start short: a module reached only through `import()` (the AWS SDK
 * clients, the router, the X-Ray SDK, jose; see container/src/aws.ts) lands in its own chunk, which
 * Node neither reads nor parses unless the configuration needs it. The image copies the whole
 * directory. Source maps are written next to the files but not referenced and not copied into the image.
 */
import { rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { LAMBDA_BUNDLE_OPTIONS } from "./bundle-options.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Output name (without .mjs) -> source of each entry point. */
const entries = {
  index: join(root, "container/src/lambda/index.ts"),
  oauth: join(root, "container/src/lambda/oauth.ts"),
  http: join(root, "container/src/http/index.ts"),
};
const outdir = join(root, "dist/lambda");

await rm(outdir, { recursive: true, force: true });
const result = await build({
  ...LAMBDA_BUNDLE_OPTIONS,
  entryPoints: entries,
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: "external",
  metafile: true,
});

// Which output imports which (statically or with import()), for the bundle-size report of bench/run.ts; not shipped.
await writeFile(join(root, "dist/lambda.metafile.json"), JSON.stringify(result.metafile));

/** Output files (no maps), and per entry the files Node loads when it imports it: the entry and its static imports, transitively. */
const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith(".mjs"));
const staticClosure = (entryFile: string): Set<string> => {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const i of result.metafile.outputs[file]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(entryFile);
  return loaded;
};
const size = async (files: Iterable<string>) =>
  (await Promise.all([...files].map((f) => stat(join(root, f))))).reduce((sum, s) => sum + s.size, 0);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const total = await size(outputs);
const lines = [`${relative(root, outdir)}: ${outputs.length} files, ${kib(total)} (${total} bytes)`];
for (const name of Object.keys(entries)) {
  const file = outputs.find((f) => f.endsWith(`/${name}.mjs`))!;
  const loaded = staticClosure(file);
  lines.push(`  ${name}.mjs and its static imports: ${loaded.size} files, ${kib(await size(loaded))}`);
}
process.stdout.write(`${lines.join("\n")}\n`);
