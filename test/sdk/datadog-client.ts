// The official Datadog client aimed at a syncmock server, with every response body recorded as it came
// over the wire, so tests can check the raw bodies against schemas/ as well as what the client parsed.
import { client, v2 } from '@datadog/datadog-api-client';

export const INTEGRATION_CONFIG_OPERATIONS = [
  'listSecurityMonitoringIntegrationConfigs', 'createSecurityMonitoringIntegrationConfig', 'getSecurityMonitoringIntegrationConfig',
  'updateSecurityMonitoringIntegrationConfig', 'deleteSecurityMonitoringIntegrationConfig', 'validateSecurityMonitoringIntegrationConfig',
  'validateSecurityMonitoringIntegrationCredentials', 'activateIntegration', 'deactivateIntegration', 'getEntraIdAzureAppRegistrations',
];

export interface RecordedResponse {
  method: string;
  url: string;
  /** The headers the client sent, names as it wrote them. */
  requestHeaders: Record<string, string>;
  status: number;
  text: string;
}

class RecordingHttpLibrary extends client.IsomorphicFetchHttpLibrary {
  readonly responses: RecordedResponse[] = [];

  async send(request: client.RequestContext): Promise<client.ResponseContext> {
    const response = await super.send(request);
    const text = await response.body.text();
    this.responses.push({ method: request.getHttpMethod(), url: request.getUrl(), requestHeaders: { ...request.getHeaders() }, status: response.httpStatusCode, text });
    response.body = { text: async () => text, binary: async () => Buffer.from(text) };
    return response;
  }
}

export interface DatadogClient {
  api: v2.SecurityMonitoringApi;
  /** The raw body of the latest response, parsed (undefined when empty). */
  lastBody(): unknown;
  responses: RecordedResponse[];
}

type AuthMethods = NonNullable<Parameters<typeof client.createConfiguration>[0]>['authMethods'];

/**
 * A SecurityMonitoringApi on baseUrl with the ten entity context sync operations turned on, authenticated
 * with the seed's key pair unless told otherwise (e.g. `{ AuthZ: { accessToken } }`).
 */
export function datadogClient(baseUrl: string, authMethods: AuthMethods = { apiKeyAuth: 'syncmock-api-key', appKeyAuth: 'syncmock-app-key' }): DatadogClient {
  const httpApi = new RecordingHttpLibrary();
  const configuration = client.createConfiguration({ baseServer: new client.BaseServerConfiguration(baseUrl, {}), authMethods, httpApi });
  for (const op of INTEGRATION_CONFIG_OPERATIONS) configuration.unstableOperations[`v2.${op}`] = true;
  return {
    api: new v2.SecurityMonitoringApi(configuration),
    responses: httpApi.responses,
    lastBody() {
      const text = httpApi.responses.at(-1)?.text ?? '';
      return text === '' ? undefined : JSON.parse(text);
    },
  };
}
