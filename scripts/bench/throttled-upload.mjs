#!/usr/bin/env node
// Benchmark (not a test): a large upload over a slow link, through a throttling TCP proxy on
// 127.0.0.1 (__tests__/integration/throttle-proxy.ts) in front of a REAL registry (the bed's dev
// registry, distribution). The client keeps its default 60 s per-request progress deadline, so the
// whole upload takes longer than that deadline: before deadlines were on progress, it failed.
//
//   node scripts/bench/throttled-upload.mjs [--size-mib 512] [--mbps 5] [--chunk-mib 64] [--registry host:port]
//
// With the default 64 MiB chunks each PATCH takes ≈13 s at 5 MB/s; `--chunk-mib 512` sends the
// whole blob in one PATCH of ≈107 s, longer than the deadline by itself.
//
// Prints seconds, MB/s through the proxy, peak RSS, and the digest the registry serves, as a line
// of text and one JSON line. Fails (exit 1) when the registry does not serve the exact digest and size.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeMiB = Number(opt('size-mib', '512'));
const mbps = Number(opt('mbps', '5'));
const chunkMiB = opt('chunk-mib', undefined);

function bedDev() {
  const file = path.join(process.env.IMAGE_PUBLISH_BED_STATE || '/var/lib/image-publish-bed', 'bed.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')).devRegistry?.host;
}
const registry = opt('registry', bedDev());
if (!registry) throw new Error('no --registry and no bed.json: run `bash scripts/test-bed.sh up` or pass --registry');

// Our client and the proxy are TypeScript: compile them once into a scratch directory.
const out = mkdtempSync(path.join(tmpdir(), 'bench-throttle-'));
execFileSync(
  'npx',
  [
    'tsc',
    '--outDir',
    out,
    '--rootDir',
    root,
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--target',
    'ES2022',
    '--types',
    'node',
    '--skipLibCheck',
    path.join(root, 'src/registry/client.ts'),
    path.join(root, 'src/registry/random-blob.ts'),
    path.join(root, '__tests__/integration/throttle-proxy.ts')
  ],
  {cwd: root, stdio: 'inherit'}
);
const load = p => import(pathToFileURL(path.join(out, p)).href);
const {RegistryClient} = await load('src/registry/client.js');
const {randomBlob} = await load('src/registry/random-blob.js');
const {startThrottleProxy} = await load('__tests__/integration/throttle-proxy.js');

const size = sizeMiB * 1024 * 1024;
const repo = `bench/throttled-${sizeMiB}m-${Date.now().toString(36)}`;
const blob = randomBlob(repo, size);
const digest = blob.digest();
const proxy = await startThrottleProxy(registry, mbps * 1e6);
const log = [];
const client = new RegistryClient({
  registry: proxy.host,
  insecure: true,
  log: m => log.push(m),
  ...(chunkMiB ? {chunkBytes: Number(chunkMiB) * 1024 * 1024} : {})
});
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 200);
const t0 = performance.now();
let error;
try {
  await client.uploadBlob(repo, digest, blob);
} catch (err) {
  error = err instanceof Error ? err.message : String(err);
}
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
await proxy.close();
// Read back from the registry itself, not through the proxy.
const head = await fetch(`http://${registry}/v2/${repo}/blobs/${digest}`, {method: 'HEAD'});
const served = {
  status: head.status,
  digest: head.headers.get('docker-content-digest'),
  size: Number(head.headers.get('content-length'))
};
const ok = !error && served.status === 200 && served.digest === digest && served.size === size;
const result = {
  registry,
  sizeMiB,
  throttleMBps: mbps,
  // without --chunk-mib the client sizes chunks to the rate (from 64 MiB up; at 5 MB/s they stay there)
  chunkMiB: chunkMiB ? Number(chunkMiB) : 'rate-sized',
  seconds: Number(seconds.toFixed(1)),
  MBps: Number((size / 1e6 / seconds).toFixed(2)),
  perRequestDeadlineS: 60,
  peakRssMB: Math.round(peak / 1024 / 1024),
  retries: log.filter(m => /attempt \d/.test(m)).length,
  served,
  ok,
  ...(error ? {error} : {})
};
console.log(
  `${sizeMiB} MiB over ${mbps} MB/s to ${registry} in ${chunkMiB ? `${chunkMiB} MiB` : 'rate-sized'} PATCHes: ${ok ? 'uploaded' : 'FAILED'} in ${result.seconds} s ` +
    `(${result.MBps} MB/s, deadline 60 s per request on progress), peak RSS ${result.peakRssMB} MB, ${result.retries} retries`
);
console.log(JSON.stringify(result));
process.exit(ok ? 0 : 1);
