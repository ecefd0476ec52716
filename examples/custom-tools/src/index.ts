/** Lambda entry (`CMD ["index.handler"]`): the MCP server with this project's tools, built during the init phase. */
import { createLambdaHandler } from "@mcp-server-aws/runtime";
import { tools } from "./tools.js";

export const handler = await createLambdaHandler({ tools });
