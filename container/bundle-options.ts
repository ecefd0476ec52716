/**
 * The esbuild options of the image's bundles (container/build.ts), shared with the benchmark that
 * bundles a bare MCP SDK handler the same way for comparison (bench/cold).
 */
import { dirname, join } from "node:path";
import type { BuildOptions, Plugin } from "esbuild";

/**
 * zod 4 re-exports every locale (`z.locales`, about 260 KiB minified) although only English is used
 * (its schemas import `locales/en.js` directly). Nothing here reads `z.locales`, so the bundle gets an
 * index with English only.
 */
export const zodEnglishOnly: Plugin = {
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

/**
 * ES modules for Node.js 22, minified, code-split (a module reached only through `import()` lands in
 * a chunk of its own, which Node neither reads nor parses unless the configuration needs it).
 */
export const LAMBDA_BUNDLE_OPTIONS = {
  splitting: true,
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
  legalComments: "eof",
  plugins: [zodEnglishOnly],
  logLevel: "warning",
} satisfies BuildOptions;
