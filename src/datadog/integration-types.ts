// The external sources an entity context sync can read from, as the API names them: upper case in bodies
// and in the list filter (`ENTRA_ID`), lower case in the activate/deactivate paths (`entra_id`). The list
// itself is the schemas' (schemas/datadog/defs.json, IntegrationType).
import type { IntegrationType } from '../generated/schema-types';
import { enumValues, schema } from '../platform/schemas';

export type { IntegrationType };
export const INTEGRATION_TYPES = enumValues(schema('datadog/defs.json'), '#/$defs/IntegrationType') as readonly IntegrationType[];

/**
 * Sources Datadog reaches without credentials from the user (Entra ID goes through the org's Azure app
 * registrations): their configs carry no `secrets`, and they are the ones that can be activated.
 */
const SECRETLESS_TYPES = ['ENTRA_ID'] as const satisfies readonly IntegrationType[];
export type SecretlessType = (typeof SECRETLESS_TYPES)[number];

export const needsNoSecrets = (integrationType: string): integrationType is SecretlessType =>
  (SECRETLESS_TYPES as readonly string[]).includes(integrationType);

/**
 * The type a path segment names, in the lower-case form the published spec uses (`entra_id`). Only that
 * form: whether Datadog also accepts `ENTRA_ID` there is undocumented, and a test that passes here must
 * pass against Datadog.
 */
export function integrationTypeFromPath(segment: string): IntegrationType | undefined {
  return INTEGRATION_TYPES.find((t) => t.toLowerCase() === segment);
}
