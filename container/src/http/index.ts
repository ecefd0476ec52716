/**
 * Container entry of the one image (`node /var/task/http.mjs`, bundled by container/build.ts): the MCP
 * server with the built-in tools on `0.0.0.0:8000/mcp` (see server.ts), stopped gracefully on SIGTERM.
 */
import { runHttpServer } from "./server.js";

await runHttpServer();
