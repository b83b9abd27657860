// /__admin/ui serves the dashboard's files: open without the admin token (they hold no data), with a strict
// content security policy, nothing outside ui/, and every module the page imports present.
import fs from 'node:fs';
import nodeHttp from 'node:http';
import path from 'node:path';
import t from 'tap';
import { UI_DIR } from '../../src/control/ui-routes';
import { http, startServer } from '../helpers';
import { admin } from './admin';

t.test('the page and its modules, served from ui/', async (t) => {
  const server = await startServer(t, { adminToken: 'ui-admin-token' });
  const bare = await fetch(`${server.url}/__admin/ui`, { redirect: 'manual' });
  t.equal(bare.status, 302);
  t.equal(bare.headers.get('location'), 'ui/', 'relative, so it works behind any prefix-preserving proxy');

  const index = await http(`${server.url}/__admin/ui/`);
  t.equal(index.status, 200, 'no admin token needed for the page itself');
  t.match(index.headers.get('content-type'), /^text\/html/);
  t.match(index.headers.get('content-security-policy'), /default-src 'none'; script-src 'self';.*connect-src 'self'/);
  t.equal(index.headers.get('x-content-type-options'), 'nosniff');
  t.equal((await admin(server.url)('GET', '/overview')).status, 401, 'the data it loads still needs the token');

  // Every module reachable from the page, by following its imports.
  const seen = new Set<string>();
  const pending = ['app.js', 'style.css'];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const res = await http(`${server.url}/__admin/ui/${file}`);
    t.equal(res.status, 200, `${file} is served`);
    t.equal(res.text, fs.readFileSync(path.join(UI_DIR, file), 'utf8'), `${file} as written`);
    for (const [, imported] of res.text.matchAll(/from '(\.[^']+)'/g)) pending.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), imported)));
  }
  t.match(await (await fetch(`${server.url}/__admin/ui/app.js`)).headers.get('content-type'), /javascript/);
  const onDisk = fs.readdirSync(UI_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  t.same([...seen].sort(), onDisk.map((f) => f.split(path.sep).join('/')).sort(), 'every file in ui/ is used by the page');
});

t.test('nothing outside ui/, and misses in the control API\'s shape', async (t) => {
  const server = await startServer(t);
  // Sent as written: fetch would resolve the dot segments itself.
  const raw = (url: string) => new Promise<{ status: number; text: string }>((resolve, reject) => {
    nodeHttp.get({ host: '127.0.0.1', port: server.port, path: url }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    }).on('error', reject);
  });
  for (const url of ['/__admin/ui/nope.js', '/__admin/ui/../../package.json', '/__admin/ui/%2e%2e/%2e%2e/package.json', '/__admin/ui/..%2f..%2fpackage.json', '/__admin/ui/.hidden']) {
    const res = await raw(url);
    t.ok([400, 403, 404].includes(res.status), `${url} is refused (${res.status})`);
    t.match(JSON.parse(res.text), { statusCode: res.status, message: String }, 'in the control API\'s error shape');
    t.notOk(res.text.includes('"devDependencies"'), `${url} does not leak package.json`);
  }
  t.same((await admin(server.url)('GET', '/requests')).json.requests, [], 'loading the page is not journaled');
});
