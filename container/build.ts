/**
 * Bundles the Lambda entry point (container/src/lambda/index.ts) into one ES module,
 * dist/lambda/index.mjs, for the Node.js 22 Lambda runtime, and prints the bundle size.
 * Run with `tsx container/build.ts` (part of `npm run build`; the Dockerfile runs it too).
 * The source map is written next to the bundle (dist/lambda/index.mjs.map) but not referenced
 * from it and not copied into the image.
 */
import { stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "container/src/lambda/index.ts");
const outfile = join(root, "dist/lambda/index.mjs");

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  // Prefer the ESM builds of dependencies; bundled CommonJS (e.g. ajv) still calls require() for
  // Node built-ins, which an ES module lacks: provide it.
  mainFields: ["module", "main"],
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  minify: true,
  sourcemap: "external",
  legalComments: "eof",
  logLevel: "warning",
});

const bytes = (await stat(outfile)).size;
process.stdout.write(`${relative(root, outfile)}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)\n`);
