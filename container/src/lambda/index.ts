/**
 * Lambda entry point (`CMD ["index.handler"]` in container/Dockerfile).
 * Configuration is validated and the core handler is built once per cold start, at module scope;
 * an invalid environment fails the init phase with a message naming the variable.
 *
 * Observability (Powertools for AWS Lambda): Logger (JSON lines), Metrics (one EMF document per
 * request, metering slot), Tracer (one X-Ray subsegment per request, tracing slot; the DynamoDB
 * client is captured so session and cache calls appear as subsegments). Tracing is active only when
 * the function has X-Ray active tracing (Powertools reads the Lambda environment).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { createAppHandler } from "../app.js";
import { loadConfig } from "../config.js";
import { createPowertoolsLogger, createPowertoolsMetricsSink, createPowertoolsTracing } from "../observability/powertools.js";
import { createLambdaHandler } from "./adapter.js";

const config = loadConfig();
const logger = createPowertoolsLogger({ level: config.logLevel, serviceName: config.serviceName, persistentKeys: { environment: config.environment } });
const tracer = new Tracer({ serviceName: config.serviceName });
const dynamoDb = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** The Lambda handler: API Gateway HTTP API payload 2.0 event in, structured result out. */
export const handler = createLambdaHandler(
  createAppHandler(config, {
    logger,
    dynamoDb,
    tracing: createPowertoolsTracing(tracer),
    metrics: createPowertoolsMetricsSink({ namespace: config.metricsNamespace, serviceName: config.serviceName, environment: config.environment }),
  }),
  logger,
);
