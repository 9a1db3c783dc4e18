// Preloaded into dist/index.js by the benchmark (NODE_OPTIONS=--require): records when each child
// process runs, so "own time" = wall time minus the union of the child spans. @actions/exec and
// our runners call child_process.spawn; the ESM bindings are re-synced after the patch.
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const {syncBuiltinESMExports} = require('node:module');

const t0 = performance.now();
const spans = [];
const original = cp.spawn;
cp.spawn = function spawn(file, args, ...rest) {
  const child = original.call(this, file, args, ...rest);
  const span = {cmd: [String(file).split('/').pop(), ...(Array.isArray(args) ? args.slice(0, 2) : [])].join(' '), start: performance.now() - t0};
  spans.push(span);
  child.once('exit', () => (span.end = performance.now() - t0));
  return child;
};
syncBuiltinESMExports();

process.on('exit', () => {
  const wall = performance.now() - t0;
  const sorted = spans.map(s => [s.start, s.end ?? wall]).sort((a, b) => a[0] - b[0]);
  let child = 0;
  let cur;
  for (const [s, e] of sorted) {
    if (!cur || s > cur[1]) {
      if (cur) child += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  if (cur) child += cur[1] - cur[0];
  const cpu = process.cpuUsage();
  const file = process.env.BENCH_SPANS_FILE;
  if (file) {
    fs.writeFileSync(
      file,
      JSON.stringify({wall, child, own: wall - child, cpuMs: (cpu.user + cpu.system) / 1000, processes: spans.length, spans})
    );
  }
});
