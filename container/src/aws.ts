/**
 * On-demand loading of the AWS SDK clients. The Lambda bundle is one file, but esbuild evaluates a
 * module reached only through `import()` when it is first imported, not at start; the SDK clients
 * (tens of milliseconds of module evaluation each) are therefore imported only where a feature that
 * needs them is configured. Keep static imports of `@aws-sdk/*` out of every module the composition
 * root (app.ts) imports statically; `import type` is fine.
 */
import { DependencyTimeoutError } from "./core/dependency.js";

/** `load` called at most once; later calls share its promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** `@aws-sdk/client-dynamodb`, loaded on first use. */
export const loadDynamoDbSdk = once(() => import("@aws-sdk/client-dynamodb"));

/**
 * Time limits of every AWS SDK client the function creates. The HTTP API's integration timeout is
 * 30 s (API Gateway quotas, HTTP APIs) and a request may call DynamoDB more than once, so one call
 * must end well within a few seconds: a dependency that accepts connections but never answers then
 * ends in a 503 (container/src/core/dependency.ts) instead of holding the execution environment to
 * the function's timeout.
 */
export interface AwsCallLimits {
  /** Time to establish the TCP (and TLS) connection, milliseconds. @default 1000 */
  readonly connectionTimeoutMs: number;
  /** Time for one attempt from sending to the complete answer, milliseconds; throws when exceeded. @default 2000 */
  readonly requestTimeoutMs: number;
  /** Attempts per call, first included (the SDK's `standard` retry mode: exponential backoff with full jitter). @default 3 */
  readonly maxAttempts: number;
  /** Whole call, all attempts and backoff and credential resolution included, milliseconds. @default 5000 */
  readonly budgetMs: number;
}

/** The limits of {@link AwsCallLimits} for the function's DynamoDB and STS clients. */
export const DEFAULT_AWS_CALL_LIMITS: AwsCallLimits = { connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 3, budgetMs: 5000 };

/**
 * Client configuration with `limits` (AWS SDK for JavaScript v3 developer guide, "Configuring
 * maxSockets / timeouts" and "Retry strategy"): `requestHandler` options for `NodeHttpHandler`
 * (`@smithy/node-http-handler` 4.x: `requestTimeout` only logs a warning unless
 * `throwOnRequestTimeout` is true), `maxAttempts` with `retryMode: "standard"`.
 */
export function awsClientConfig(limits: AwsCallLimits = DEFAULT_AWS_CALL_LIMITS) {
  return {
    requestHandler: { connectionTimeout: limits.connectionTimeoutMs, requestTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true },
    maxAttempts: limits.maxAttempts,
    retryMode: "standard",
  } as const;
}

/** The part of an AWS SDK v3 client's middleware stack {@link withCallBudget} uses. */
interface MiddlewareHost {
  readonly middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string; priority?: "high" },
    ): void;
  };
}

/**
 * Adds a middleware to `client` that bounds every call it sends (retries, backoff and credential
 * resolution included) to `budgetMs`: past it the call rejects with a `DependencyTimeoutError`
 * (the attempt in flight still ends by its own request timeout). Returns `client`.
 */
export function withCallBudget<C extends object>(client: C, budgetMs: number, what = "AWS"): C {
  (client as unknown as MiddlewareHost).middlewareStack.add(
    (next) => (args) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DependencyTimeoutError(what, budgetMs)), budgetMs);
      });
      return Promise.race([next(args), deadline]).finally(() => clearTimeout(timer));
    },
    { step: "initialize", name: "callBudget", priority: "high" },
  );
  return client;
}
