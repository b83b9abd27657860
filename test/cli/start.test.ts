// The built command line, spawned: help, version, the start line and a clean stop on SIGTERM.
import t from 'tap';
import { OPTIONS } from '../../src/config';
import { version } from '../../src/version';
import { http } from '../helpers';
import { builtCli, runCli, startProcess } from '../spawn';

t.test('--help lists every flag with its environment variable and default', async (t) => {
  const r = runCli(['--help']);
  t.equal(r.code, 0);
  
  for (const o of OPTIONS) {
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`--${o.flag} `));
    t.ok(line, `--${o.flag} is listed`);
    t.match(line, ` ${o.env} `, `with ${o.env}`);
    t.match(line, `(default: ${o.shownDefault})`, 'and its default');
  }
  t.match(r.stdout, /--cors-origin\s+SYNCMOCK_CORS_ORIGIN .*\(default: \*\)/);
  t.match(r.stdout, /--admin-cors\s+SYNCMOCK_ADMIN_CORS .*\(default: false\)/);
  t.match(r.stdout, /--version/);
  t.match(r.stdout, /\nAlso: syncmock mcp \[--url URL\] \[--admin-token TOKEN\] /, 'and the mcp subcommand');
});

t.test('--version prints the package version', async (t) => {
  const r = runCli(['--version']);
  t.equal(r.code, 0);
  t.equal(r.stdout, `${version}\n`);
});

t.test('starts with one line naming each vendor URL, the docs and the dashboard, and stops cleanly on SIGTERM', async (t) => {
  const started = await startProcess(t, process.execPath, [builtCli, '--port', '0', '--db', ':memory:'], /^syncmock /);
  // The documented, version-independent start for log-based wait strategies: `syncmock listening on `.
  const m = /^syncmock listening on (http:\/\/127\.0\.0\.1:\d+) · datadog (\S+) · sailpoint (\S+) \(token (\S+)\) · docs (\S+) · dashboard (\S+) · version (\S+)$/.exec(started.line);
  t.ok(m, 'the start line', { line: started.line });
  const [, url, datadog, sailpoint, token, docs, dashboard, shown] = m ?? [];
  t.same([datadog, sailpoint, token, docs, dashboard, shown], [url, url, `${url}/oauth/token`, `${url}/docs`, `${url}/__admin/ui`, version]);
  t.equal((await http(dashboard)).status, 200, 'the dashboard answers at the printed URL');
  const page = await http(docs);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /text\/html/);
  t.equal((await http(`${url}/__admin/health`)).status, 200);
  started.child.kill('SIGTERM');
  const end = await started.exited;
  t.equal(end.code, 0, 'exit 0 after SIGTERM', end);
  t.notMatch(end.stderr, /\S/, 'nothing on stderr');
});
