// Datadog's entity context sync configuration API over HTTP: headers and bodies in, model calls, JSON:API
// documents out. Rules live in model.ts, the wire shape of errors in errors.ts.
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DatadogRateLimitGroup, SyncmockConfig } from '../config';
import { NotFound, RateLimited } from '../platform/errors';
import type { FaultEngine } from '../platform/faults';
import type { RateLimiter } from '../platform/rate-limiter';
import { schema } from '../platform/schemas';
import type { DatadogPermission } from '../platform/seed-data';
import { instrumentVendor } from '../platform/vendors';
import { requirePermission, type DatadogAuth, type DatadogCaller } from './auth';
import { datadogErrorHandler } from './errors';
import type { CreateAttributes, CredentialsAttributes, IntegrationConfig, IntegrationConfigModel, UpdateAttributes } from './model';

export const DATADOG_PREFIX = '/api/v2/security_monitoring/configuration/integration_config';

export interface DatadogPluginOptions {
  model: IntegrationConfigModel;
  auth: DatadogAuth;
  rateLimiter: RateLimiter;
  /** Read on every request: the control API changes them at runtime. */
  rateLimits: SyncmockConfig['datadog']['rateLimits'];
  faults: FaultEngine;
}

/** Rate-limit counters are per org and group; this prefix covers one org's, or without one every org's. */
export const rateLimitPrefix = (orgId?: string): string => (orgId === undefined ? 'dd:' : `dd:${orgId}:`);

/** What each route needs before its handler runs. */
interface DatadogRouteConfig {
  permission: DatadogPermission;
  rateLimitGroup: DatadogRateLimitGroup;
}

declare module 'fastify' {
  interface FastifyRequest {
    datadogCaller?: DatadogCaller;
  }
  interface FastifyContextConfig {
    datadog?: DatadogRouteConfig;
  }
}

const RATE_LIMIT_NAMES: Record<DatadogRateLimitGroup, string> = {
  integration_config_read: 'security_monitoring_integration_config_read',
  integration_config_write: 'security_monitoring_integration_config_write',
  integration_config_validate: 'security_monitoring_integration_config_validate',
};

const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: ERROR_DESCRIPTIONS[c], ...schema('datadog/error-response.json') }]));
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request', 403: 'Not Authorized', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too many requests',
};
const idParams = {
  type: 'object',
  required: ['integration_config_id'],
  properties: { integration_config_id: { type: 'string', description: 'The ID of the entity context sync configuration.' } },
};

type Data<T> = { data: { type: string; attributes: T } };
type IdParams = { integration_config_id: string };

/** A config as a JSON:API resource, the wire form of every answer. */
export function resource(c: IntegrationConfig) {
  return {
    id: c.id,
    type: 'integration_config',
    attributes: {
      created_at: c.createdAt,
      domain: c.domain,
      enabled: c.enabled,
      integration_type: c.integrationType,
      modified_at: c.modifiedAt,
      ...(c.name !== undefined && { name: c.name }),
      ...(c.settings !== undefined && { settings: c.settings }),
      state: c.state,
    },
  };
}

