// The official sailpoint-api-client (1.4.15) against a listening syncmock: configured from SAIL_* env
// vars and explicitly, beta and v2024 (experimental), GET → PUT (toggle enabled) → GET, the 400 for a
// changed target as an axios error carrying the ErrorResponseDto, bad credentials, and the SDK's retries.
import t from 'tap';
import { Configuration, SourcesBetaApi, SourcesV2024Api, type AttrSyncSourceConfigBeta } from 'sailpoint-api-client';
import type { AxiosError } from 'axios';
import { http, matchesSchema, startServer } from '../helpers';
import { CLIENTS, SOURCE_ID, TENANT_2 } from '../sailpoint/sp';

/** Collects what the SDK prints (its experimental-API warning, its token failure) instead of showing it. */
function captureConsole(t: { teardown(fn: () => void): void }): string[] {
  const lines: string[] = [];
  const { log, error } = console;
  console.log = (...args: unknown[]) => void lines.push(args.join(' '));
  console.error = (...args: unknown[]) => void lines.push(args.join(' '));
  t.teardown(() => Object.assign(console, { log, error }));
  return lines;
}

function explicitConfiguration(baseurl: string, client: { id: string; secret: string }): Configuration {
  return new Configuration({ baseurl, clientId: client.id, clientSecret: client.secret, tokenUrl: `${baseurl}/oauth/token` });
}

const toggled = (config: AttrSyncSourceConfigBeta, name: string): AttrSyncSourceConfigBeta => ({
  ...config,
  attributes: config.attributes.map((a) => (a.name === name ? { ...a, enabled: !a.enabled } : a)),
});

