// Bundles src/index.ts and src/http.ts into dist/ (ES modules for Node.js 22) with esbuild.
import { build } from "esbuild";

await build({
  entryPoints: { index: "src/index.ts", http: "src/http.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  mainFields: ["module", "main"],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
});
