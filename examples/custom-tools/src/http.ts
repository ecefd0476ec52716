/** Container entry (`node /var/task/http.mjs`): the same server on 0.0.0.0:8000/mcp for ECS Fargate or AgentCore Runtime. */
import { runHttpServer } from "@mcp-server-aws/runtime";
import { tools } from "./tools.js";

await runHttpServer({ tools });
