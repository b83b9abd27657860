// Preloaded into the server by `BENCH_PROFILE=1 npm run bench` (node -r bench/profiler.cjs): each SIGWINCH (a
// signal close-with-grace leaves alone) starts or stops V8's CPU profiler, so a profile covers one measured
// scenario and nothing else (no start-up, no seeding, no warm-up). A stopped profile is written to
// $BENCH_PROFILE_DIR/<pid>-<n>.cpuprofile, then an empty <pid>-<n>.done tells bench/run.mjs it is complete.
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const dir = process.env.BENCH_PROFILE_DIR;
const session = new inspector.Session();
session.connect();
let running = false;
let count = 0;

process.on('SIGWINCH', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 250 }, () => session.post('Profiler.start')));
    return;
  }
  running = false;
  const n = `${process.pid}-${count++}`;
  session.post('Profiler.stop', (err, result) => {
    if (!err) fs.writeFileSync(path.join(dir, `${n}.cpuprofile`), JSON.stringify(result.profile));
    fs.writeFileSync(path.join(dir, `${n}.done`), err ? String(err) : '');
  });
});
