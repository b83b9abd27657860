// /__admin/faults: add, list, remove fault rules (the engine is src/platform/faults.ts).
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from './context';
import type { ControlFaultRuleRequest } from '../generated/schema-types';
import { InvalidInput, NotFound } from '../platform/errors';
import type { FaultRule, FaultSpec } from '../platform/faults';
import { ref } from '../platform/schemas';
import { CONTROL_TAGS, controlErrorResponses } from './errors';
import type { ControlSchemas } from './schemas';
import { scopeField, scopeFrom, type ScopeParams } from './scope';

/** The body as schemas/control/fault-rule-request.json has it, with the vendors' scope parameters it is expanded with. */
type FaultRuleBody = ControlFaultRuleRequest & ScopeParams;

const tags = CONTROL_TAGS;
const errors = controlErrorResponses(404);

export function faultRoutes(app: FastifyInstance, context: SyncmockContext, schemas: ControlSchemas): void {
  const { faults } = context;
  const view = (rule: FaultRule) => ruleView(rule, context);

  app.post<{ Body: FaultRuleBody }>('/faults', {
    schema: {
      summary: 'Add a fault rule', tags, body: schemas.get('fault-rule-request.json'),
      response: { 201: ref('control/fault-rule.json'), ...controlErrorResponses(404, 409) },
    },
  }, async (request, reply) => reply.code(201).send(view(faults.add(faultSpec(request.body, context)))));

  app.get('/faults', {
    schema: { summary: 'List fault rules with their hit counts', tags, response: { 200: schemas.get('faults-response.json'), ...errors } },
  }, async () => ({ faults: faults.list().map(view) }));

  app.get<{ Params: { id: string } }>('/faults/:id', {
    schema: { summary: 'One fault rule', tags, params: schemas.get('fault-id.json'), response: { 200: ref('control/fault-rule.json'), ...errors } },
  }, async (request) => view(faults.get(request.params.id) ?? notFound(request.params.id)));

  app.delete('/faults', {
    schema: { summary: 'Remove every fault rule', tags, response: { 204: { description: 'Removed', type: 'null' }, ...errors } },
  }, async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string } }>('/faults/:id', {
    schema: { summary: 'Remove one fault rule', tags, params: schemas.get('fault-id.json'), response: { 204: { description: 'Removed', type: 'null' }, ...errors } },
  }, async (request, reply) => {
    if (!faults.remove(request.params.id)) notFound(request.params.id);
    return reply.code(204).send();
  });
}

/** The request body as a rule, with the checks a schema cannot express. */
function faultSpec(body: FaultRuleBody, context: SyncmockContext): FaultSpec {
  const scope = scopeFrom(body, context.vendors);
  if (scope && body.vendor !== undefined && body.vendor !== scope.vendor) {
    throw new InvalidInput(`Field '${scopeField(context.vendors, scope.vendor)}' is for ${scope.vendor} requests, but 'vendor' is ${body.vendor}`);
  }
  if (body.status === undefined && body.delay_ms === undefined && body.drop !== true) {
    throw new InvalidInput("A fault rule needs at least one of 'status', 'delay_ms' and 'drop': true");
  }
  if (body.status !== undefined && body.drop === true) {
    throw new InvalidInput("Fields 'status' and 'drop' exclude each other: a dropped connection has no status");
  }
  for (const field of ['message', 'retry_after_seconds'] as const) {
    if (body[field] !== undefined && body.status === undefined) throw new InvalidInput(`Field '${field}' goes with 'status'`);
  }
  return {
    vendor: scope?.vendor ?? body.vendor,
    scopeId: scope?.id,
    method: body.method?.toUpperCase(),
    path: body.path,
    status: body.status,
    message: body.message,
    retryAfterSeconds: body.retry_after_seconds,
    delayMs: body.delay_ms,
    drop: body.drop === true ? true : undefined,
    times: body.times,
    probability: body.probability,
    seed: body.seed,
  };
}

function ruleView(rule: FaultRule, context: SyncmockContext) {
  return {
    id: rule.id,
    vendor: rule.vendor,
    ...(rule.vendor !== undefined && rule.scopeId !== undefined && { [scopeField(context.vendors, rule.vendor)]: rule.scopeId }),
    method: rule.method,
    path: rule.path,
    status: rule.status,
    message: rule.message,
    retry_after_seconds: rule.retryAfterSeconds,
    delay_ms: rule.delayMs,
    drop: rule.drop,
    times: rule.times,
    probability: rule.probability,
    seed: rule.seed,
    hits: rule.hits,
    remaining: rule.times === undefined ? null : Math.max(0, rule.times - rule.hits),
    created_at: rule.createdAt,
  };
}

function notFound(id: string): never {
  throw new NotFound('Not Found', [`No fault rule with id ${id}`]);
}
