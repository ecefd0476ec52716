/**
 * On-demand loading of the AWS SDK clients. The Lambda bundle is one file, but esbuild evaluates a
 * module reached only through `import()` when it is first imported, not at start; the SDK clients
 * (tens of milliseconds of module evaluation each) are therefore imported only where a feature that
 * needs them is configured. Keep static imports of `@aws-sdk/*` out of every module the composition
 * root (app.ts) imports statically; `import type` is fine.
 */

/** `load` called at most once; later calls share its promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** `@aws-sdk/client-dynamodb`, loaded on first use. */
export const loadDynamoDbSdk = once(() => import("@aws-sdk/client-dynamodb"));
