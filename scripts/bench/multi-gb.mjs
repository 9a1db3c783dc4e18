#!/usr/bin/env node
/* global process, performance, console, setInterval, clearInterval */
// Benchmark (not a test): the whole action (dist/index.js, run as the runner runs it) on an image
// with one large random layer, on the bed. Measures:
//   1. publish with buildah (our uploader streams the OCI layout to the registry),
//   2. promote within the registry (cross-repository mount: 0 bytes uploaded),
//   3. promote across registries (every byte moves),
//   4. `regctl image copy` and `skopeo copy` of the same image between the same registries.
// Peak RSS of the node process ALONE is its VmHWM from /proc/<pid>/status, polled until it exits
// (/usr/bin/time would report the largest of node and its children, e.g. buildah). Tools are
// measured with /usr/bin/time -f %M (they are single processes).
//
//   node scripts/bench/multi-gb.mjs [--size-mib 2048] [--work /var/tmp] [--rounds 1]
//                                   [--keep] [--reuse <repository>]
//
// --rounds N alternates the three copies across registries (ours, regctl, skopeo) N times and
// prints each one's median: on a shared 2-core machine one run of each says little. Each round
// copies to a new repository, and skopeo's blob-info cache is emptied before it runs (else it
// mounts the blobs it saw in an earlier round, "copying" 2 GiB in 0.1 s). --keep leaves the
// image in the registry; --reuse <repository> (printed by a --keep run) skips the publish.
//
// The across-registries target is the dev registry under the name localhost:<port>: a different
// registry to the client (no mount possible), the same disk. Prints a table, then one JSON line.
// Measured on the bed (2 shared cores, load ~15), 2026-12-02, node peak RSS / seconds:
//   2 GiB: publish 196 MB / 401 s (build included); promote same registry 117 MB / 4 s, 0 bytes;
//          across 218 MB / 93 s (23 MB/s); regctl 43 s (50 MB/s); skopeo 47 s (45 MB/s)
//   5 GiB: publish 195 MB / 646 s; same registry 117 MB / 3 s, 0 bytes; across 249 MB / 155 s
//          (35 MB/s); regctl 60 s (89 MB/s); skopeo 84 s (64 MB/s)
// Across registries node used ~25% of one core: the gap to regctl is waiting, not CPU.
// After read-ahead, the concurrent walk and redirect 'error' for streamed bodies (load 6-8):
//   2 GiB: publish 124 MB / 177 s; same registry 117 MB / 2.5 s, 0 bytes; across 172 MB / 59 s
//          (36 MB/s, all phases; the copy alone 29 s in-process); regctl 33 s; skopeo 30 s
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeMiB = Number(opt('size-mib', '2048'));
const work = mkdtempSync(path.join(opt('work', '/var/tmp'), 'image-publish-multigb-'));
const bed = JSON.parse(
  readFileSync(path.join(process.env.IMAGE_PUBLISH_BED_STATE || '/var/lib/image-publish-bed', 'bed.json'), 'utf8')
);
const src = bed.devRegistry.host;
const dst = src.replace(/^127\.0\.0\.1/, 'localhost');
const id = `${sizeMiB}m-${Date.now().toString(36)}`;
const reuse = opt('reuse', undefined);
const repo = reuse ?? `bench/multigb-${id}`;
const rounds = Math.max(1, Number(opt('rounds', '1')));
const keep = args.includes('--keep') || reuse !== undefined;
// --only ours,regctl,skopeo: which of the copies across registries run
const only = opt('only', 'ours,regctl,skopeo').split(',');

