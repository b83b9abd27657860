// JumpCloud's user groups over HTTP (API v2): every request carries an x-api-key, which names its
// organization; then the organization's rate limit; then the body and the rules (model.ts). Registered at
// the platform in a scope of its own (src/platform/vendor-scope.ts), so its hooks reach only the paths it owns.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound, RateLimited, type Problem } from '../../../src/platform/errors';
import type { RateLimits } from '../../../src/platform/rate-limiter';
import { noRouteText } from '../../../src/platform/routed-path';
import { ref } from '../../../src/platform/schemas';
import type { ApiKeys, UserGroupInput, UserGroupModel } from './model';

export const USER_GROUPS_PREFIX = '/api/v2/usergroups';
/** Every call counts against its organization's one limit. */
export const JUMPCLOUD_RATE_LIMIT_GROUP = 'api';

export interface JumpcloudPluginOptions {
  vendorName: string;
  model: UserGroupModel;
  keys: ApiKeys;
  rateLimits: RateLimits;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The organization the request's API key acts for, once checked. */
    jumpcloudOrganization: string | null;
  }
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, description: 'The user group id' } } };
const error = (description: string) => ({ description, ...ref('jumpcloud/error.json') });
const errors = {
  400: error('Bad Request'), 401: error('Missing or unknown x-api-key'), 404: error('No such user group'), 429: error('Too Many Requests (Retry-After)'),
};
const writeErrors = { ...errors, 409: error('Another user group has this name'), 413: error('Payload Too Large'), 415: error('Unsupported Media Type') };
const tags = ['JumpCloud User Groups'];

export async function jumpcloudRoutes(app: FastifyInstance, opts: JumpcloudPluginOptions): Promise<void> {
  const { vendorName, model, keys, rateLimits } = opts;
  app.decorateRequest('jumpcloudOrganization', null);
  app.addHook('onRequest', async (request) => {
    const organization = keys.authenticate(request.headers['x-api-key']);
    request.jumpcloudOrganization = organization;
    const decision = rateLimits.take(vendorName, organization, JUMPCLOUD_RATE_LIMIT_GROUP);
    if (!decision.allowed) throw new RateLimited(decision.resetSeconds);
  });
  const organization = (request: { jumpcloudOrganization: string | null }): string => request.jumpcloudOrganization as string;

  app.get(USER_GROUPS_PREFIX, {
    schema: { tags, operationId: 'groupsUserList', summary: 'List user groups', response: { 200: { type: 'array', items: ref('jumpcloud/user-group.json') }, ...errors } },
  }, (request) => model.list(organization(request)));
  app.post<{ Body: UserGroupInput }>(USER_GROUPS_PREFIX, {
    schema: {
      tags, operationId: 'groupsUserPost', summary: 'Create a user group', body: ref('jumpcloud/user-group-request.json'),
      response: { 201: ref('jumpcloud/user-group.json'), ...writeErrors },
    },
  }, async (request, reply) => reply.code(201).send(model.create(organization(request), request.body)));
  app.get<{ Params: { id: string } }>(`${USER_GROUPS_PREFIX}/:id`, {
    schema: { tags, operationId: 'groupsUserGet', summary: 'A user group', params: idParams, response: { 200: ref('jumpcloud/user-group.json'), ...errors } },
  }, (request) => model.get(organization(request), request.params.id));
  app.put<{ Params: { id: string }; Body: UserGroupInput }>(`${USER_GROUPS_PREFIX}/:id`, {
    schema: {
      tags, operationId: 'groupsUserPut', summary: 'Replace a user group', params: idParams, body: ref('jumpcloud/user-group-request.json'),
      response: { 200: ref('jumpcloud/user-group.json'), ...writeErrors },
    },
  }, (request) => model.replace(organization(request), request.params.id, request.body));
  app.delete<{ Params: { id: string } }>(`${USER_GROUPS_PREFIX}/:id`, {
    schema: { tags, operationId: 'groupsUserDelete', summary: 'Delete a user group', params: idParams, response: { 204: { description: 'Deleted', type: 'null' }, ...errors } },
  }, async (request, reply) => {
    model.delete(organization(request), request.params.id);
    return reply.code(204).send();
  });
}

/** The organization of a request, once its API key is checked. */
export const jumpcloudScopeOf = (request: FastifyRequest): string | undefined => request.jumpcloudOrganization ?? undefined;

/** Any other path or method under the prefix (the platform routes them here, after the key is checked). */
export const jumpcloudNoRoute = (request: FastifyRequest): Problem => new NotFound(noRouteText(request));
