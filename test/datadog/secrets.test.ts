// Secrets, API keys and application keys never appear in a response body or header, nor in the logs.
import t from 'tap';
import { startServer } from '../helpers';
import { datadog, PREFIX } from './dd';
import { http } from '../helpers';

t.test('markers sent as secrets and keys appear in no response and no log line', async (t) => {
  const server = await startServer(t);
  const apiKey = 'MARKER-API-KEY-7f3a';
  const appKey = 'MARKER-APP-KEY-91bc';
  const secret = 'MARKER-SECRET-55d0';
  const dd = datadog(server.url, apiKey, appKey);
  const captured: string[] = [];
  const record = (res: { status: number; headers: Headers; text: string }) => {
    captured.push(String(res.status), res.text, JSON.stringify([...res.headers.entries()]));
    return res;
  };
  const body = (secrets: unknown) => ({ data: { type: 'integration_config', attributes: { domain: 'd', integration_type: 'OKTA', name: 'n', secrets } } });
  const created = record(await dd.call('POST', '', body({ api_token: secret, nested: { deep: secret } })));
  const id = created.json.data.id;
  record(await dd.call('GET', `/${id}`));
  record(await dd.call('GET'));
  record(await dd.call('PATCH', `/${id}`, { data: { type: 'integration_config', attributes: { secrets: { api_token: `${secret}-2` } } } }));
  record(await dd.call('POST', '/validate', { data: { type: 'integration_config', attributes: { domain: 'd', integration_type: 'OKTA', secrets: { api_token: secret } } } }));
  record(await dd.call('POST', '/validate', { data: { type: 'integration_config', attributes: { domain: 'd', integration_type: 'OKTA', secrets: { api_token: `invalid-${secret}` } } } }));
  record(await dd.call('POST', `/${id}/validate`));
  record(await dd.call('POST', '', body({ api_token: `invalid${secret}` })));
  record(await dd.call('POST', '', { ...body({ api_token: secret }), junk: secret.repeat(2) }));
  record(await http(`${server.url}${PREFIX}`, { method: 'POST', headers: { ...dd.headers, 'content-type': 'application/json' }, body: `{"secrets": "${secret}"` }));
  record(await dd.call('DELETE', `/${id}`));
  record(await http(`${server.url}${PREFIX}`, { headers: { 'DD-API-KEY': apiKey } }));
  record(await http(`${server.url}${PREFIX}?api_key=${apiKey}`, { headers: dd.headers }));
  const everything = captured.join('\n') + server.logs();
  t.ok(server.logs().includes('incoming request'), 'logs were captured');
  for (const marker of [apiKey, appKey, secret]) t.notOk(everything.includes(marker), `${marker} appears nowhere`);
});
