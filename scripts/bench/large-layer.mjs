#!/usr/bin/env node
// Benchmark (not part of the test command): peak RSS and MB/s of our registry client uploading a
// random layer (generated on the fly) and copying it between two registries, against
// `regctl image copy` and `skopeo copy` of the same image between the same registries.
//
//   node scripts/bench/large-layer.mjs [--sizes 2048,5120] [--src host:port] [--dst host:port]
//
// Sizes in MiB (default 2 GiB and 5 GiB). Registries default to the bed's dev registry (source)
// and the same registry under the name `localhost:<port>` (target: so the copy really moves bytes
// instead of mounting). Both must be plain-http registries. Prints a table, then one JSON line.
// Each measurement runs in a child process of its own so its peak RSS (getrusage maxrss) is its own.
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

function bedDev() {
  const file = path.join(process.env.IMAGE_PUBLISH_BED_STATE || '/var/lib/image-publish-bed', 'bed.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')).devRegistry?.host;
}

const sizes = opt('sizes', '2048,5120').split(',').map(Number);
const src = opt('src', bedDev());
if (!src) throw new Error('no --src registry and no bed.json: run `bash scripts/test-bed.sh up` or pass --src');
const dst = opt('dst', src.replace(/^127\.0\.0\.1/, 'localhost'));

// Our client is TypeScript: compile src/registry once into a scratch directory.
const out = mkdtempSync(path.join(tmpdir(), 'bench-registry-'));
execFileSync(
  'npx',
  [
    'tsc',
    '--outDir',
    out,
    '--rootDir',
    path.join(root, 'src'),
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--target',
    'ES2022',
    '--types',
    'node',
    '--skipLibCheck',
    path.join(root, 'src/registry/copy.ts'),
    path.join(root, 'src/registry/random-blob.ts')
  ],
  {cwd: root, stdio: 'inherit'}
);
const lib = path.join(out, 'registry');

/** A child node process running `code`; returns its JSON result and its peak RSS. */
function child(code) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {encoding: 'utf8', maxBuffer: 1 << 24});
  if (r.status !== 0) throw new Error(`benchmark child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const tail = `const u = process.resourceUsage(); console.log(JSON.stringify({...result, peakRssMB: Math.round(u.maxRSS / 1024)}));`;

function ours(kind, mib, repo) {
  return child(`
    import {RegistryClient} from ${JSON.stringify(path.join(lib, 'client.js'))};
    import {copyImage} from ${JSON.stringify(path.join(lib, 'copy.js'))};
    import {randomBlob} from ${JSON.stringify(path.join(lib, 'random-blob.js'))};
    const size = ${mib} * 1024 * 1024;
    const s = new RegistryClient({registry: ${JSON.stringify(src)}, insecure: true});
    const d = new RegistryClient({registry: ${JSON.stringify(dst)}, insecure: true});
    let result;
    if (${JSON.stringify(kind)} === 'upload') {
      const blob = randomBlob(${JSON.stringify(repo)}, size);
      const digest = blob.digest();
      const {digestOf} = await import(${JSON.stringify(path.join(lib, 'client.js'))});
      const t0 = performance.now();
      await s.uploadBlob(${JSON.stringify(repo)}, digest, blob);
      const seconds = (performance.now() - t0) / 1000;
      const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
      await s.uploadBlob(${JSON.stringify(repo)}, digestOf(config), config);
      const manifest = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length},
        layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size}]}));
      await s.putManifest(${JSON.stringify(repo)}, 'v1', manifest, 'application/vnd.oci.image.manifest.v1+json');
      result = {seconds};
    } else {
      const digest = await s.manifestDigest(${JSON.stringify(repo)}, 'v1');
      const t0 = performance.now();
      await copyImage({client: s, repository: ${JSON.stringify(repo)}}, {client: d, repository: ${JSON.stringify(repo + '-ours')}}, digest);
      result = {seconds: (performance.now() - t0) / 1000};
    }
    ${tail}`);
}

/** An external tool under /usr/bin/time -f %M (peak RSS in KiB). */
function tool(argv) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], {encoding: 'utf8'});
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return {error: r.stderr.trim().split('\n').slice(-3).join(' ')};
  const kib = Number(r.stderr.trim().split('\n').at(-1));
  return {seconds, peakRssMB: Math.round(kib / 1024)};
}

const have = bin => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const rows = [];
for (const mib of sizes) {
  const repo = `bench/layer-${mib}m-${Date.now().toString(36)}`;
  const mb = (mib * 1024 * 1024) / 1e6;
  const add = (what, r) =>
    rows.push({sizeMiB: mib, what, ...r, MBps: r.seconds ? Math.round(mb / r.seconds) : undefined});
  add('ours: upload (chunked PATCH)', ours('upload', mib, repo));
  add('ours: copy across registries', ours('copy', mib, repo));
  if (have('regctl'))
    add('regctl image copy', tool(['regctl', 'image', 'copy', `${src}/${repo}:v1`, `${dst}/${repo}-regctl:v1`]));
  if (have('skopeo'))
    add(
      'skopeo copy',
      tool([
        'skopeo',
        'copy',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `docker://${src}/${repo}:v1`,
        `docker://${dst}/${repo}-skopeo:v1`
      ])
    );
}
const pad = (s, n) => String(s ?? '').padEnd(n);
console.log(`${pad('size', 8)}${pad('what', 32)}${pad('seconds', 10)}${pad('MB/s', 8)}${pad('peak RSS MB', 12)}`);
for (const r of rows) {
  console.log(
    `${pad(`${r.sizeMiB}M`, 8)}${pad(r.what, 32)}${pad(r.seconds?.toFixed(1), 10)}${pad(r.MBps, 8)}${pad(r.peakRssMB ?? r.error, 12)}`
  );
}
console.log(JSON.stringify({src, dst, rows}));
