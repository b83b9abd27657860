// The external sources an entity context sync can read from, as the API names them: upper case in bodies
// and in the list filter (`ENTRA_ID`), lower case in the activate/deactivate paths (`entra_id`).

export const INTEGRATION_TYPES = ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID', 'CROWDSTRIKE', 'SENTINELONE'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

/**
 * Sources Datadog reaches without credentials from the user (Entra ID goes through the org's Azure app
 * registrations): their configs carry no `secrets`, and they are the ones that can be activated.
 */
const SECRETLESS_TYPES: ReadonlySet<string> = new Set<IntegrationType>(['ENTRA_ID']);

export const needsNoSecrets = (integrationType: string): boolean => SECRETLESS_TYPES.has(integrationType);

/**
 * The type a path segment names, in the lower-case form the published spec uses (`entra_id`). Only that
 * form: whether Datadog also accepts `ENTRA_ID` there is undocumented, and a test that passes here must
 * pass against Datadog.
 */
export function integrationTypeFromPath(segment: string): IntegrationType | undefined {
  return INTEGRATION_TYPES.find((t) => t.toLowerCase() === segment);
}
