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
import { rm, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Output name (without .mjs) -> source of each entry point. */
const entries = {
  index: join(root, "container/src/lambda/index.ts"),
  oauth: join(root, "container/src/lambda/oauth.ts"),
  http: join(root, "container/src/http/index.ts"),
};
const outdir = join(root, "dist/lambda");

/**
 * zod 4 re-exports every locale (`z.locales`, about 260 KiB minified) although only English is used
 * (its schemas import `locales/en.js` directly). Nothing here reads `z.locales`, so the bundle gets an
 * index with English only.
 */
const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), "..", "locales", "index.js"), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), "en.js"))};`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: entries,
  outdir,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  // Prefer the ESM builds of dependencies; bundled CommonJS (e.g. ajv) still calls require() for
  // Node built-ins, which an ES module lacks: provide it (in every output file).
  mainFields: ["module", "main"],
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  minify: true,
  sourcemap: "external",
  legalComments: "eof",
  plugins: [zodEnglishOnly],
  metafile: true,
  logLevel: "warning",
});

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
