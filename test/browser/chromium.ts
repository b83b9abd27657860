// Debian's Chromium driven by playwright-core (no browser download: none is reachable from CI). One browser
// per test file, closed when the file ends. playwright's launch() gives the browser a fresh profile
// directory of its own (it refuses --user-data-dir), so no state carries over between runs.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.SYNCMOCK_CHROMIUM ?? '/usr/bin/chromium';

interface TapLike {
  teardown(fn: () => unknown): void;
}

export async function launchChromium(t: TapLike): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set SYNCMOCK_CHROMIUM)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());
  return browser;
}
