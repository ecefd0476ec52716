/**
 * What each function of the image can load: per Lambda handler (and the HTTP server), the files of
 * dist/lambda it reaches from its entry file through static imports and `import()`, read from the
 * esbuild metafile container/build.ts writes (dist/lambda.metafile.json). A dynamic import into the
 * code of another handler (the tenant router, the Cognito triggers, the authorization server) is not
 * followed from the MCP handler: it runs only when that other export is called.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface Metafile {
  readonly outputs: Record<
    string,
    { readonly entryPoint?: string; readonly imports: ReadonlyArray<{ path: string; kind: string; external?: boolean }> }
  >;
}

/** Source files (suffixes of esbuild's `entryPoint`) whose chunks belong to a handler other than the MCP server's. */
const OTHER_HANDLERS: Record<string, readonly string[]> = {
  "index.routerHandler": [
    "container/src/tenant-router/handler.ts",
    "container/src/tenant-router/config.ts",
    "@aws-sdk/client-lambda/dist-es/index.js",
  ],
  "index.preTokenGenerationHandler / postConfirmationHandler": ["handlers/tenants/lambda.ts"],
  "authorization server (index.oauth*Handler or oauth.mjs)": ["handlers/oauth/src/lambda.ts"],
};

export interface EntryClosure {
  readonly name: string;
  readonly files: number;
  /** Bytes, source maps excluded. */
  readonly bytes: number;
}

/**
 * The closure of each handler: `index.handler` (the MCP function), each other handler of index.mjs
 * (its own chunks plus what they load), oauth.mjs and http.mjs when built.
 * @param root repository root (dist/ below it)
 */
export function entryClosures(root: string): EntryClosure[] {
  const meta = JSON.parse(readFileSync(join(root, "dist/lambda.metafile.json"), "utf8")) as Metafile;
  const size = (file: string) => statSync(join(root, file)).size;
  const isOther = (file: string, roots: readonly string[]) => roots.some((r) => meta.outputs[file]?.entryPoint?.endsWith(r) === true);
  const allOther = Object.values(OTHER_HANDLERS).flat();
  const closure = (starts: readonly string[], skip: (file: string) => boolean): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file) || meta.outputs[file] === undefined) return;
      seen.add(file);
      for (const i of meta.outputs[file]!.imports) {
        if (i.external === true || i.path.startsWith("node:")) continue;
        if (i.kind === "dynamic-import" && skip(i.path)) continue;
        visit(i.path);
      }
    };
    for (const start of starts) visit(start);
    return seen;
  };
  const report = (name: string, files: Set<string>): EntryClosure => ({
    name,
    files: files.size,
    bytes: [...files].reduce((sum, f) => sum + size(f), 0),
  });
  const results = [
    report(
      "index.handler (MCP function)",
      closure(["dist/lambda/index.mjs"], (f) => isOther(f, allOther)),
    ),
  ];
  for (const [name, roots] of Object.entries(OTHER_HANDLERS)) {
    const starts = Object.keys(meta.outputs).filter((f) => f.endsWith(".mjs") && isOther(f, roots));
    if (starts.length > 0)
      results.push(
        report(
          name,
          closure(starts, () => false),
        ),
      );
  }
  for (const entry of ["oauth", "http"]) {
    const file = `dist/lambda/${entry}.mjs`;
    if (meta.outputs[file] !== undefined)
      results.push(
        report(
          `${entry}.mjs`,
          closure([file], () => false),
        ),
      );
  }
  return results;
}
