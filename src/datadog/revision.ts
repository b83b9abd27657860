// Which Datadog API revision a request gets. Every Datadog route is registered once per revision that has
// it, constrained to that revision (find-my-way's custom constraints), so Fastify routes a request to the
// route with that revision's schemas; a route missing from a revision is simply not found there.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../generated/schema-types';
import { shown } from '../platform/errors';
import { enumValues, schema } from '../platform/schemas';
import { InputValidationError } from './errors';

/**
 * The Datadog API contracts served: 2026-06 is the seed documents' (three integration types, free-form
 * secrets), 2026-08 the current published spec (per-type schemas, Entra ID endpoints). One server serves
 * both; the configuration picks the default and a request may pick the other (X-Syncmock-Datadog-Revision).
 * The list is --datadog-revision's (schemas/config.json), read from there.
 */
export type DatadogRevision = Config['datadog']['revision'];
export const DATADOG_REVISIONS = enumValues(schema('config.json'), '#/properties/datadog/properties/revision') as readonly DatadogRevision[];

export const REVISION_HEADER = 'x-syncmock-datadog-revision';
export const REVISION_CONSTRAINT = 'datadogRevision';

/** The header's value (trimmed; absent or empty means the default). May be an unknown revision. */
function requested(headers: FastifyRequest['headers'], defaultRevision: DatadogRevision): string {
  const raw = headers[REVISION_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : defaultRevision;
}

/**
 * The constraint strategy. An unknown revision matches no route and so reaches the not-found handler,
 * which answers 400 through requireKnownRevision.
 */
type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteHandler = Parameters<ReturnType<ConstraintStrategy['storage']>['set']>[1];

export function revisionConstraint(defaultRevision: DatadogRevision): ConstraintStrategy {
  return {
    name: REVISION_CONSTRAINT,
    storage() {
      const routes = new Map<string, RouteHandler>();
      return {
        get: (revision: string) => routes.get(revision) ?? null,
        set: (revision: string, handler: RouteHandler) => { routes.set(revision, handler); },
      };
    },
    deriveConstraint: (req) => requested(req.headers, defaultRevision),
  };
}

export function requireKnownRevision(request: FastifyRequest, defaultRevision: DatadogRevision): void {
  const revision = requested(request.headers, defaultRevision);
  if (!(DATADOG_REVISIONS as readonly string[]).includes(revision)) {
    throw new InputValidationError(`Header 'X-Syncmock-Datadog-Revision' must be one of: ${DATADOG_REVISIONS.join(', ')}; got '${shown(revision)}'`);
  }
}

/** The revision a registered route serves (for per-revision OpenAPI documents). */
export function routeRevision(route: { constraints?: Record<string, unknown> }): DatadogRevision | undefined {
  return route.constraints?.[REVISION_CONSTRAINT] as DatadogRevision | undefined;
}
