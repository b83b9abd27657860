// tap compiles itself for the plugins .taprc names, but it notices a change only during a run, whose test
// processes still get the loaders of the plugins it was built with: after `npm ci`, tap's defaults, ts-node
// among them, which is what .taprc turns off. So npm test builds tap first when its plugins differ (once
// after each npm ci; it costs a few seconds) and otherwise costs only this check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TapConfig } from '@tapjs/config';
import { signature } from '@tapjs/test';

const config = await TapConfig.load();
if (signature !== config.pluginSignature) {
  const tap = path.join(path.dirname(fileURLToPath(import.meta.resolve('tap/package.json'))), 'dist', 'esm', 'run.mjs');
  const { status } = spawnSync(process.execPath, [tap, 'build'], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