export async function datadogRoutes(app: FastifyInstance, opts: DatadogPluginOptions): Promise<void> {
  const { model, auth, rateLimiter, rateLimits, faults } = opts;
  instrumentVendor(app, 'datadog', faults, (request) => request.datadogCaller?.orgId);
  app.setErrorHandler(datadogErrorHandler);
  // Only JSON bodies: Fastify's built-in text/plain parser would let a text body reach the schema check
  // (a 400) where Datadog answers 415.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((request) => {
    throw new NotFound('Not found', [`not_found(No route for ${request.method} ${request.url.split('?')[0]})`]);
  });

  // Auth, then the permission, then the org's rate limit: all before the body is read, so a caller
  // without rights learns nothing from how its body would have been judged.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.config.datadog;
    if (!route) return;
    const caller = auth.identify(header(request, 'dd-api-key'), header(request, 'dd-application-key'));
    request.datadogCaller = caller;
    const decision = rateLimiter.take(`${rateLimitPrefix(caller.orgId)}${route.rateLimitGroup}`, rateLimits[route.rateLimitGroup]);
    reply.headers({
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-period': String(decision.periodSeconds),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(decision.resetSeconds),
      'x-ratelimit-name': RATE_LIMIT_NAMES[route.rateLimitGroup],
    });
    if (!decision.allowed) throw new RateLimited(decision.resetSeconds);
    requirePermission(caller, route.permission);
  });

  const caller = (request: FastifyRequest): DatadogCaller => request.datadogCaller as DatadogCaller;
  const read = { permission: 'integrations_read', rateLimitGroup: 'integration_config_read' } satisfies DatadogRouteConfig;
  const write = { permission: 'manage_integrations', rateLimitGroup: 'integration_config_write' } satisfies DatadogRouteConfig;
  const check = { permission: 'integrations_read', rateLimitGroup: 'integration_config_validate' } satisfies DatadogRouteConfig;
  const tags = ['Security Monitoring'];

  app.get<{ Querystring: { 'filter[integration_type]'?: string } }>('/', {
    config: { datadog: read },
    schema: {
      operationId: 'ListSecurityMonitoringIntegrationConfigs', summary: 'List entity context sync configurations', tags,
      querystring: schema('datadog/list-query.json'),
      response: { 200: schema('datadog/integration-configs-response.json'), ...errorResponses(400, 403, 429) },
    },
  }, async (request) => ({
    data: model.list(caller(request).orgId, request.query['filter[integration_type]']).map(resource),
  }));

  app.post<{ Body: Data<CreateAttributes> }>('/', {
    config: { datadog: write },
    schema: {
      operationId: 'CreateSecurityMonitoringIntegrationConfig', summary: 'Create an entity context sync configuration', tags,
      body: schema('datadog/integration-config-create-request.json'),
      response: { 200: schema('datadog/integration-config-response.json'), ...errorResponses(400, 403, 413, 415, 429) },
    },
  }, async (request) => ({ data: resource(model.create(caller(request).orgId, request.body.data.attributes)) }));

  app.post<{ Body: Data<CredentialsAttributes> }>('/validate', {
    config: { datadog: check },
    schema: {
      operationId: 'ValidateSecurityMonitoringIntegrationCredentials', summary: 'Validate entity context sync credentials', tags,
      body: schema('datadog/integration-credentials-validate-request.json'),
      response: { 200: { description: 'OK', type: 'null' }, ...errorResponses(400, 403, 413, 415, 429) },
    },
  }, async (request, reply) => {
    model.validateCredentials(caller(request).orgId, request.body.data.attributes);
    return reply.code(200).send();
  });

  app.get<{ Params: IdParams }>('/:integration_config_id', {
    config: { datadog: read },
    schema: {
      operationId: 'GetSecurityMonitoringIntegrationConfig', summary: 'Get an entity context sync configuration', tags,
      params: idParams,
      response: { 200: schema('datadog/integration-config-response.json'), ...errorResponses(403, 404, 429) },
    },
  }, async (request) => ({ data: resource(model.get(caller(request).orgId, request.params.integration_config_id)) }));

  app.patch<{ Params: IdParams; Body: Data<UpdateAttributes> }>('/:integration_config_id', {
    config: { datadog: write },
    schema: {
      operationId: 'UpdateSecurityMonitoringIntegrationConfig', summary: 'Update an entity context sync configuration', tags,
      params: idParams,
      body: schema('datadog/integration-config-update-request.json'),
      response: { 200: schema('datadog/integration-config-response.json'), ...errorResponses(400, 403, 404, 413, 415, 429) },
    },
  }, async (request) => ({
    data: resource(model.update(caller(request).orgId, request.params.integration_config_id, request.body.data.attributes)),
  }));

  app.delete<{ Params: IdParams }>('/:integration_config_id', {
    config: { datadog: write },
    schema: {
      operationId: 'DeleteSecurityMonitoringIntegrationConfig', summary: 'Delete an entity context sync configuration', tags,
      params: idParams,
      response: { 204: { description: 'OK', type: 'null' }, ...errorResponses(403, 404, 429) },
    },
  }, async (request, reply) => {
    model.remove(caller(request).orgId, request.params.integration_config_id);
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/:integration_config_id/validate', {
    config: { datadog: check },
    schema: {
      operationId: 'ValidateSecurityMonitoringIntegrationConfig', summary: 'Validate an entity context sync configuration', tags,
      params: idParams,
      response: { 200: { description: 'OK', type: 'null' }, ...errorResponses(400, 403, 404, 429) },
    },
  }, async (request, reply) => {
    model.validateStored(caller(request).orgId, request.params.integration_config_id);
    return reply.code(200).send();
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}