function eventEnv(name) {
  const env = {};
  for (const line of readFileSync(path.join(root, '__tests__/fixtures/events', `${name}.env`), 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  env.GITHUB_EVENT_PATH = path.join(root, '__tests__/fixtures/events', `${name}.json`);
  return env;
}

/** dist/index.js with these inputs; resolves with outputs, summary, seconds and peak RSS (MB). */
function action(event, inputs) {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const files = {GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary'};
  const env = {
    PATH: `${bed.binDir}:${process.env.PATH}`,
    HOME: process.env.HOME ?? '/root',
    RUNNER_TEMP: dir,
    DOCKER_CONFIG: bed.docker.config,
    NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert,
    SSL_CERT_FILE: bed.caBundle,
    ...eventEnv(event)
  };
  for (const [k, f] of Object.entries(files)) writeFileSync((env[k] = path.join(dir, f)), '');
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise(resolve => {
    const t0 = performance.now();
    // BENCH_NODE_ARGS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where the action's CPU goes
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/index.js')], {env});
    let log = '';
    child.stdout.on('data', d => (log += d));
    child.stderr.on('data', d => (log += d));
    let hwm = 0;
    let cpuTicks = 0;
    const poll = setInterval(() => {
      try {
        const m = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
        if (m) hwm = Math.max(hwm, Number(m[1]));
        // utime + stime (fields 14, 15) in clock ticks: CPU-bound (≈ wall time) or waiting on I/O?
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpuTicks = Number(stat[11]) + Number(stat[12]);
      } catch {
        // exited between two polls
      }
    }, 200);
    child.on('close', code => {
      clearInterval(poll);
      const outputs = {};
      const lines = readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const m = lines[i].match(/^([^<=]+)<<(.+)$/);
        if (!m) continue;
        const value = [];
        for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
        outputs[m[1]] = value.join('\n');
      }
      const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
      if (code !== 0) process.stderr.write(log);
      resolve({
        code,
        seconds: (performance.now() - t0) / 1000,
        peakRssMB: Math.round(hwm / 1024),
        cpuSeconds: cpuTicks / 100,
        outputs,
        summary
      });
    });
  });
}

/** Seconds of one phase, from the summary's phase table. */
const phaseSeconds = (summary, name) => Number(summary.match(new RegExp(`\\| ${name}[^|]*\\| ([0-9.]+) s \\|`))?.[1]);

// regctl: the bed's config plus the localhost alias as plain http (the bed's own file stays as it is)
const regctlConfig = path.join(work, 'regctl.json');
const regctlHosts = JSON.parse(readFileSync(bed.regctlConfig, 'utf8'));
regctlHosts.hosts[dst] = {...regctlHosts.hosts[src], hostname: dst};
writeFileSync(regctlConfig, JSON.stringify(regctlHosts), {mode: 0o600});

function tool(argv) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...argv], {
    encoding: 'utf8',
    env: {...process.env, REGCTL_CONFIG: regctlConfig, PATH: `${bed.binDir}:${process.env.PATH}`}
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return {code: r.status, error: r.stderr.trim().split('\n').slice(-3).join(' ')};
  const [kb, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return {code: 0, seconds, peakRssMB: Math.round(kb / 1024), cpuSeconds: Number((user + sys).toFixed(2))};
}

const insecure = `${src},${dst}`;
const rows = [];
const mb = (sizeMiB * 1024 * 1024) / 1e6;
const add = (what, r, extra = {}) => {
  rows.push({
    what,
    cpuSeconds: r.cpuSeconds,
    code: r.code,
    seconds: r.seconds,
    MBps: r.seconds ? Math.round(mb / r.seconds) : undefined,
    peakRssMB: r.peakRssMB,
    ...(r.registryCpuSeconds !== undefined ? {registryCpuSeconds: r.registryCpuSeconds, idleShare: r.idleShare} : {}),
    ...extra
  });
};

if (!reuse) {
  const ctx = path.join(work, 'context');
  mkdirSync(ctx);
  // dd writes the random layer straight to disk (never through this process)
  const dd = spawnSync('dd', ['if=/dev/urandom', `of=${path.join(ctx, 'layer.bin')}`, 'bs=1M', `count=${sizeMiB}`], {
    stdio: 'ignore'
  });
  if (dd.status !== 0) throw new Error('dd failed');
  writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${bed.images.busybox.ref}\nCOPY layer.bin /layer.bin\n`);

  const published = await action('ip_tag_v1.0.0', {
    images: `${src}/${repo}`,
    tags: 'type=raw,value=v1',
    platforms: 'linux/amd64',
    context: ctx,
    engine: 'buildah',
    'engine-flags': bed.buildah.storageFlags,
    isolation: bed.buildah.isolation,
    'insecure-registries': insecure
  });
  add('action publish (buildah build + our push)', published, {
    pushSeconds: phaseSeconds(published.summary, 'Build and push by digest')
  });
  rmSync(ctx, {recursive: true, force: true});
}

const promote = (source, image) =>
  action('ip_dispatch', {
    mode: 'promote',
    source,
    images: image,
    version: '1.0.0',
    tags: 'type=semver,pattern={{version}},prefix=v',
    flavor: 'latest=false',
    'insecure-registries': insecure
  });
const stats = (r, image) => {
  const t = JSON.parse(r.outputs.promoted ?? '{}').targets?.[image] ?? {};
  return {blobsMounted: t.blobsMounted, blobsUploaded: t.blobsUploaded, bytesUploaded: t.bytesUploaded};
};
const within = await promote(`${src}/${repo}:v1`, `${src}/${repo}-release-${id}`);
add('action promote, same registry (mount)', within, stats(within, `${src}/${repo}-release-${id}`));
const skopeoCaches = [
  '/var/lib/containers/cache',
  path.join(process.env.HOME ?? '/root', '.local/share/containers/cache')
];
const median = xs => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const runs = {ours: [], regctl: [], skopeo: []};
// Both ends of the copy are one registry process: its CPU, and the machine's idle share, say
// whether a copy waited on CPU (a 2-core machine runs client and registry side by side).
const registryPid = (() => {
  const port = src.split(':')[1];
  const m = spawnSync('ss', ['-ltnpH', `sport = :${port}`], {encoding: 'utf8'}).stdout.match(/pid=(\d+)/);
  return m ? Number(m[1]) : undefined;
})();
const cpuOf = pid => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};
const machine = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return {idle: f[3] + f[4], all: f.reduce((a, b) => a + b, 0)};
};
/** Runs fn, adding the registry's CPU seconds and the machine's idle share while it ran. */
const measured = async fn => {
  const c0 = cpuOf(registryPid);
  const m0 = machine();
  const r = await fn();
  const m1 = machine();
  return {
    ...r,
    registryCpuSeconds: Number((cpuOf(registryPid) - c0).toFixed(2)),
    idleShare: Number(((m1.idle - m0.idle) / (m1.all - m0.all)).toFixed(2))
  };
};
for (let round = 1; round <= rounds; round++) {
  const across = only.includes('ours')
    ? await measured(() => promote(`${src}/${repo}:v1`, `${dst}/${repo}-across-${id}-${round}`))
    : {code: 1};
  if (only.includes('ours'))
    runs.ours.push({
      ...across,
      ...stats(across, `${dst}/${repo}-across-${id}-${round}`),
      copySeconds: phaseSeconds(across.summary, 'Copy by digest')
    });
  if (process.env.BENCH_PHASES) console.error(across.summary);
  if (only.includes('regctl'))
    runs.regctl.push(
      await measured(() =>
        tool(['regctl', 'image', 'copy', `${src}/${repo}:v1`, `${dst}/${repo}-regctl-${id}-${round}:v1`])
      )
    );
  for (const dir of skopeoCaches) rmSync(path.join(dir, 'blob-info-cache-v1.boltdb'), {force: true});
  for (const dir of skopeoCaches) rmSync(path.join(dir, 'blob-info-cache-v1.sqlite'), {force: true});
  if (only.includes('skopeo'))
    runs.skopeo.push(
      await measured(() =>
        tool([
          'skopeo',
          'copy',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          `docker://${src}/${repo}:v1`,
          `docker://${dst}/${repo}-skopeo-${id}-${round}:v1`
        ])
      )
    );
}
/** The run of median seconds, with every run's seconds beside it. */
const medianRun = rs => {
  const ok = rs.filter(r => r.code === 0);
  if (ok.length === 0) return rs[0]; // undefined when it did not run
  const m = median(ok.map(r => r.seconds));
  const {summary: _s, outputs: _o, ...run} = ok.find(r => r.seconds === m);
  return {...run, ...(rs.length > 1 ? {runs: rs.map(r => Number(r.seconds?.toFixed(1)))} : {})};
};
const ours = medianRun(runs.ours);
if (ours)
  add('action promote, across registries', ours, {
    blobsUploaded: ours.blobsUploaded,
    bytesUploaded: ours.bytesUploaded,
    copySeconds: ours.copySeconds,
    ...(ours.runs ? {runs: ours.runs} : {})
  });
