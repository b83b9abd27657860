// The control API under /__admin: everything that is not the emulated vendors. JSON in and out; every
// error in the one shape of errors.ts; schemas in schemas/control/, with the registry's vendors filled in
// (schemas.ts). Each vendor may add routes of its own under /__admin/<vendor>.
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SyncmockContext } from './context';
import type { ConfigRateLimitRule, ControlClockRequest, RateLimitRule, RateLimitRuleChange } from '../generated/schema-types';
import { allowCors } from '../platform/cors';
import { InvalidInput, NotFound, shown } from '../platform/errors';
import { hostCheck } from '../platform/host-check';
import { jsonStream } from '../platform/json-slices';
import { routedPath } from '../platform/routed-path';
import { ref, schema } from '../platform/schemas';
import type { ImportMode, ApiDocument } from '../platform/vendor';
import { ping } from '../store/db';
import { version } from '../version';
import { CONTROL_TAGS, controlErrorHandler, controlErrorResponses } from './errors';
import { faultRoutes } from './fault-routes';
import { guardControlApi } from './guard';
import { journalRoutes } from './journal-routes';
import { journalStreamRoutes } from './journal-stream';
import { overviewRoutes } from './overview-routes';
import { scopeField, scopeFrom, type ScopeParams } from './scope';
import { uiRoutes } from './ui-routes';

/** Where the control API is: everything that is not an emulated vendor's lives under it. */
export const CONTROL_PREFIX = '/__admin';

export interface ControlPluginOptions {
  context: SyncmockContext;
}

/** schemas/control/rate-limits-update.json once the registry filled it in: vendor -> group -> the fields to change. */
type RateLimitsUpdate = Record<string, Record<string, RateLimitRuleChange>>;

const tags = CONTROL_TAGS;
const errors = controlErrorResponses();

/** The control API's OpenAPI document. */
export const controlDocument: ApiDocument = {
  path: '/openapi/control.json',
  title: 'syncmock control API',
  description: 'Everything that is not the emulated vendors: health, reset, request journal, faults, rate limits, clock, state.',
  includes: (route) => route.url === CONTROL_PREFIX || route.url.startsWith(`${CONTROL_PREFIX}/`),
  securitySchemes: () => ({}),
  security: [],
};

/** A path under /__admin that no route serves: the control API's shape, without echoing the query string. */
export function controlNotFound(request: FastifyRequest, reply: FastifyReply): void {
  const path = routedPath(request.url);
  // The router reads `/__admin/health/` as `/__admin/health` for this message only: say what was sent, and why
  // it is not that route.
  const sent = request.url.split('?')[0];
  const message = sent.length > 1 && sent.endsWith('/') && path !== sent
    ? `No route ${request.method} ${shown(sent)}: paths take no trailing slash (${request.method} ${shown(path)} is the same path without one)`
    : `No route ${request.method} ${shown(path)}`;
  controlErrorHandler(new NotFound('Not Found', [message]), request, reply);
}

