/**
 * Local development with a real sign-in: one process, one port (`npm run start:oauth`), serving
 *
 * - the MCP endpoint `/mcp`, accepting this authorization server's access tokens (`aud` = the MCP URL);
 * - the authorization server (issuer = the server's origin, e.g. `http://127.0.0.1:3000`): discovery,
 *   `/authorize`, `/register`, `/token`, `/revoke`, consent;
 * - a development identity provider standing in for Amazon Cognito under `/dev-idp`, with one test
 *   user (`MCP_DEV_USER`, default `dev@example.com`; `MCP_DEV_PASSWORD`, else generated and printed).
 *
 * Tokens are signed by a key generated at start (in this process only); state is kept in memory, or
 * in DynamoDB when `OAUTH_TABLE_NAME` is set (with `AWS_ENDPOINT_URL_DYNAMODB` for DynamoDB Local).
 * Loopback only: refuses to bind any other address.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadConfig } from "../config.js";
import type { Logger } from "../core/logger.js";
import type { AnyToolDefinition } from "../core/tools.js";
import { createRootLogger } from "../observability/powertools.js";
import { createLocalHandler, isLoopback, type LocalServer } from "./server.js";
import { createDevIdentityProvider, type DevIdentityProvider, type DevUser } from "./dev-idp.js";
import { settingsWithDefaults, type OAuthSettings, type PublicKeySpec } from "../../../handlers/oauth/src/core/config.js";
import { auditTo, type ServerContext } from "../../../handlers/oauth/src/core/context.js";
import { CALLBACK_PATH } from "../../../handlers/oauth/src/core/authorize.js";
import { createOAuthHandler, OAUTH_PATHS } from "../../../handlers/oauth/src/core/router.js";
import { createMemoryStore } from "../../../handlers/oauth/src/core/store/memory.js";
import { createDynamoDbStore } from "../../../handlers/oauth/src/core/store/dynamodb.js";
import type { OAuthStore } from "../../../handlers/oauth/src/core/store/types.js";
import type { Signer } from "../../../handlers/oauth/src/core/tokens/signer.js";
import { createLocalSigner } from "../../../handlers/oauth/src/core/tokens/local-signer.js";
import { createUpstream } from "../../../handlers/oauth/src/core/upstream.js";
import type { Clock } from "../../../handlers/oauth/src/core/util.js";

export interface OAuthLocalServerOptions {
  /** @default "127.0.0.1"; must be a loopback address */
  readonly host?: string;
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  /** The test user. @default MCP_DEV_USER / MCP_DEV_PASSWORD, tenant "local" */
  readonly user?: DevUser;
  /** @default memory, or DynamoDB when `OAUTH_TABLE_NAME` is set */
  readonly store?: OAuthStore;
  /** Authorization-server settings besides issuer, resource, upstream and keys. */
  readonly settings?: Partial<OAuthSettings>;
  /** Environment for the MCP function's configuration. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Signs access tokens, with its published key. @default a key generated at start */
  readonly signer?: Signer & { readonly publicKey: PublicKeySpec };
  /** Fetches Client ID Metadata Documents (tests: a local TLS server). @default public https hosts of the allow-list */
  readonly cimd?: ServerContext["cimd"];
  /** Clock of the authorization server, epoch seconds (tests). */
  readonly now?: Clock;
  /** The MCP endpoint's tools. @default the project's tools (container/src/tools) */
  readonly tools?: readonly AnyToolDefinition[];
}

export interface OAuthLocalServer extends LocalServer {
  /** The authorization server's issuer, e.g. `http://127.0.0.1:3000`. */
  readonly issuer: string;
  readonly idp: DevIdentityProvider;
  readonly user: DevUser;
}

/**
 * Starts the server and resolves once it listens.
 * @throws Error when `host` is not a loopback address
 */
