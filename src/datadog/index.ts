// The Datadog vendor contract: Cloud SIEM entity context sync configurations, as the app, the platform and
// the control API see it (src/platform/vendor.ts).
import type { VendorContract, ApiDocument } from '../platform/vendor';
import { AzureAppRegistrationStore } from './store/azure-app-registrations';
import { IntegrationConfigStore } from './store/integration-configs';
import { DATADOG_MIGRATIONS } from './store/migrations';
import { ALL_PERMISSIONS, DatadogAuth } from './auth';
import { CREDENTIAL_OUTCOME_PATH, credentialOutcomeRoutes, orgOfApiKey } from './credential-outcome-routes';
import { CredentialCheck } from './credentials';
import { datadogErrorResponse } from './errors';
import { IntegrationConfigModel } from './model';
import { DATADOG_RATE_LIMIT_GROUPS } from './rate-limits';
import { REVISION_HEADER, DATADOG_REVISIONS, routeRevision, type DatadogRevision } from './revision';
import { datadogNoRoute, datadogRoutes, datadogScopeOf } from './routes';
import { datadogState, type DatadogOrgState } from './state';
import { datadogSeedProblems, type DatadogSeed } from './seed';

const identity = {
  name: 'datadog' as const,
  scope: { name: 'org', collection: 'orgs', aliases: { api_key: 'A Datadog API key, standing for its org.' } },
};

const title = (revision: DatadogRevision) => `Datadog Cloud SIEM entity context sync configurations (syncmock), revision ${revision}`;

const revisionDocuments = new Map<DatadogRevision, Omit<ApiDocument, 'path'>>();

/** One revision's document; the same object each time, so the docs collect its routes once. */
function revisionDocument(revision: DatadogRevision): Omit<ApiDocument, 'path'> {
  let document = revisionDocuments.get(revision);
  if (document) return document;
  document = {
    title: title(revision),
    description:
      'The Datadog API as emulated by syncmock. Every call needs DD-API-KEY and DD-APPLICATION-KEY, or an access token ' +
      '(OAuth, personal ddpat_… or service ddsat_…) as Authorization: Bearer.',
    includes: (route) => routeRevision(route) === revision,
    securitySchemes: () => ({
      apiKeyAuth: { type: 'apiKey', in: 'header', name: 'DD-API-KEY', description: 'Datadog API key' },
      appKeyAuth: { type: 'apiKey', in: 'header', name: 'DD-APPLICATION-KEY', description: 'Datadog application key' },
      // Datadog's spec declares AuthZ as OAuth2 (authorization code at Datadog's own URLs); syncmock runs no
      // authorization server, so the same name is a bearer scheme here: any token is pasted as it is.
      AuthZ: {
        type: 'http', scheme: 'bearer',
        description: 'Datadog access token: OAuth, personal (ddpat_…) or service (ddsat_…); scopes integrations_read, manage_integrations',
      },
    }),
    security: [{ apiKeyAuth: [], appKeyAuth: [] }, { AuthZ: [] }],
  };
  revisionDocuments.set(revision, document);
  return document;
}

export const datadog: VendorContract<DatadogOrgState, 'datadog'> = {
  ...identity,
  // Datadog's public API is everything under /api: an unknown path there gets Datadog's error shape.
  rateLimitGroups: DATADOG_RATE_LIMIT_GROUPS,
  prefixes: ['/api'],
  credentials: {
    headers: ['dd-api-key', 'dd-application-key'],
    fields: ['secrets', 'api_key', 'application_key', 'app_key', 'apikey', 'appkey'],
    // Personal and service access tokens, under whatever name they come, in any case (DDPAT_…): one hidden
    // too often costs less than one shown.
    values: [/dd[ps]at_/i],
  },
  cors: {
    allowedHeaders: ['DD-API-KEY', 'DD-APPLICATION-KEY', 'Authorization', REVISION_HEADER],
    exposedHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Period', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Name'],
  },
  seedSchema: 'datadog/seed.json',
  seedProblems: (seed) => datadogSeedProblems(seed as DatadogSeed),
  stateSchema: 'datadog/state.json',
  migrations: DATADOG_MIGRATIONS,
  controlTools: [
    {
      name: 'force_credential_outcome',
      description: 'Make the next Datadog credential check(s) valid or invalid whatever the secrets: for one org (org or api_key) or whichever org checks next.',
      inputSchema: 'datadog/control/credential-outcome-request.json',
      outputSchema: 'datadog/control/credential-outcome.json',
      call: (input) => ({ method: 'POST', path: CREDENTIAL_OUTCOME_PATH, body: input }),
    },
    {
      name: 'clear_credential_outcomes',
      description: 'Stop forcing Datadog credential check outcomes: all, or one org\'s own.',
      inputSchema: 'datadog/control/org-query.json',
      outputSchema: 'datadog/control/credential-outcome.json',
      call: (input) => ({ method: 'DELETE', path: CREDENTIAL_OUTCOME_PATH, query: input }),
    },
  ],
  errorResponse: datadogErrorResponse,
  create({ auth: authMode, settings, db, clock, rateLimits, seed }) {
    const { orgs } = seed as DatadogSeed;
    const credentials = new CredentialCheck();
    const auth = new DatadogAuth(orgs, authMode);
    const model = new IntegrationConfigModel(new IntegrationConfigStore(db), new AzureAppRegistrationStore(db), clock, orgs, credentials, {
      stateDelaySeconds: settings.stateDelaySeconds,
    });
    const defaultRevision = settings.revision;
    return {
      routes: (app) => datadogRoutes(app, { vendorName: identity.name, model, auth, rateLimits, defaultRevision }),
      scopeOf: datadogScopeOf,
      noRoute: (request) => datadogNoRoute(request, defaultRevision),
      state: datadogState(model, credentials),
      rateLimits: settings.rateLimits,
      resolveAlias: (_alias, apiKey) => orgOfApiKey(auth, apiKey),
      controlRoutes: credentialOutcomeRoutes(credentials, auth),
      heldCredentials: () => orgs.flatMap((org) => [
        ...org.api_keys, ...org.application_keys.map((k) => k.key), ...(org.access_tokens ?? []).map((t) => t.token),
      ]),
      health: () => ({ revisions: DATADOG_REVISIONS, default_revision: defaultRevision }),
      sizes: () => ({ open_org_cache: auth.cachedOpenOrgs, known_org_cache: model.knownOrgs, forced_credential_outcomes: credentials.size }),
      documents: [
        ...DATADOG_REVISIONS.map((revision) => ({ path: `/openapi/datadog-${revision}.json`, ...revisionDocument(revision) })),
        // The default revision's, under the name that does not change with it.
        { path: '/openapi/datadog.json', ...revisionDocument(defaultRevision), listed: false },
      ],
    };
  },
  connection(seed, baseUrl) {
    // The first seeded org with an API key and an application key that has every permission.
    for (const org of (seed as DatadogSeed).orgs) {
      const appKey = org.application_keys.find((k) => ALL_PERMISSIONS.every((p) => k.permissions.includes(p)));
      if (org.api_keys.length > 0 && appKey) return { baseUrl, apiKey: org.api_keys[0], appKey: appKey.key };
    }
    return { baseUrl, apiKey: undefined, appKey: undefined };
  },
};
