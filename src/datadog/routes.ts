// Datadog's entity context sync configuration API over HTTP: headers and bodies in, model calls, JSON:API
// documents out. Rules live in model.ts, the wire shape of errors in errors.ts.
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseAuthorization } from '../platform/authorization';
import { RateLimited, type Problem } from '../platform/errors';
import { noRouteText } from '../platform/routed-path';
import type { RateLimits } from '../platform/rate-limiter';
import { ref, schema } from '../platform/schemas';
import { onRequestPerRoute } from '../platform/callback-hooks';
import { requirePermission, type DatadogAuth, type DatadogCaller } from './auth';
import type {
  Datadog202608EntraIdAzureAppRegistrationsResponse, Datadog202608IntegrationActivateRequest,
} from '../generated/schema-types';
import { ResourceNotFound } from './errors';
import { resource } from './resource';
import {
  registrationWire,
  type CreateAttributes, type CredentialsAttributes, type EntraIdPrerequisites, type IntegrationConfig,
  type IntegrationConfigModel, type UpdateAttributes,
} from './model';
import { secretlessTypes } from './integration-types';
import { revisionSchema as schemaOf } from './revision-schemas';
import { rateLimitName, type DatadogRateLimitGroup } from './rate-limits';
import { DATADOG_REVISIONS, REVISION_CONSTRAINT, requireKnownRevision, revisionConstraint, type DatadogRevision } from './revision';
import type { DatadogPermission } from './seed';

export const DATADOG_PREFIX = '/api/v2/security_monitoring/configuration/integration_config';

export interface DatadogPluginOptions {
  vendorName: string;
  model: IntegrationConfigModel;
  auth: DatadogAuth;
  rateLimits: RateLimits;
  /** The revision of a request that names none. */
  defaultRevision: DatadogRevision;
}

/** What each route needs before its handler runs. */
interface DatadogRouteConfig {
  permission: DatadogPermission;
  rateLimitGroup: DatadogRateLimitGroup;
}

declare module 'fastify' {
  interface FastifyRequest {
    datadogCaller: DatadogCaller | null;
  }
  interface FastifyContextConfig {
    datadog?: DatadogRouteConfig;
  }
}

const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: ERROR_DESCRIPTIONS[c], ...ref('datadog/error-response.json') }]));
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request', 403: 'Not Authorized', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too many requests',
};
const idParams = {
  type: 'object',
  required: ['integration_config_id'],
  properties: { integration_config_id: { type: 'string', description: 'The ID of the entity context sync configuration.' } },
};

const typeParams = {
  type: 'object',
  required: ['integration_type'],
  properties: { integration_type: { type: 'string', description: 'The integration type, in lower case (for example, `entra_id`).' } },
};

type Data<T> = { data: { type: string; attributes: T } };
type IdParams = { integration_config_id: string };
type TypeParams = { integration_type: string };

const configResponse = ref('datadog/integration-config-response.json');

const read = { permission: 'integrations_read', rateLimitGroup: 'integration_config_read' } satisfies DatadogRouteConfig;
const write = { permission: 'manage_integrations', rateLimitGroup: 'integration_config_write' } satisfies DatadogRouteConfig;
const check = { permission: 'integrations_read', rateLimitGroup: 'integration_config_validate' } satisfies DatadogRouteConfig;
const tags = ['Security Monitoring'];
const caller = (request: FastifyRequest): DatadogCaller => request.datadogCaller as DatadogCaller;

/** `integration_id`, `is_enabled` and `subscribed_at` only when the org has an Entra ID config, as the spec says. */
function azureAppRegistrations(p: EntraIdPrerequisites): Datadog202608EntraIdAzureAppRegistrationsResponse['data'] {
  return {
    id: p.orgId,
    type: 'entra_id_azure_app_registrations',
    attributes: {
      azure_app_registrations: p.registrations.map(registrationWire),
      has_valid_prerequisite: p.hasValidPrerequisite,
      ...(p.integration && { integration_id: p.integration.id, is_enabled: p.integration.enabled, subscribed_at: p.integration.createdAt }),
    },
  };
}

/** The org of a request, once its credentials are known. */
export const datadogScopeOf = (request: FastifyRequest): string | undefined => request.datadogCaller?.orgId;

/** A path under /api no route takes (or that only another revision has): a revision it does not know comes first. */
export function datadogNoRoute(request: FastifyRequest, defaultRevision: DatadogRevision): Problem {
  requireKnownRevision(request, defaultRevision);
  return new ResourceNotFound(noRouteText(request));
}

