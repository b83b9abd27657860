// /__admin/requests: read and clear the request journal (src/platform/journal.ts).
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from '../app';
import type { JournalFilter } from '../platform/journal';
import { schema } from '../platform/schemas';
import { compilePathPattern } from '../platform/path-pattern';
import type { Vendor } from '../platform/vendors';
import { CONTROL_TAGS, controlErrorResponses } from './errors';
import { scopeFrom, type ScopeParams } from './scope';

export interface RequestsQuery extends ScopeParams {
  vendor?: Vendor;
  method?: string;
  path?: string;
  status?: string;
  limit?: string;
}

const tags = CONTROL_TAGS;
const errors = controlErrorResponses();

export function journalRoutes(app: FastifyInstance, context: SyncmockContext): void {
  const { journal } = context;

  app.get<{ Querystring: RequestsQuery }>('/requests', {
    schema: {
      summary: 'Journaled requests, newest first (secrets redacted)', tags,
      querystring: schema('control/requests-query.json'),
      response: { 200: schema('control/requests-response.json'), ...errors },
    },
  }, async (request) => ({
    capacity: journal.capacity,
    evicted: journal.evicted,
    requests: journal.list(journalFilter(request.query, context)),
  }));

  app.delete<{ Querystring: ScopeParams & { vendor?: Vendor } }>('/requests', {
    schema: {
      summary: 'Clear the journal, or one vendor\'s or org\'s or tenant\'s entries', tags,
      querystring: schema('control/requests-delete-query.json'),
      response: { 200: schema('control/deleted-response.json'), ...errors },
    },
  }, async (request) => ({
    deleted: journal.clear({ vendor: request.query.vendor, scope: scopeFrom(request.query, context.datadog.auth) }),
  }));
}

/** The query of GET /__admin/requests (and of its live stream) as a journal filter. */
export function journalFilter(q: RequestsQuery, context: SyncmockContext): JournalFilter {
  return {
    vendor: q.vendor,
    scope: scopeFrom(q, context.datadog.auth),
    method: q.method?.toUpperCase(),
    path: q.path === undefined ? undefined : compilePathPattern(q.path, 'path'),
    status: q.status === undefined ? undefined : statusMatcher(q.status),
    limit: q.limit === undefined ? undefined : Number(q.limit),
  };
}

/** "404" matches that status, "4xx" the class. */
function statusMatcher(pattern: string): (status: number | null) => boolean {
  if (pattern.endsWith('xx')) {
    const hundreds = Number(pattern[0]);
    return (status) => status !== null && Math.floor(status / 100) === hundreds;
  }
  const wanted = Number(pattern);
  return (status) => status === wanted;
}
