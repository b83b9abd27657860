// The Datadog part of the control API, under /__admin/datadog: the outcome of the next credential checks
// (/__admin/datadog/credential-outcome), for one org, named by id or by one of its API keys, or for any.
import type { FastifyInstance } from 'fastify';
import { CONTROL_TAGS, controlErrorResponses } from '../control/errors';
import type { DatadogControlCredentialOutcomeRequest, DatadogControlOrgQuery } from '../generated/schema-types';
import { InvalidInput } from '../platform/errors';
import { ref, schema } from '../platform/schemas';
import type { DatadogAuth } from './auth';
import type { CredentialCheck } from './credentials';

type OrgParams = DatadogControlOrgQuery;

/** The org of an API key a control call names instead of the org (resolved, never kept or echoed). */
export function orgOfApiKey(auth: DatadogAuth, apiKey: string): string {
  const org = auth.orgOf(apiKey);
  if (org === undefined) throw new InvalidInput("Field 'api_key' is not an API key of the seed data, the only ones strict auth accepts");
  return org;
}

/** The org a control call names by id or by one of its API keys. */
function orgFrom(params: OrgParams, auth: DatadogAuth): string | undefined {
  if (params.org !== undefined && params.api_key !== undefined) throw new InvalidInput('Give only one of org and api_key');
  return params.api_key === undefined ? params.org : orgOfApiKey(auth, params.api_key);
}

/** Under /__admin/datadog. */
export const CREDENTIAL_OUTCOME_PATH = '/credential-outcome';

/** /__admin/datadog/credential-outcome: the outcome of the next credential checks, for one org or any. */
export function credentialOutcomeRoutes(credentials: CredentialCheck, auth: DatadogAuth) {
  return async (app: FastifyInstance): Promise<void> => {
    const tags = CONTROL_TAGS;
    const errors = controlErrorResponses();
    const outcomes = (org: string | undefined) => ({ org: org ?? null, pending: credentials.pending(org) });
    const route = {
      querystring: schema('datadog/control/org-query.json'),
      response: { 200: ref('datadog/control/credential-outcome.json'), ...errors },
    };

    app.post<{ Body: DatadogControlCredentialOutcomeRequest }>(CREDENTIAL_OUTCOME_PATH, {
      schema: {
        summary: 'Force the outcome of the next Datadog credential check(s)', tags,
        body: schema('datadog/control/credential-outcome-request.json'),
        response: { ...route.response, ...controlErrorResponses(409) },
      },
    }, async (request) => {
      const org = orgFrom(request.body, auth);
      credentials.forceNext(request.body.outcome, request.body.times ?? 1, org);
      return outcomes(org);
    });

    app.get<{ Querystring: OrgParams }>(CREDENTIAL_OUTCOME_PATH, {
      schema: { summary: 'Credential check outcomes still forced', tags, ...route },
    }, async (request) => outcomes(orgFrom(request.query, auth)));

    app.delete<{ Querystring: OrgParams }>(CREDENTIAL_OUTCOME_PATH, {
      schema: { summary: 'Stop forcing credential check outcomes (all, or one org\'s own)', tags, ...route },
    }, async (request) => {
      const org = orgFrom(request.query, auth);
      credentials.clear(org);
      return outcomes(org);
    });
  };
}