/**
 * The Datadog API, in the scope the platform made for it (every other path under /api is answered there,
 * in its error shape): the entity context sync configurations live under DATADOG_PREFIX, once per revision.
 */
export async function datadogRoutes(app: FastifyInstance, opts: DatadogPluginOptions): Promise<void> {
  const { vendorName, model, auth, rateLimits, defaultRevision } = opts;
  app.decorateRequest('datadogCaller', null);
  app.addConstraintStrategy(revisionConstraint(defaultRevision));

  // Auth, then the org's rate limit, then the permission: all before the body is read, so a caller
  // without rights learns nothing from how its body would have been judged. The rate limit counts before
  // the permission because Datadog sends its X-RateLimit-* headers on every answer to a known caller
  // (reference: Datadog's rate-limit documentation), a 403 for a missing permission included.
  const admit = (request: FastifyRequest, reply: FastifyReply, route: DatadogRouteConfig): void => {
    const caller = auth.identify({
      authorization: parseAuthorization(header(request, 'authorization')),
      apiKey: header(request, 'dd-api-key'),
      appKey: header(request, 'dd-application-key'),
    });
    request.datadogCaller = caller;
    const decision = rateLimits.take(vendorName, caller.orgId, route.rateLimitGroup);
    reply.header('x-ratelimit-limit', String(decision.limit));
    reply.header('x-ratelimit-period', String(decision.periodSeconds));
    reply.header('x-ratelimit-remaining', String(decision.remaining));
    reply.header('x-ratelimit-reset', String(decision.resetSeconds));
    reply.header('x-ratelimit-name', rateLimitName(route.rateLimitGroup));
    if (!decision.allowed) throw new RateLimited(decision.resetSeconds);
    requirePermission(caller, route.permission);
  };
  // After instrumentVendor's hooks (the plugin's).
  onRequestPerRoute(app, ({ config }) => config?.datadog, admit);
  // Each operation's security as in Datadog's spec: the key pair, or AuthZ with the operation's scope.
  app.addHook('onRoute', (route) => {
    const permission = route.config?.datadog?.permission;
    if (permission) route.schema = { ...route.schema, security: [{ apiKeyAuth: [], appKeyAuth: [] }, { AuthZ: [permission] }] };
  });
  for (const revision of DATADOG_REVISIONS) await app.register(revisionRoutes, { prefix: DATADOG_PREFIX, model, revision });
}

