/**
 * Bundles the Lambda entry point (container/src/lambda/index.ts) for the Node.js 22 Lambda runtime:
 * dist/lambda/index.mjs plus code-split chunks in dist/lambda/chunks/ (ES modules), and prints the
 * sizes. Run with `tsx container/build.ts` (part of `npm run build`; the Dockerfile runs it too).
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
const entry = join(root, "container/src/lambda/index.ts");
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
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), "..", "locales", "index.js"), namespace: "zod-locales" } : undefined,
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
  entryPoints: { index: entry },
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

/** Output files (no maps) and the files Node loads when it imports the entry: the entry and its static imports, transitively. */
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".mjs"));
const loaded = new Set<string>();
const visit = (file: string) => {
  if (loaded.has(file)) return;
  loaded.add(file);
  for (const i of result.metafile.outputs[file]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
};
visit(outputs.find(([file]) => file.endsWith("/index.mjs") || file === "dist/lambda/index.mjs")![0]);
const size = async (files: string[]) => (await Promise.all(files.map((f) => stat(join(root, f))))).reduce((sum, s) => sum + s.size, 0);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const total = await size(outputs.map(([file]) => file));
process.stdout.write(
  `${relative(root, outdir)}: ${outputs.length} files, ${kib(total)} (${total} bytes); index.mjs and its static imports: ${loaded.size} files, ${kib(await size([...loaded]))}\n`,
);