export async function controlRoutes(app: FastifyInstance, opts: ControlPluginOptions): Promise<void> {
  const { context } = opts;
  const { clock, vendors } = context;
  const schemas = context.controlSchemas;

  // Registered under CONTROL_PREFIX: these hooks run for every request the router gives the control API,
  // its not-found answers included, however its path was spelt. The Host check first (a rebound page is
  // refused before anything else), then CORS when --admin-cors opens the API to pages (its preflights need
  // no token), then the admin token and the cross-site rule.
  app.setErrorHandler(controlErrorHandler);
  app.setNotFoundHandler(controlNotFound);
  app.addHook('onRequest', hostCheck(context.allowedHosts));
  if (context.config.cors.admin) {
    allowCors(app, context.cors);
    if (context.cors.anyOrigin) {
      app.log.warn('--admin-cors with --cors-origin * (the default): any web page the browser opens may read and change the mock '
        + '(reset it, replace its state, inject faults). Name the origins of your web app instead: --cors-origin http://localhost:5173');
    }
  }
  guardControlApi(app, context.config, context.cors);

  app.get('/health', {
    config: { adminPublic: true, anyHost: true },
    schema: { summary: 'Liveness and readiness', tags, response: { 200: schemas.get('health.json') } },
  }, async () => {
    ping(context.db);
    return {
      status: 'ok', version, auth: context.config.auth, db: context.config.db === ':memory:' ? 'memory' : 'file',
      ...Object.fromEntries(vendors.flatMap(({ contract, runtime }) => (runtime.health ? [[contract.name, runtime.health()]] : []))),
    };
  });

  app.post<{ Querystring: ScopeParams }>('/reset', {
    schema: {
      summary: 'Back to the seed state: everything, or one org or tenant', tags,
      querystring: schemas.get('scope-query.json'),
      response: { 200: schemas.get('reset-response.json'), ...errors },
    },
  }, async (request) => {
    const target = scopeFrom(request.query, vendors);
    context.reset(target);
    if (target === undefined) return { reset: 'all' };
    const field = scopeField(vendors, target.vendor);
    return { reset: field, [field]: target.id };
  });

  journalRoutes(app, context, schemas);
  await app.register(journalStreamRoutes, { context, schemas });
  overviewRoutes(app, context, schemas);
  await app.register(uiRoutes);
  faultRoutes(app, context, schemas);

  app.get('/rate-limits', {
    schema: { summary: 'The rate limits in force', tags, response: { 200: ref('control/rate-limits.json'), ...errors } },
  }, async () => rateLimitsView(context));

  app.put<{ Body: RateLimitsUpdate }>('/rate-limits', {
    schema: {
      summary: 'Change rate limits (the fields given); counters start afresh', tags,
      body: schemas.get('rate-limits-update.json'),
      response: { 200: ref('control/rate-limits.json'), ...errors },
    },
  }, async (request) => {
    const changes: Record<string, Record<string, Partial<ConfigRateLimitRule>>> = {};
    for (const [vendor, groups] of Object.entries(request.body)) {
      changes[vendor] = Object.fromEntries(Object.entries(groups).map(([group, rule]) => [group, {
        ...(rule.limit !== undefined && { limit: rule.limit }),
        ...(rule.period_seconds !== undefined && { periodSeconds: rule.period_seconds }),
      }]));
    }
    context.rateLimits.update(changes);
    return rateLimitsView(context);
  });

  app.get('/clock', {
    schema: { summary: 'The server clock', tags, response: { 200: ref('control/clock.json'), ...errors } },
  }, async () => clock.describe());

  app.post<{ Body: ControlClockRequest }>('/clock', {
    schema: {
      summary: 'Freeze, advance, or release the server clock', tags,
      body: schema('control/clock-request.json'),
      response: { 200: ref('control/clock.json'), ...errors },
    },
  }, async (request) => {
    const body = request.body ?? {};
    const given = Object.keys(body);
    if (given.length !== 1) {
      throw new InvalidInput(`Give exactly one of freeze_at, advance_seconds and real (got ${given.length === 0 ? 'none' : given.join(' and ')})`);
    }
    if (body.freeze_at !== undefined) clock.freeze(new Date(body.freeze_at));
    else if (body.advance_seconds !== undefined) clock.advance(body.advance_seconds);
    else clock.real();
    return clock.describe();
  });

  app.get<{ Querystring: ScopeParams }>('/state', {
    schema: {
      summary: 'Export the state (secrets redacted): everything, or one org or tenant', tags,
      querystring: schemas.get('scope-query.json'),
      response: { 200: ref('control/state.json'), ...errors },
    },
  }, async (request, reply) => {
    // Streamed a slice per turn (json-slices.ts): a large store's export would hold the event loop too long.
    reply.type('application/json; charset=utf-8');
    return jsonStream(context.state.export(scopeFrom(request.query, vendors)));
  });

  app.post<{ Querystring: { mode?: ImportMode }; Body: unknown }>('/state', {
    schema: {
      summary: 'Import a state document (checked whole first; one transaction)', tags,
      querystring: schema('control/state-import-query.json'),
      body: ref('control/state.json'),
      response: { 200: schema('control/state-import-response.json'), ...errors },
    },
  }, async (request) => context.importState(request.body, request.query.mode ?? 'replace'));

  for (const { contract, runtime } of vendors) {
    if (runtime.controlRoutes) await app.register(runtime.controlRoutes, { prefix: `/${contract.name}` });
  }
}

function rateLimitsView(context: SyncmockContext): Record<string, Record<string, RateLimitRule>> {
  return Object.fromEntries(Object.entries(context.rateLimits.view()).map(([vendor, rules]) => [vendor,
    Object.fromEntries(Object.entries(rules).map(([group, r]) => [group, { limit: r.limit, period_seconds: r.periodSeconds }]))]));
}
