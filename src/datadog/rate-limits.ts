// Datadog counts requests per org and operation group, and names the group in X-RateLimit-Name. The groups
// are the configuration's (schemas/config.json, datadog.rateLimits: a rule each, with its default): read from
// there, so the contract, the routes and the control API's schemas list the ones the configuration sets.
import type { Config } from '../generated/schema-types';
import { schema } from '../platform/schemas';

export type DatadogRateLimitGroup = keyof Config['datadog']['rateLimits'];

type Properties = { properties: Record<string, Properties> };
export const DATADOG_RATE_LIMIT_GROUPS = Object.keys(
  (schema('config.json') as unknown as Properties).properties.datadog.properties.rateLimits.properties,
) as readonly DatadogRateLimitGroup[];

/** The group as X-RateLimit-Name says it (Datadog's rate-limit documentation). */
export const rateLimitName = (group: DatadogRateLimitGroup): string => `security_monitoring_${group}`;