t.test('SourcesBetaApi configured by SAIL_BASE_URL / SAIL_CLIENT_ID / SAIL_CLIENT_SECRET', async (t) => {
  const server = await startServer(t);
  const saved = { SAIL_BASE_URL: process.env.SAIL_BASE_URL, SAIL_CLIENT_ID: process.env.SAIL_CLIENT_ID, SAIL_CLIENT_SECRET: process.env.SAIL_CLIENT_SECRET };
  t.teardown(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  Object.assign(process.env, { SAIL_BASE_URL: server.url, SAIL_CLIENT_ID: CLIENTS.admin.id, SAIL_CLIENT_SECRET: CLIENTS.admin.secret });
  const api = new SourcesBetaApi(new Configuration());

  const got = await api.getSourceAttrSyncConfig({ id: SOURCE_ID });
  t.equal(got.status, 200);
  matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', got.data);
  t.equal(got.data.source.name, 'HR Active Directory');
  t.equal(got.data.attributes.find((a) => a.name === 'firstname')?.enabled, false);

  const put = await api.putSourceAttrSyncConfig({ id: SOURCE_ID, attrSyncSourceConfigBeta: toggled(got.data, 'firstname') });
  t.equal(put.status, 200);
  matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', put.data);
  t.equal(put.data.attributes.find((a) => a.name === 'firstname')?.enabled, true);
  t.match(put.headers['slpt-request-id'], /^[0-9a-f]{32}$/);

  const again = await api.getSourceAttrSyncConfig({ id: SOURCE_ID });
  t.same(again.data, put.data, 'read back');
});

t.test('SourcesV2024Api with an explicit Configuration (experimental = true)', async (t) => {
  const server = await startServer(t);
  const printed = captureConsole(t);
  const configuration = explicitConfiguration(server.url, CLIENTS.admin2);
  configuration.experimental = true;
  const api = new SourcesV2024Api(configuration);

  const got = await api.getSourceAttrSyncConfig({ id: SOURCE_ID });
  matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', got.data);
  const body = toggled(got.data, 'email');
  const put = await api.putSourceAttrSyncConfig({ id: SOURCE_ID, xSailPointExperimental: 'true', attrSyncSourceConfigV2024: body });
  t.same(put.data, body);
  t.same((await api.getSourceAttrSyncConfig({ id: SOURCE_ID })).data, body, 'read back');
  t.ok(printed.some((l) => l.includes('Warning: You are using Experimental APIs')), 'the SDK warns about experimental APIs');
  const beta = new SourcesBetaApi(explicitConfiguration(server.url, CLIENTS.admin2));
  t.same((await beta.getSourceAttrSyncConfig({ id: SOURCE_ID })).data, body, 'beta and v2024 share the store');
  const stored = (await http(`${server.url}/__admin/state?tenant=${TENANT_2}`)).json.sailpoint.tenants[TENANT_2].sources;
  t.equal(stored.find((s: { id: string }) => s.id === SOURCE_ID).attributes[0].enabled, false, 'stored in tenant 2');
});

t.test('a changed target is a 400 axios error carrying the ErrorResponseDto, and changes nothing', async (t) => {
  const server = await startServer(t);
  const api = new SourcesBetaApi(explicitConfiguration(server.url, CLIENTS.admin));
  const before = (await api.getSourceAttrSyncConfig({ id: SOURCE_ID })).data;
  const body = { ...before, attributes: before.attributes.map((a, i) => (i === 0 ? { ...a, target: 'userPrincipalName' } : a)) };
  const err = await api.putSourceAttrSyncConfig({ id: SOURCE_ID, attrSyncSourceConfigBeta: body }).then(
    () => t.fail('the PUT should be refused'),
    (e: AxiosError<{ trackingId: string; causes: Array<{ text: string }> }>) => e,
  );
  if (!err) return;
  t.equal(err.response?.status, 400);
  matchesSchema(t, 'sailpoint/error-response-dto.json', err.response?.data);
  t.match(err.response?.data.causes[0].text, /attributes\.0\.target.*'mail' to 'userPrincipalName'/);
  t.equal(err.response?.data.trackingId, err.response?.headers['slpt-request-id']);
  t.same((await api.getSourceAttrSyncConfig({ id: SOURCE_ID })).data, before, 'unchanged');
});

t.test('HELPDESK reads but gets a 403 on PUT', async (t) => {
  const server = await startServer(t);
  const api = new SourcesBetaApi(explicitConfiguration(server.url, CLIENTS.helpdesk));
  const { data } = await api.getSourceAttrSyncConfig({ id: SOURCE_ID });
  const err = (await api.putSourceAttrSyncConfig({ id: SOURCE_ID, attrSyncSourceConfigBeta: data }).catch((e: AxiosError) => e)) as AxiosError;
  t.equal(err.response?.status, 403);
  matchesSchema(t, 'sailpoint/error-response-dto.json', err.response?.data);
});

t.test('a wrong client secret: the SDK cannot get a token and the call fails with the 401', async (t) => {
  const server = await startServer(t);
  const printed = captureConsole(t);
  const api = new SourcesBetaApi(explicitConfiguration(server.url, { id: CLIENTS.admin.id, secret: 'wrong' }));
  await t.rejects(api.getSourceAttrSyncConfig({ id: SOURCE_ID }), /status code 401/);
  t.ok(printed.some((l) => l.includes('Unable to fetch access token')));
});

t.test('a 500 is retried three times by the SDK (4 requests), then surfaces as the ErrorResponseDto', async (t) => {
  const server = await startServer(t);
  const api = new SourcesBetaApi(explicitConfiguration(server.url, CLIENTS.admin));
  const { data } = await api.getSourceAttrSyncConfig({ id: SOURCE_ID });
  // A store that fails under the model: its table is gone.
  server.context.db.exec('DROP TABLE sp_sources');
  const err = (await api.putSourceAttrSyncConfig({ id: SOURCE_ID, attrSyncSourceConfigBeta: data }).catch((e: AxiosError) => e)) as AxiosError;
  t.equal(err.response?.status, 500);
  matchesSchema(t, 'sailpoint/error-response-dto.json', err.response?.data);
  const puts = (await http(`${server.url}/__admin/requests?method=PUT`)).json.requests;
  t.equal(puts.length, 4, 'four PUTs reached the server');
});
