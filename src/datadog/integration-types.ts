// The external sources an entity context sync can read from, as the API names them: upper case in bodies
// and in the list filter (`ENTRA_ID`), lower case in the activate/deactivate paths (`entra_id`). The list,
// and which of them take no secrets, are the schemas' (schemas/datadog/defs.json, IntegrationType; each
// revision's request bodies), read here.
import type { IntegrationType } from '../generated/schema-types';
import { enumValues, schema, type SchemaObject } from '../platform/schemas';
import { DATADOG_REVISIONS, type DatadogRevision } from './revision';
import { revisionSchema } from './revision-schemas';

export type { IntegrationType };
export const INTEGRATION_TYPES = enumValues(schema('datadog/defs.json'), '#/$defs/IntegrationType') as readonly IntegrationType[];

type Branch = { properties?: Record<string, SchemaObject> };

/**
 * Sources a revision's configs carry no `secrets` for: Datadog reaches them without credentials from the user
 * (Entra ID goes through the org's Azure app registrations), and they are the ones that can be activated.
 * The revision's create schema says so, the one place it is written: a type whose branch (a oneOf by
 * integration_type) lists no `secrets`; a revision without branches (2026-06) has none.
 */
export function secretlessTypes(revision: DatadogRevision): readonly IntegrationType[] {
  const create = revisionSchema(revision, 'integration-config-create-request.json') as { properties: { data: { properties: { attributes: { oneOf?: Branch[] } } } } };
  return (create.properties.data.properties.attributes.oneOf ?? [])
    .filter((branch) => branch.properties !== undefined && !('secrets' in branch.properties))
    .map((branch) => (branch.properties?.integration_type as { const: IntegrationType }).const);
}

const SECRETLESS = new Set(DATADOG_REVISIONS.flatMap(secretlessTypes));

/** Whether a source takes no secrets in some revision: a config of it without any is valid, and it can be activated. */
export const takesNoSecrets = (integrationType: string): boolean => SECRETLESS.has(integrationType as IntegrationType);

/**
 * The type a path segment names, in the lower-case form the published spec uses (`entra_id`). Only that
 * form: whether Datadog also accepts `ENTRA_ID` there is undocumented, and a test that passes here must
 * pass against Datadog.
 */
export function integrationTypeFromPath(segment: string): IntegrationType | undefined {
  return INTEGRATION_TYPES.find((t) => t.toLowerCase() === segment);
}
