/**
 * Middleware composition: an ordered array of small stages `(ctx, next) => Promise<Response>`.
 * A stage may answer itself (return a Response), throw an `McpHttpError`, or call `next()` and
 * post-process the downstream Response (e.g. metrics). The order is data, so it can be read,
 * logged and tested.
 */
import { McpHttpError } from "./errors.js";
import type { RequestContext } from "./context.js";

/** Calls the rest of the pipeline. May be called at most once per stage invocation. */
export type Next = () => Promise<Response>;

/** One step of request handling; test it alone by passing a stub `next`. */
export type Stage = (ctx: RequestContext, next: Next) => Promise<Response>;

/** A stage with a name, so the composed order is visible in logs and tests. */
export interface NamedStage {
  readonly name: string;
  readonly run: Stage;
}

/**
 * Runs `stages` in array order over `ctx` (onion model: the first stage is outermost).
 * If the last stage calls `next()`, the request had no handler: that throws a 404 `McpHttpError`.
 * @throws Error when a stage calls `next()` twice (a programming error)
 */
export function runPipeline(stages: readonly NamedStage[], ctx: RequestContext): Promise<Response> {
  let lastIndex = -1;
  const dispatch = (index: number): Promise<Response> => {
    if (index <= lastIndex) {
      return Promise.reject(new Error(`stage "${stages[index - 1]?.name}" called next() more than once`));
    }
    lastIndex = index;
    const stage = stages[index];
    if (stage === undefined) return Promise.reject(McpHttpError.notFound());
    try {
      return stage.run(ctx, () => dispatch(index + 1));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return dispatch(0);
}