const regctlRun = medianRun(runs.regctl);
if (regctlRun) add('regctl image copy, across', regctlRun, regctlRun.runs ? {runs: regctlRun.runs} : {});
const skopeoRun = medianRun(runs.skopeo);
if (skopeoRun) add('skopeo copy, across', skopeoRun, skopeoRun.runs ? {runs: skopeoRun.runs} : {});
// The action leaves the platform image it built in buildah's storage (only the manifest list is
// removed; see the report of issue 16): drop this benchmark's image, by its ID (= config digest).
const configDigest = spawnSync(
  'regctl',
  ['manifest', 'get', `${src}/${repo}:v1`, '--platform', 'linux/amd64', '--format', '{{.GetConfig.Digest}}'],
  {encoding: 'utf8', env: {...process.env, REGCTL_CONFIG: regctlConfig, PATH: `${bed.binDir}:${process.env.PATH}`}}
).stdout.trim();
if (!keep && /^sha256:[0-9a-f]{64}$/.test(configDigest)) {
  spawnSync('buildah', [...bed.buildah.storageFlags.split(' '), 'rmi', configDigest.slice(7)], {stdio: 'ignore'});
}
if (existsSync(work)) rmSync(work, {recursive: true, force: true});

const pad = (s, n) => String(s ?? '').padEnd(n);
console.log(`image: ${src}/${repo} (${sizeMiB} MiB random layer${keep ? '; kept: --reuse ' + repo : ''})`);
console.log(`${pad('what', 44)}${pad('seconds', 10)}${pad('MB/s', 8)}${pad('peak RSS MB', 13)}other`);
for (const {what, seconds, MBps, peakRssMB, code, ...rest} of rows) {
  console.log(
    `${pad(what, 44)}${pad(seconds?.toFixed(1), 10)}${pad(MBps, 8)}${pad(peakRssMB, 13)}${code ? `exit ${code} ` : ''}${JSON.stringify(rest)}`
  );
}
console.log(JSON.stringify({sizeMiB, src, dst, repo, rows}));
