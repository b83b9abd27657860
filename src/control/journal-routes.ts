// /__admin/requests: read and clear the request journal (src/platform/journal.ts).
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from './context';
import type { ControlRequestsDeleteQuery, ControlRequestsQuery } from '../generated/schema-types';
import type { JournalFilter } from '../platform/journal';
import { compilePathPattern } from '../platform/path-pattern';
import { CONTROL_TAGS, controlErrorResponses } from './errors';
import type { ControlSchemas } from './schemas';
import { scopeFrom, type ScopeParams } from './scope';

/** The query as the schemas have it, with the vendors' scope parameters they are expanded with. */
export type RequestsQuery = ControlRequestsQuery & ScopeParams;

const tags = CONTROL_TAGS;
const errors = controlErrorResponses();

export function journalRoutes(app: FastifyInstance, context: SyncmockContext, schemas: ControlSchemas): void {
  const { journal, vendors } = context;

  app.get<{ Querystring: RequestsQuery }>('/requests', {
    schema: {
      summary: 'Journaled requests, newest first (secrets redacted)', tags,
      querystring: schemas.get('requests-query.json'),
      response: { 200: schemas.get('requests-response.json'), ...errors },
    },
  }, async (request, reply) => {
    // The entries as the journal keeps their text (rendered once each), so a read costs what is new since the last.
    const requests = journal.listJson(journalFilter(request.query, context));
    return reply.type('application/json; charset=utf-8')
      .send(`{"capacity":${journal.capacity},"evicted":${journal.evicted},"requests":${requests}}`);
  });

  app.delete<{ Querystring: ControlRequestsDeleteQuery & ScopeParams }>('/requests', {
    schema: {
      summary: 'Clear the journal, or one vendor\'s or org\'s or tenant\'s entries', tags,
      querystring: schemas.get('requests-delete-query.json'),
      response: { 200: schemas.get('deleted-response.json'), ...errors },
    },
  }, async (request) => ({
    deleted: journal.clear({ vendor: request.query.vendor, scope: scopeFrom(request.query, vendors) }),
  }));
}

/** The query of GET /__admin/requests (and of its live stream) as a journal filter. */
export function journalFilter(q: RequestsQuery, context: SyncmockContext): JournalFilter {
  return {
    vendor: q.vendor,
    scope: scopeFrom(q, context.vendors),
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
