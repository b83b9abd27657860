// A config as Datadog's JSON:API resource: the wire form of every answer (routes.ts), and what a config's
// attributes are in a state document (state.ts).
import type { DatadogIntegrationConfigResponse } from '../generated/schema-types';
import type { IntegrationConfig } from './model';

/** `{"id", "type": "integration_config", "attributes"}`; attributes Datadog leaves out when unset are left out. */
export function resource(c: IntegrationConfig): DatadogIntegrationConfigResponse['data'] {
  return {
    id: c.id,
    type: 'integration_config',
    attributes: {
      created_at: c.createdAt,
      domain: c.domain,
      enabled: c.enabled,
      integration_type: c.integrationType,
      modified_at: c.modifiedAt,
      ...(c.name !== undefined && { name: c.name }),
      ...(c.settings !== undefined && { settings: c.settings }),
      state: c.state,
    },
  };
}
