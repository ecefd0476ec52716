/**
 * V8 code cache for the modules the Lambda entry loads (Node.js `module.enableCompileCache`, Node.js
 * 22.1 and later; Node.js docs, "Module compile cache"). The image build imports the entry once with
 * an empty `compile-cache/` directory next to it (container/Dockerfile), so the image ships the
 * compiled code of every module a cold start loads and Node skips compiling them.
 *
 * Fails safe: nothing happens on Node.js 20 (no such API), when the directory is absent (a bundle
 * not built into the image), or when `NODE_DISABLE_COMPILE_CACHE` is set; on the read-only
 * /var/task Node reads the cache and silently skips writing, and an entry written by another Node.js
 * version or for other file contents is ignored (Node checks both).
 */
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";

/** Name of the cache directory, next to the entry file. */
export const COMPILE_CACHE_DIR = "compile-cache";

/**
 * Enables the compile cache in `<directory of entryUrl>/compile-cache` when that directory exists.
 * Call it before the modules to cache are imported (they must be loaded with `import()` after it).
 * @param entryUrl `import.meta.url` of the entry file
 * @returns whether the cache is on
 */
export function useCompileCache(entryUrl: string): boolean {
  const enable = (module as { enableCompileCache?: (dir: string) => { status: number } }).enableCompileCache;
  if (enable === undefined) return false;
  const dir = fileURLToPath(new URL(COMPILE_CACHE_DIR, entryUrl));
  if (!existsSync(dir)) return false;
  const { status } = enable(dir);
  // module.constants.compileCacheStatus: ENABLED 1, ALREADY_ENABLED 2 (e.g. NODE_COMPILE_CACHE), FAILED 0, DISABLED 3.
  return status === 1 || status === 2;
}
