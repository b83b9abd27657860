// What the control API can do to the Datadog surface: reset an org (or all of them), move its state in and
// out of state documents, and force the outcome of credential checks (/__admin/datadog/credential-outcome).
import type { FastifyInstance } from 'fastify';
import { CONTROL_TAGS, controlErrorResponses } from '../control/errors';
import type { DatadogControlCredentialOutcomeRequest, DatadogControlOrgQuery, DatadogState } from '../generated/schema-types';
import { REDACTED } from '../platform/redaction';
import { InvalidInput } from '../platform/errors';
import { ref, schema } from '../platform/schemas';
import type { VendorModel } from '../platform/vendor';
import type { DatadogAuth } from './auth';
import type { CredentialCheck } from './credentials';
import { registrationRow, registrationWire, type ExportedIntegrationConfig, type IntegrationConfigModel } from './model';
import { resource } from './routes';

/**
 * One org in a state document (schemas/datadog/state.json). A config's `secrets` are exported as
 * "[redacted]" (the model hands the export no secrets to show), and "[redacted]" imports as the secrets
 * stored under that id, if any.
 */
export type DatadogOrgState = DatadogState;

export function datadogModel(model: IntegrationConfigModel, credentials: CredentialCheck): VendorModel<DatadogOrgState> {
  return {
    reset(orgId) {
      model.reset(orgId);
      credentials.clear(orgId);
    },
    export: (orgId) => Object.fromEntries(model.snapshot(orgId).map((org) => [org.orgId, {
      ...(org.createdAt !== undefined && { created_at: org.createdAt }),
      integration_configs: org.configs.map(stateConfig),
      azure_app_registrations: org.azureAppRegistrations.map(registrationWire),
    }])),
    check: (orgs, at) => Object.entries(orgs).flatMap(([orgId, org]) => configProblems(org, `${at}.${orgId}.integration_configs`)),
    import(orgs, mode) {
      model.importOrgs(Object.entries(orgs).map(([orgId, org]) => ({
        orgId,
        createdAt: org.created_at,
        configs: org.integration_configs.map((c) => ({ ...c, secrets: c.secrets === REDACTED ? undefined : (c.secrets as Record<string, unknown> | undefined) })),
        azureAppRegistrations: org.azure_app_registrations?.map(registrationRow),
      })), mode);
    },
  };
}

/** What the schema cannot check: ids repeated within an org, secrets that are neither an object nor "[redacted]". */
function configProblems(org: DatadogOrgState, at: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  org.integration_configs.forEach((c, i) => {
    if (seen.has(c.id)) problems.push(`Field '${at}.${i}.id' repeats the id ${c.id}: ids are unique within an org`);
    seen.add(c.id);
    const secretsObject = typeof c.secrets === 'object' && c.secrets !== null && !Array.isArray(c.secrets);
    if (c.secrets !== undefined && c.secrets !== REDACTED && !secretsObject) {
      problems.push(`Field '${at}.${i}.secrets' must be an object, or "${REDACTED}" to keep the secrets stored under this id`);
    }
  });
  return problems;
}

/** A config in a state document: its attributes as the API shows them, with its id, and "[redacted]" where it has secrets. */
function stateConfig(c: ExportedIntegrationConfig): DatadogOrgState['integration_configs'][number] {
  return { id: c.id, ...resource(c).attributes, ...(c.readyAt !== undefined && { ready_at: c.readyAt }), ...(c.hasSecrets && { secrets: REDACTED }) };
}

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

    app.post<{ Body: DatadogControlCredentialOutcomeRequest }>('/credential-outcome', {
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

    app.get<{ Querystring: OrgParams }>('/credential-outcome', {
      schema: { summary: 'Credential check outcomes still forced', tags, ...route },
    }, async (request) => outcomes(orgFrom(request.query, auth)));

    app.delete<{ Querystring: OrgParams }>('/credential-outcome', {
      schema: { summary: 'Stop forcing credential check outcomes (all, or one org\'s own)', tags, ...route },
    }, async (request) => {
      const org = orgFrom(request.query, auth);
      credentials.clear(org);
      return outcomes(org);
    });
  };
}
