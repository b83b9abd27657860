// Parallel suites with their own API keys never see each other's state, journal entries or faults, and a
// reset of one org leaves the others as they are.
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

t.test('three suites in parallel on one server, each resetting its own org first', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const suite = async (key: string) => {
    const dd = datadog(server.url, key);
    await call('POST', `/reset?api_key=${key}`);
    await call('POST', '/faults', { api_key: key, method: 'DELETE', status: 503, times: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await dd.call('POST', '', seedCreateBody())).json.data.id);
    t.equal((await dd.call('DELETE', `/${ids[0]}`)).status, 503, `${key}: its own fault`);
    t.equal((await dd.call('DELETE', `/${ids[0]}`)).status, 204);
    await call('POST', `/reset?api_key=${key}`);
    for (let i = 0; i < 3; i++) await dd.call('POST', '', seedCreateBody());
    return { key, listed: (await dd.call('GET')).json.data.length };
  };
  const results = await Promise.all(['iso-a', 'iso-b', 'iso-c'].map(suite));
  t.same(results.map((r) => r.listed), [3, 3, 3], 'each sees only what it made since its own reset');
  for (const key of ['iso-a', 'iso-b', 'iso-c']) {
    const entries = (await call('GET', `/requests?api_key=${key}`)).json.requests;
    t.ok(entries.every((e: { org: string }) => e.org === orgIdForApiKey(key)), `${key}: its journal entries only`);
    t.equal(entries.length, 4, `${key}: the entries since its reset (3 creates, 1 list)`);
  }
  t.same((await call('GET', '/faults')).json.faults, [], 'each suite\'s reset removed its own rule');
});
