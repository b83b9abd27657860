// The control API under /__admin: everything that is not the emulated vendors. JSON in and out; every
// error in the one shape of errors.ts; schemas in schemas/control/.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from '../app';
import { DATADOG_REVISIONS, type RateLimitRule } from '../config';
import type { CredentialOutcome } from '../datadog/credentials';
import { InvalidInput, NotFound } from '../platform/errors';
import { schema } from '../platform/schemas';
import { SCOPE_NAMES, type ImportMode, type Scope, type Vendor } from '../platform/vendors';
import { ping } from '../store/db';
import { version } from '../version';
import { CONTROL_TAGS, controlErrorResponses, controlErrorHandler } from './errors';
import { faultRoutes } from './fault-routes';
import { guardControlApi } from './guard';
import { journalRoutes } from './journal-routes';
import { journalStreamRoutes } from './journal-stream';
import { overviewRoutes } from './overview-routes';
import { uiRoutes } from './ui-routes';
import { scopeFrom, type ScopeParams } from './scope';

export interface ControlPluginOptions {
  context: SyncmockContext;
}

type WireRule = { limit: number; period_seconds: number };
type WireRateLimits = Partial<Record<Vendor, Record<string, Partial<WireRule>>>>;
interface ClockBody {
  freeze_at?: string;
  advance_seconds?: number;
  real?: true;
}
interface CredentialOutcomeBody {
  outcome: CredentialOutcome;
  times?: number;
  org?: string;
  api_key?: string;
}

const tags = CONTROL_TAGS;
const errors = controlErrorResponses();

export async function controlRoutes(app: FastifyInstance, opts: ControlPluginOptions): Promise<void> {
  const { context } = opts;
  const { clock } = context;
  const { credentials, auth } = context.datadog;
  const scope = (params: ScopeParams): Scope | undefined => scopeFrom(params, auth);

  app.setErrorHandler(controlErrorHandler);
  app.setNotFoundHandler((request) => {
    throw new NotFound('Not Found', [`No control route ${request.method} ${request.url.split('?')[0]}`]);
  });
  // Bodiless calls (POST /reset) are often sent with a JSON content type all the same.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body as string, done));
  guardControlApi(app, context.config.adminToken, context.config.host);

  app.get('/health', {
    config: { adminPublic: true },
    schema: { summary: 'Liveness and readiness', tags, response: { 200: schema('control/health.json') } },
  }, async () => {
    ping(context.db);
    return {
      status: 'ok', version, auth: context.config.auth, db: context.config.db === ':memory:' ? 'memory' : 'file',
      datadog: { revisions: DATADOG_REVISIONS, default_revision: context.config.datadog.revision },
    };
  });

  app.post<{ Querystring: ScopeParams }>('/reset', {
    schema: {
      summary: 'Back to the seed state: everything, or one org or tenant', tags,
      querystring: schema('control/scope-query.json'),
      response: { 200: schema('control/reset-response.json'), ...errors },
    },
  }, async (request) => {
    const target = scope(request.query);
    context.reset(target);
    return target === undefined ? { reset: 'all' } : { reset: SCOPE_NAMES[target.vendor], [SCOPE_NAMES[target.vendor]]: target.id };
  });

  journalRoutes(app, context);
  await app.register(journalStreamRoutes, { context });
  overviewRoutes(app, context);
  await app.register(uiRoutes);
  faultRoutes(app, context);

  app.get('/rate-limits', {
    schema: { summary: 'The rate limits in force', tags, response: { 200: schema('control/rate-limits.json'), ...errors } },
  }, async () => rateLimitsView(context));

  app.put<{ Body: WireRateLimits }>('/rate-limits', {
    schema: {
      summary: 'Change rate limits (the fields given); counters start afresh', tags,
      body: schema('control/rate-limits-update.json'),
      response: { 200: schema('control/rate-limits.json'), ...errors },
    },
  }, async (request) => {
    const changes: Partial<Record<Vendor, Record<string, Partial<RateLimitRule>>>> = {};
    for (const [vendor, groups] of Object.entries(request.body) as Array<[Vendor, Record<string, Partial<WireRule>>]>) {
      changes[vendor] = Object.fromEntries(Object.entries(groups).map(([group, rule]) => [group, {
        ...(rule.limit !== undefined && { limit: rule.limit }),
        ...(rule.period_seconds !== undefined && { periodSeconds: rule.period_seconds }),
      }]));
    }
    context.rateLimits.update(changes);
    context.rateLimiter.clear();
    return rateLimitsView(context);
  });

  app.get('/clock', {
    schema: { summary: 'The server clock', tags, response: { 200: schema('control/clock.json'), ...errors } },
  }, async () => clock.describe());

  app.post<{ Body: ClockBody }>('/clock', {
    schema: {
      summary: 'Freeze, advance, or release the server clock', tags,
      body: schema('control/clock-request.json'),
      response: { 200: schema('control/clock.json'), ...errors },
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

  const datadogOrg = (params: ScopeParams): string | undefined => {
    const target = scope(params);
    if (target && target.vendor !== 'datadog') throw new InvalidInput("Field 'tenant' does not apply: credential checks are Datadog's");
    return target?.id;
  };
  const outcomes = (org: string | undefined) => ({ org: org ?? null, pending: credentials.pending(org) });
  const outcomeRoute = {
    querystring: schema('control/scope-query.json'),
    response: { 200: schema('control/credential-outcome.json'), ...errors },
  };

  app.post<{ Body: CredentialOutcomeBody }>('/datadog/credential-outcome', {
    schema: {
      summary: 'Force the outcome of the next Datadog credential check(s)', tags,
      body: schema('control/credential-outcome-request.json'),
      response: outcomeRoute.response,
    },
  }, async (request) => {
    const org = datadogOrg(request.body);
    credentials.forceNext(request.body.outcome, request.body.times ?? 1, org);
    return outcomes(org);
  });

  app.get<{ Querystring: ScopeParams }>('/datadog/credential-outcome', {
    schema: { summary: 'Credential check outcomes still forced', tags, ...outcomeRoute },
  }, async (request) => outcomes(datadogOrg(request.query)));

  app.delete<{ Querystring: ScopeParams }>('/datadog/credential-outcome', {
    schema: { summary: 'Stop forcing credential check outcomes (all, or one org\'s own)', tags, ...outcomeRoute },
  }, async (request) => {
    const org = datadogOrg(request.query);
    credentials.clear(org);
    return outcomes(org);
  });

  app.get<{ Querystring: ScopeParams }>('/state', {
    schema: {
      summary: 'Export the state (secrets redacted): everything, or one org or tenant', tags,
      querystring: schema('control/scope-query.json'),
      response: { 200: schema('control/state.json'), ...errors },
    },
  }, async (request) => context.state.export(scope(request.query)));

  app.post<{ Querystring: { mode?: ImportMode }; Body: unknown }>('/state', {
    schema: {
      summary: 'Import a state document (checked whole first; one transaction)', tags,
      querystring: schema('control/state-import-query.json'),
      body: schema('control/state.json'),
      response: { 200: schema('control/state-import-response.json'), ...errors },
    },
  }, async (request) => context.state.import(request.body, request.query.mode ?? 'replace'));
}

function rateLimitsView(context: SyncmockContext): Record<string, Record<string, WireRule>> {
  return Object.fromEntries(Object.entries(context.rateLimits.rules).map(([vendor, rules]) => [vendor,
    Object.fromEntries(Object.entries(rules).map(([group, r]) => [group, { limit: r.limit, period_seconds: r.periodSeconds }]))]));
}
