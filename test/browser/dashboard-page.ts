// A browser page on a syncmock's dashboard that records every answer it receives, streamed ones included,
// through the DevTools protocol, so tests can search the page's DOM and network for secrets.
import type { Browser, CDPSession, Page } from 'playwright-core';

interface TapLike {
  teardown(fn: () => unknown): void;
}

export interface RecordedPage {
  page: Page;
  /** Every response body the page received so far (including the journal stream), as text. */
  networkText(): string;
  /** The page's markup, with the current value of every form field (which the markup does not show). */
  domText(): Promise<string>;
  /** Every request the page sent: method, URL, headers. */
  requests: Array<{ method: string; url: string; headers: Record<string, string> }>;
}

/** A new tab (its own context: own sessionStorage) on the dashboard, answers recorded. */
export async function openDashboard(t: TapLike, browser: Browser, baseUrl: string, viewport = { width: 1400, height: 1000 }): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const bodies = new Map<string, string>();
  await record(await context.newCDPSession(page), bodies);
  const requests: RecordedPage['requests'] = [];
  // A request still in flight when the tab closes at teardown has no headers left to read (its rejection
  // would otherwise end the test process).
  page.on('request', (request) => void request.allHeaders().then((headers) => requests.push({ method: request.method(), url: request.url(), headers }), () => {}));
  await page.goto(`${baseUrl}/__admin/ui`);
  return {
    page,
    requests,
    networkText: () => [...bodies.values()].join('\n'),
    domText: () => page.evaluate(() => document.documentElement.outerHTML + '\n' +
      [...document.querySelectorAll('input, textarea, select')].map((el) => (el as HTMLInputElement).value).join('\n')),
  };
}

async function record(cdp: CDPSession, bodies: Map<string, string>): Promise<void> {
  const streaming = new Set<string>();
  const decode = (data: string) => Buffer.from(data, 'base64').toString('utf8');
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.mimeType !== 'text/event-stream') return;
    streaming.add(e.requestId);
    // From here on each chunk arrives with Network.dataReceived; what came before is returned now.
    cdp.send('Network.streamResourceContent', { requestId: e.requestId })
      .then((r) => bodies.set(e.requestId, decode(r.bufferedData) + (bodies.get(e.requestId) ?? '')), () => undefined);
  });
  cdp.on('Network.dataReceived', (e) => {
    if (streaming.has(e.requestId) && e.data) bodies.set(e.requestId, (bodies.get(e.requestId) ?? '') + decode(e.data));
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (streaming.has(e.requestId)) return;
    cdp.send('Network.getResponseBody', { requestId: e.requestId })
      .then((r) => bodies.set(e.requestId, r.base64Encoded ? decode(r.body) : r.body), () => undefined);
  });
}
