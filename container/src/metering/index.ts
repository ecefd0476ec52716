/** Tenant metering: durable per-tenant usage counters; EMF metrics are in observability/powertools.ts. */
export { createDynamoDbUsageMeter, usagePeriod, markerKey, toolAttribute } from "./dynamodb.js";
export type { DynamoDbUsageMeterOptions } from "./dynamodb.js";
