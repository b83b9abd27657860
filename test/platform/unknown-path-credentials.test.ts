// Issue 15, defect 4: credentials in the query string of a path no route serves appear nowhere (the log
// line, the journal, the reply), and an unknown path under a vendor's prefix is answered in that vendor's
// shape, not Fastify's.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { rawRequest, schemaValidator, startServer } from '../helpers';
import { PREFIX } from '../datadog/dd';

const marker = (what: string) => `MARKER-${what}-${randomBytes(6).toString('hex')}`;
const datadogError = schemaValidator('datadog/error-response.json');

t.test('credential query parameters of unknown Datadog paths are in no log line, journal entry or reply', async (t) => {
  const server = await startServer(t); // logs at debug, captured
  const secrets: string[] = [];
  const secret = (what: string) => {
    const m = marker(what);
    secrets.push(m);
    return m;
  };
  const paths = [
    // The example: a sibling of the integration_config prefix.
    `/api/v2/security_monitoring/configuration/integration_configs?api_key=${secret('API-KEY')}`,
    `/api/v2/security_monitoring/configuration/integration_configs?application_key=${secret('APP-KEY')}&api_key=${secret('API-KEY-2')}&page=1`,
    `${PREFIX}/unknown/deeper/path?api_key=${secret('API-KEY-3')}`,
  ];
  const replies: string[] = [];
  for (const p of paths) {
    const res = await rawRequest(server.url, { method: 'GET', path: p, headers: { 'dd-api-key': 'unknown-path-key', 'dd-application-key': 'unknown-path-app' } });
    const where = p.split('?')[0];
    t.equal(res.status, 404, `GET ${where}: 404`);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      body = undefined;
    }
    t.ok(datadogError(body), `GET ${where}: in Datadog's shape, {"errors": [...]}`, { body: res.text.slice(0, 300) });
    replies.push(`${JSON.stringify(res.headers)} ${res.text}`);
  }
  const journal = await rawRequest(server.url, { method: 'GET', path: '/__admin/requests' });
  t.equal(journal.status, 200);
  const places = { replies: replies.join('\n'), 'log lines': server.logs(), journal: journal.text };
  t.match(server.logs(), /integration_configs/, 'the requests were logged');
  for (const [where, text] of Object.entries(places)) {
    t.same(secrets.filter((s) => text.includes(s)), [], `no credential in the ${where}`);
  }
});
