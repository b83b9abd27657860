// SailPoint Identity Security Cloud over HTTP: the OAuth token endpoint and the source attribute sync
// config in every API version that has it. Registered at the root (the official SDK appends /beta,
// /v2024 and /oauth/token to its base URL) as an encapsulated plugin with explicit paths, so its hooks
// and error handler never touch the Datadog or /__admin routes. Rules live in model.ts, clients.ts, tokens.ts and access.ts,
// the wire shape of errors in errors.ts.
import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import formbody from '@fastify/formbody';
import type {} from '@fastify/swagger';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { DeferredApp } from '../platform/deferred-app';
import { parseAuthorization } from '../platform/authorization';
import { InvalidRequestShape, NotFound, PayloadTooLarge, Problem, RateLimited, TokenRequestRejected, bodyTooLarge } from '../platform/errors';
import { BODY_LIMIT } from '../platform/json-body';
import { noRouteText } from '../platform/routed-path';
import type { RateLimits } from '../platform/rate-limiter';
import { ref, schema } from '../platform/schemas';
import { onRequestPerRoute } from '../platform/callback-hooks';
import { MissingOptInHeader, REQUEST_ID_HEADER, TOKEN_PATH, newRequestId, sailpointErrorHandler } from './errors';
import type { AttrSyncConfigModel, AttrSyncSourceConfigInput } from './model';
import { requireAccess, type Access } from './access';
import type { SailpointCaller, SailpointClients, TokenParameters } from './clients';
import type { TokenService } from './tokens';

export interface SailpointPluginOptions {
  vendorName: string;
  model: AttrSyncConfigModel;
  clients: SailpointClients;
  tokens: TokenService;
  rateLimits: RateLimits;
}

/** What a route needs before its handler runs: the token endpoint, or an API operation's gateway checks. */
interface SailpointRouteConfig {
  token?: true;
  api?: { version: string; experimental: boolean; access: Access };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the bearer token is verified (before the rate limit and permission checks). */
    sailpointCaller: SailpointCaller | null;
  }
  interface FastifyContextConfig {
    sailpoint?: SailpointRouteConfig;
  }
}

/** The API versions serving the attribute sync config; each is its own rate-limit bucket. */
const API_VERSIONS = [
  { version: 'beta', path: '/beta/sources/:id/attribute-sync-config', experimental: false, operationSuffix: '' },
  { version: 'v2024', path: '/v2024/sources/:id/attribute-sync-config', experimental: true, operationSuffix: 'V2024' },
  { version: 'v2025', path: '/v2025/sources/:id/attribute-sync-config', experimental: true, operationSuffix: 'V2025' },
  { version: 'v2026', path: '/v2026/sources/:id/attribute-sync-config', experimental: true, operationSuffix: 'V2026' },
  { version: 'sources-v1', path: '/sources/v1/:id/attribute-sync-config', experimental: true, operationSuffix: 'V1' },
] as const;

/** Under these prefixes any other path is SailPoint's 404 (ErrorResponseDto with SLPT-Request-ID). */
export const SAILPOINT_PREFIXES = ['/beta', '/v3', '/v2024', '/v2025', '/v2026', '/sources/v1', '/oauth'];

/** SailPoint's one rate-limit group: every API call, counted per client and API version. */
export const SAILPOINT_RATE_LIMIT_GROUP = 'api';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', description: 'The source id', examples: ['2c9180835d191a86015d28455b4a2329'] } },
};
// Documented as required; the onRequest hook answers the gateway's 400 before validation would run.
const experimentalHeader = {
  type: 'object',
  required: ['x-sailpoint-experimental'],
  properties: { 'x-sailpoint-experimental': { type: 'string', description: 'Must be `true` to use this experimental API.', default: 'true' } },
};
const dto = (description: string) => ({ description, ...ref('sailpoint/error-response-dto.json') });
const errorResponses = (experimental: boolean) => ({
  400: experimental
    ? { description: 'Client Error (ErrorResponseDto), or the gateway\'s {error} when X-SailPoint-Experimental is missing', anyOf: [ref('sailpoint/gateway-error.json'), ref('sailpoint/error-response-dto.json')] }
    : dto('Client Error - Returned if the request body is invalid.'),
  401: { description: 'Unauthorized - no, malformed, badly signed or expired bearer token.', ...ref('sailpoint/gateway-error.json') },
  403: dto('Forbidden - the token lacks the user level or scope this operation needs.'),
  404: dto('Not Found - no source with this id in the token\'s tenant.'),
  429: { description: 'Too Many Requests - the Retry-After header gives the seconds to wait.', ...ref('sailpoint/rate-limit-response.json') },
  500: dto('Internal Server Error'),
});
const tokenErrors = Object.fromEntries(
  [[400, 'Bad Request'], [401, 'Bad or missing client credentials'], [413, 'Payload Too Large'], [415, 'Unsupported Media Type']].map(
    ([code, description]) => [code, { description, ...ref('sailpoint/oauth-error.json') }],
  ),
);

