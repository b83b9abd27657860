// The server of bench/run.mjs's worst-bodies scenario: syncmock started in this process (startSyncmock from
// the build BENCH_INDEX names, with the options in BENCH_OPTIONS), measuring its own event loop's delay with
// perf_hooks.monitorEventLoopDelay. A child of the bench, so that a request that blocks it for minutes blocks
// only this process (the bench kills it and starts another). Messages from the parent: 'reset' clears the
// histogram, 'read' answers the largest delay since, in ms.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const { startSyncmock } = await import(pathToFileURL(process.env.BENCH_INDEX).href);
const syncmock = await startSyncmock(JSON.parse(process.env.BENCH_OPTIONS ?? '{}'));
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.on('message', (message) => {
  if (message === 'reset') {
    delay.reset();
    process.send({ reset: true });
  } else if (message === 'read') {
    process.send({ maxMs: delay.max / 1e6 });
  }
});
process.on('disconnect', () => { syncmock.close().finally(() => process.exit(0)); });
process.send({ url: syncmock.url });
