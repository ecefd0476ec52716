// One runtime of the peer benchmark in its own process (started by bench/peers/run.ts with IPC):
// imports the bundle given as argv[2] (its `handler`: payload 2.0 event in, result out) and answers
// the coordinator's messages:
//   { id, cmd: "invoke", event }          -> { id, result }   (one call, the whole result)
//   { id, cmd: "run", event, count }      -> { id, samples }  (count sequential calls, ms each; each
//                                            must answer 200 with a tool result, not an error)
// stdout is muted (Powertools EMF lines, library logs); errors go back as { id, error }.
import { pathToFileURL } from "node:url";

process.stdout.write = () => true;
const { handler } = await import(pathToFileURL(process.argv[2]).href);
let calls = 0;

/** A Lambda context as the runtime passes it (some middlewares read the remaining time). */
function context() {
  const deadline = Date.now() + 30_000;
  return {
    awsRequestId: `req-${++calls}`,
    functionName: "bench",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench",
    memoryLimitInMB: "1024",
    logGroupName: "/aws/lambda/bench",
    logStreamName: "bench",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

/** The event with API Gateway's per-request id. */
const fresh = (event) => ({ ...event, requestContext: { ...event.requestContext, requestId: `api-${calls}` } });

async function run(event, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const result = await handler(fresh(event), context());
    samples.push(performance.now() - t);
    const body = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString() : result.body;
    if (result.statusCode !== 200 || !body?.includes("structuredContent") || body.includes('"isError":true'))
      throw new Error(`answered ${result.statusCode}: ${String(body).slice(0, 300)}`);
  }
  return samples;
}

process.on("message", async (message) => {
  try {
    if (message.cmd === "invoke") process.send({ id: message.id, result: await handler(fresh(message.event), context()) });
    else if (message.cmd === "run") process.send({ id: message.id, samples: await run(message.event, message.count) });
    else throw new Error(`unknown command ${message.cmd}`);
  } catch (error) {
    process.send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.send({ ready: true, node: process.version });