const optedIn = (value: string | string[] | undefined): boolean => typeof value === 'string' && value.trim().toLowerCase() === 'true';

/** SailPoint's routes, in the scope the platform made for it (which answers every other path under its prefixes). */
export async function sailpointRoutes(app: FastifyInstance, opts: SailpointPluginOptions): Promise<void> {
  const { vendorName, model, clients, tokens, rateLimits } = opts;
  app.decorateRequest('sailpointCaller', null);

  // Order of checks, all before the body is read: experimental header (the gateway's 400), token (401),
  // rate limit (429, keyed on the token's client), user level and scope (403). Then the body (400/413/415),
  // then the source (404), then the PUT rule (400).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, newRequestId());
    done();
  });
  const admit = (request: FastifyRequest, api: NonNullable<SailpointRouteConfig['api']>): void => {
    if (api.experimental && !optedIn(request.headers['x-sailpoint-experimental'])) {
      throw new MissingOptInHeader('X-SailPoint-Experimental: true is required');
    }
    const caller = tokens.authenticate(parseAuthorization(request.headers.authorization));
    request.sailpointCaller = caller;
    const decision = rateLimits.take(vendorName, caller.tenantId, SAILPOINT_RATE_LIMIT_GROUP, `${caller.clientId}:${api.version}`);
    if (!decision.allowed) throw new RateLimited(decision.resetSeconds);
    requireAccess(caller, api.access);
  };
  // After the request id's hook (the plugin's).
  onRequestPerRoute(app, (route) => route.config?.sailpoint?.api, (request, _reply, api) => admit(request, api));

  await app.register(tokenEndpoint, { clients, tokens });

  const caller = (request: FastifyRequest): SailpointCaller => request.sailpointCaller as SailpointCaller;
  const tags = ['SailPoint Sources'];
  for (const v of API_VERSIONS) {
    const config = (access: Access) => ({ sailpoint: { api: { version: v.version, experimental: v.experimental, access } } });
    const common = { tags, params: idParams, ...(v.experimental && { headers: experimentalHeader }) };

    app.get<{ Params: { id: string } }>(v.path, {
      config: config('read'),
      schema: {
        ...common,
        operationId: `getSourceAttrSyncConfig${v.operationSuffix}`,
        summary: `Attribute sync config (${v.version})`,
        description: 'The attribute synchronization configuration of a source, all attributes, enabled or not. Needs ORG_ADMIN or HELPDESK.',
        response: { 200: ref('sailpoint/attr-sync-source-config-response.json'), ...errorResponses(v.experimental) },
      },
    }, (request) => model.get(caller(request).tenantId, request.params.id));

    app.put<{ Params: { id: string }; Body: AttrSyncSourceConfigInput }>(v.path, {
      config: config('manage'),
      schema: {
        ...common,
        operationId: `putSourceAttrSyncConfig${v.operationSuffix}`,
        summary: `Update attribute sync config (${v.version})`,
        description: 'Replaces the configuration; only `enabled` of existing attributes may change. Needs ORG_ADMIN.',
        body: ref('sailpoint/attr-sync-source-config.json'),
        response: {
          200: ref('sailpoint/attr-sync-source-config-response.json'),
          ...errorResponses(v.experimental),
          413: dto('Payload Too Large (over 1 MiB)'),
          415: dto('Unsupported Media Type (the body must be application/json)'),
        },
      },
    }, (request) => model.put(caller(request).tenantId, request.params.id, request.body));
  }
}

/** The tenant of a request: its token's, or for a token request the tenant of the client it names, granted or not. */
export const sailpointScopeOf = (clients: SailpointClients) => (request: FastifyRequest): string | undefined =>
  request.sailpointCaller?.tenantId ?? (request.routeOptions.config.sailpoint?.token ? clientTenant(request, clients) : undefined);

/** Any other path under the prefixes, whatever the method. */
export const sailpointNoRoute = (request: FastifyRequest): Problem =>
  new NotFound('Not found', [noRouteText(request)]);

/**
 * POST /oauth/token in a scope of its own: it takes form fields only, multipart/form-data (what the
 * official SDK sends) and application/x-www-form-urlencoded, or query parameters, so those parsers stay
 * out of the API routes.
 */