export async function startOAuthLocalServer(options: OAuthLocalServerOptions = {}): Promise<OAuthLocalServer> {
  const env = options.env ?? process.env;
  const host = options.host ?? env.HOST ?? "127.0.0.1";
  if (!isLoopback(host)) throw new Error(`HOST=${JSON.stringify(host)}: the local sign-in server binds loopback addresses only`);
  const user: DevUser = options.user ?? {
    username: env.MCP_DEV_USER ?? "dev@example.com",
    password: env.MCP_DEV_PASSWORD ?? randomBytes(9).toString("base64url"),
    tenantId: "local",
  };
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? Number(env.PORT ?? 3000), host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const mcpUrl = new URL(`${origin}/mcp`);

  const idp = await createDevIdentityProvider({ origin, redirectUri: `${origin}${CALLBACK_PATH}`, user });
  const signer = options.signer ?? createLocalSigner();
  const settings = settingsWithDefaults({
    issuer: origin,
    resource: mcpUrl.href,
    publicKeys: [signer.publicKey],
    upstream: {
      issuer: idp.issuer,
      authorizationEndpoint: idp.authorizationEndpoint,
      tokenEndpoint: idp.tokenEndpoint,
      jwksUri: idp.jwksUri,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      scopes: ["openid", "email", "profile"],
    },
    ...options.settings,
  });
  const config = loadConfig({
    ...env,
    HOST: host,
    PORT: String(port),
    MCP_AUTH_ENABLED: "true",
    // Machine tokens would come from the development provider, as from Cognito on AWS; no machine
    // client is registered there, so only this origin's own tokens are accepted in practice.
    MCP_JWT_ISSUER: idp.issuer,
    MCP_JWT_CLIENT_IDS: "local-machine-client",
    MCP_OAUTH_ISSUER: origin,
    MCP_OAUTH_PUBLIC_KEYS: JSON.stringify([signer.publicKey]),
    MCP_JWT_REQUIRED_SCOPE: settings.scopes[0] ?? "mcp/invoke",
    MCP_RESOURCE_URL: mcpUrl.href,
  });
  const logger = options.logger ?? createRootLogger(config);
  const tableName = settings.tableName ?? env.OAUTH_TABLE_NAME;
  const store =
    options.store ??
    (tableName === undefined || tableName === ""
      ? createMemoryStore()
      : createDynamoDbStore({ client: new DynamoDBClient({}), tableName }));
  const oauth = createOAuthHandler({
    settings,
    store,
    signer,
    upstream: createUpstream(settings.upstream, `${origin}${CALLBACK_PATH}`),
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    ...(options.cimd === undefined ? {} : { cimd: options.cimd }),
    audit: auditTo(logger),
  });

  const mcp = await createLocalHandler(config, { logger, ...(options.tools === undefined ? {} : { tools: options.tools }) });
  const oauthPaths = new Set(OAUTH_PATHS);
  const listener = getRequestListener(
    (request, nodeEnv) => {
      const info = { sourceIp: nodeEnv.incoming.socket.remoteAddress };
      const path = new URL(request.url).pathname.replace(/(.)\/$/, "$1");
      return oauthPaths.has(path) ? oauth(request, info) : mcp(request, info);
    },
    { overrideGlobalObjects: false },
  );
  server.on("request", (request, response) => {
    if (!idp.handle(request, response)) void listener(request, response);
  });
  return {
    url: mcpUrl,
    port,
    issuer: origin,
    idp,
    user,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const server = await startOAuthLocalServer();
  process.stdout.write(
    [
      "",
      `  MCP      ${server.url.href}`,
      `  issuer   ${server.issuer}           (/authorize, /token, /register, well-knowns)`,
      `  dev IdP  ${server.idp.issuer}   (stands in for Amazon Cognito)`,
      `  sign in  ${server.user.username} / ${server.user.password}`,
      "",
      `  claude mcp add --transport http local ${server.url.href}`,
      "",
    ].join("\n") + "\n",
  );
  const stop = () =>
    void server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