/** Every route of one revision, each constrained to it and validated with that revision's schemas. */
async function revisionRoutes(app: FastifyInstance, opts: { model: IntegrationConfigModel; revision: DatadogRevision }): Promise<void> {
  const { model, revision } = opts;
  app.addHook('onRoute', (route) => {
    route.constraints = { ...route.constraints, [REVISION_CONSTRAINT]: revision };
  });
  const revisionSchema = (file: string) => schemaOf(revision, file);
  // A type that takes no secrets in this revision (integration-types.ts): the spec's models let a client send
  // some anyway (every model allows more properties), and they are ignored: never checked, stored or answered.
  const secretless: readonly string[] = secretlessTypes(revision);
  const withoutIgnoredSecrets = <T extends { integration_type?: string; secrets?: unknown }>(attributes: T): T => {
    const type = attributes.integration_type;
    if (type === undefined || !secretless.includes(type) || !('secrets' in attributes)) return attributes;
    const { secrets: _ignored, ...rest } = attributes;
    return rest as T;
  };

  app.get<{ Querystring: { 'filter[integration_type]'?: string } }>('/', {
    config: { datadog: read },
    schema: {
      operationId: 'ListSecurityMonitoringIntegrationConfigs', summary: 'List entity context sync configurations', tags,
      querystring: revisionSchema('list-query.json'),
      response: { 200: ref('datadog/integration-configs-response.json'), ...errorResponses(400, 403, 429) },
    },
  }, (request) => ({
    data: model.list(caller(request).orgId, request.query['filter[integration_type]']).map(resource),
  }));

  app.post<{ Body: Data<CreateAttributes> }>('/', {
    config: { datadog: write },
    schema: {
      operationId: 'CreateSecurityMonitoringIntegrationConfig', summary: 'Create an entity context sync configuration', tags,
      body: revisionSchema('integration-config-create-request.json'),
      response: { 200: configResponse, ...errorResponses(400, 403, 413, 415, 429) },
    },
  }, (request) => ({ data: resource(model.create(caller(request).orgId, withoutIgnoredSecrets(request.body.data.attributes))) }));

  app.post<{ Body: Data<CredentialsAttributes> }>('/validate', {
    config: { datadog: check },
    schema: {
      operationId: 'ValidateSecurityMonitoringIntegrationCredentials', summary: 'Validate entity context sync credentials', tags,
      body: revisionSchema('integration-credentials-validate-request.json'),
      response: { 200: { description: 'OK', type: 'null' }, ...errorResponses(400, 403, 413, 415, 429) },
    },
  }, (request, reply) => {
    model.validateCredentials(caller(request).orgId, withoutIgnoredSecrets(request.body.data.attributes));
    reply.code(200).send();
  });

  app.get<{ Params: IdParams }>('/:integration_config_id', {
    config: { datadog: read },
    schema: {
      operationId: 'GetSecurityMonitoringIntegrationConfig', summary: 'Get an entity context sync configuration', tags,
      params: idParams,
      response: { 200: configResponse, ...errorResponses(403, 404, 429) },
    },
  }, (request) => ({ data: resource(model.get(caller(request).orgId, request.params.integration_config_id)) }));

  app.patch<{ Params: IdParams; Body: Data<UpdateAttributes> }>('/:integration_config_id', {
    config: { datadog: write },
    schema: {
      operationId: 'UpdateSecurityMonitoringIntegrationConfig', summary: 'Update an entity context sync configuration', tags,
      params: idParams,
      body: revisionSchema('integration-config-update-request.json'),
      response: { 200: configResponse, ...errorResponses(400, 403, 404, 413, 415, 429) },
    },
  }, (request) => ({
    data: resource(model.update(caller(request).orgId, request.params.integration_config_id, withoutIgnoredSecrets(request.body.data.attributes))),
  }));

  app.delete<{ Params: IdParams }>('/:integration_config_id', {
    config: { datadog: write },
    schema: {
      operationId: 'DeleteSecurityMonitoringIntegrationConfig', summary: 'Delete an entity context sync configuration', tags,
      params: idParams,
      response: { 204: { description: 'OK', type: 'null' }, ...errorResponses(403, 404, 429) },
    },
  }, (request, reply) => {
    model.remove(caller(request).orgId, request.params.integration_config_id);
    reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/:integration_config_id/validate', {
    config: { datadog: check },
    schema: {
      operationId: 'ValidateSecurityMonitoringIntegrationConfig', summary: 'Validate an entity context sync configuration', tags,
      params: idParams,
      response: { 200: { description: 'OK', type: 'null' }, ...errorResponses(400, 403, 404, 429) },
    },
  }, (request, reply) => {
    model.validateStored(caller(request).orgId, request.params.integration_config_id);
    reply.code(200).send();
  });

  // Activation is for the sources that take no secrets, and Entra ID's prerequisites go with it.
  if (secretless.length > 0) await app.register(entraIdRoutes, { model, revisionSchema });
}

/** Activate, deactivate and the Entra ID prerequisites (revision 2026-08 on). */
async function entraIdRoutes(
  app: FastifyInstance,
  opts: { model: IntegrationConfigModel; revisionSchema: (file: string) => Record<string, unknown> },
): Promise<void> {
  const { model, revisionSchema } = opts;

  app.get('/entra_id/azure_app_registrations', {
    config: { datadog: read },
    schema: {
      operationId: 'GetEntraIdAzureAppRegistrations', summary: 'Get Entra ID Azure App Registration prerequisites', tags,
      response: { 200: revisionSchema('entra-id-azure-app-registrations-response.json'), ...errorResponses(403, 429) },
    },
  }, (request) => ({ data: azureAppRegistrations(model.entraIdPrerequisites(caller(request).orgId)) }));

  app.post<{ Params: TypeParams; Body: Datadog202608IntegrationActivateRequest }>('/:integration_type/activate', {
    config: { datadog: write, bodyOptional: true },
    // No body at all is the same as an empty one.
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      operationId: 'ActivateIntegration', summary: 'Activate an entity context sync integration', tags,
      params: typeParams,
      body: revisionSchema('integration-activate-request.json'),
      response: { 200: configResponse, ...errorResponses(400, 403, 404, 413, 415, 429) },
    },
  }, (request) => ({
    data: resource(model.activate(caller(request).orgId, request.params.integration_type, request.body.data?.attributes ?? {})),
  }));

  app.post<{ Params: TypeParams }>('/:integration_type/deactivate', {
    config: { datadog: write },
    schema: {
      operationId: 'DeactivateIntegration', summary: 'Deactivate an entity context sync integration', tags,
      params: typeParams,
      response: { 200: configResponse, ...errorResponses(403, 404, 429) },
    },
  }, (request) => ({ data: resource(model.deactivate(caller(request).orgId, request.params.integration_type)) }));
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}