async function tokenEndpoint(app: FastifyInstance, opts: { clients: SailpointClients; tokens: TokenService }): Promise<void> {
  app.removeAllContentTypeParsers();
  // RFC 6749 §5.1: token responses, errors included, are never cached. A body declared over the limit is
  // refused before it is read, whatever its type: @fastify/multipart reads the request itself, past
  // Fastify's body limit (a chunked one is bounded by its field limits, each field's size and the request
  // timeout).
  app.addHook('onRequest', async (request, reply) => {
    reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    if (Number(request.headers['content-length']) > BODY_LIMIT) throw bodyTooLarge();
  });
  app.setErrorHandler((err: FastifyError | Problem, request, reply) => {
    // RFC 6749 §5.2: a client that tried the Authorization header and failed is told the scheme to use.
    if (err instanceof TokenRequestRejected && err.status === 401 && request.headers.authorization) {
      reply.header('www-authenticate', 'Basic realm="SailPoint"');
    }
    sailpointErrorHandler(formProblem(err, request) ?? err, request, reply);
  });
  await app.register(formbody, { parser: formFields });
  // @fastify/multipart reads globalThis.FormData when it is registered, which loads Node's fetch (undici):
  // most of what it cost every start. It parses in an instance of its own, built for the first multipart
  // body (platform/deferred-app.ts), and its errors (limits, a body cut off) reach this scope's handler.
  const forms = new DeferredApp(async (parser) => {
    await parser.register((await import('@fastify/multipart')).default, { attachFieldsToBody: 'keyValues', limits: { files: 0, fields: MAX_FORM_FIELDS, fieldSize: 64 * 1024 } });
    parser.post('/', (request) => request.body ?? {});
  });
  app.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const { response, error } = await forms.handle({ method: 'POST', url: '/', headers: { 'content-type': request.headers['content-type'] }, payload });
    if (error) throw error;
    return response.json();
  });
  app.post<{ Querystring: TokenParameters; Body: TokenParameters }>(TOKEN_PATH, {
    config: { sailpoint: { token: true } },
    // A query-string-only request has no body: check it as an empty form.
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags: ['SailPoint OAuth'],
      operationId: 'createOAuthToken',
      summary: 'Get an access token (client credentials)',
      description: 'client_id and client_secret as HTTP Basic (RFC 6749 §2.3.1), or as form fields or query parameters.',
      // Basic, or nothing (the credentials in the body): Swagger UI's Authorize dialog and "Try it out" both work.
      security: [{}, { clientBasicAuth: [] }],
      consumes: ['multipart/form-data', 'application/x-www-form-urlencoded'],
      querystring: schema('sailpoint/token-request.json'),
      body: schema('sailpoint/token-request.json'),
      response: { 200: schema('sailpoint/token-response.json'), ...tokenErrors },
    },
  }, async (request) => opts.tokens.issue(opts.clients.grant({ ...request.query, ...request.body }, parseAuthorization(request.headers.authorization))));
}

/** The most fields a token request's form takes, urlencoded or multipart: it needs three. */
const MAX_FORM_FIELDS = 20;
const tooManyFields = (): PayloadTooLarge => new PayloadTooLarge(`Too many form fields: a token request takes at most ${MAX_FORM_FIELDS}`);

/**
 * An urlencoded form, refused past MAX_FORM_FIELDS fields before it is parsed (1 MiB of `a=1&` is 260,000
 * of them, each a key or an array entry to make): node's querystring, the reading of formbody's own parser.
 */
function formFields(text: string): ParsedUrlQuery {
  let fields = 1;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) if (++fields > MAX_FORM_FIELDS) throw tooManyFields();
  return parseQuery(text);
}

/**
 * What a multipart body's parser refused, in words of ours: @fastify/multipart's limits by their code, and
 * busboy's own errors (a body cut off before its closing boundary, no boundary at all): instances of Error
 * itself, with no status, which would otherwise read as a fault of ours (what our code throws is a Problem;
 * a bug of ours, a TypeError or the like, stays a 500). Undefined for anything else.
 */
function formProblem(err: FastifyError | Problem, request: FastifyRequest): Problem | undefined {
  // The parser runs in an instance of its own (above), so request.isMultipart() is not decorated here.
  if (err instanceof Problem || !/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) return undefined;
  switch (err.code) {
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return tooManyFields();
    case 'FST_FILES_LIMIT':
      return new PayloadTooLarge('A token request takes form fields, not files');
    case 'FST_PROTO_VIOLATION':
      return new InvalidRequestShape('Malformed form body: a field is named after a property of every object (__proto__, constructor, …)');
  }
  return err.statusCode === undefined && Object.getPrototypeOf(err) === Error.prototype
    ? new InvalidRequestShape('Malformed form body: the multipart data ends early, or its boundary or a part\'s headers are malformed')
    : undefined;
}

/** The tenant of the client a token request names (HTTP Basic, its form or its query), once the body is parsed. */
function clientTenant(request: FastifyRequest, clients: SailpointClients): string | undefined {
  const basic = parseAuthorization(request.headers.authorization);
  const body = request.body as TokenParameters | undefined;
  const clientId = basic.scheme === 'basic' ? basic.user : body?.client_id ?? (request.query as TokenParameters | undefined)?.client_id;
  return typeof clientId === 'string' && clientId !== '' ? clients.tenantOf(clientId) : undefined;
}
