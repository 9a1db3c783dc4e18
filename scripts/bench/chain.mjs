#!/usr/bin/env node
// `npm run bench` (not part of the test command): image-publish (dist/index.js, run as a runner runs
// it) against the chain it replaces (metadata-action → build-push-action → trivy-action →
// sbom-action → cosign), on the test bed, with the same binaries (the bed's buildx, trivy, cosign,
// regctl) and the same builder. Sides alternate (A B C, C B A, ...) over BENCH_PAIRS rounds
// (default 5) so the load of other users hits all of them. BENCH_CASES narrows the cases
// (comma list of: publish, promote, own, load, cache, multi). Prints a table, writes
// BENCH_OUT (default bench-results.json).
//
// The chain's tag step is `node dist/index.js` with dry-run: true and the same tag inputs:
// metadata-action cannot be fetched offline, and its tag logic is ours (the same node start-up
// and tag computation is what a metadata-action step costs).
import path from 'node:path';
import {readFileSync, writeFileSync} from 'node:fs';
import {
  DIST,
  ROOT,
  actionEnv,
  alternate,
  context,
  loadBed,
  machine,
  run,
  runAction,
  stats,
  tmp,
  toolEnv,
  uniq,
  writeJson
} from './lib.mjs';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const CASES = (process.env.BENCH_CASES ?? 'publish,promote,load,own,cache,multi').split(',').map(s => s.trim());
const OUT = path.resolve(process.env.BENCH_OUT ?? path.join(ROOT, 'bench-results.json'));
const PLATFORMS = 'linux/amd64,linux/arm64';
const say = m => process.stderr.write(`${m}\n`);

const bed = loadBed();
const dev = bed.devRegistry.host;
const prod = bed.prodRegistry.host;
const ggcr = bed.referrersRegistries.ggcr.host;
const tenv = toolEnv(bed);
const bin = name => path.join(bed.binDir, name);
const trivyCache = path.join(tmp('trivy'), 'cache');
const keyFile = bed.cosign.key;
const pubFile = bed.cosign.pub;
const cosignEnv = {...tenv, COSIGN_PASSWORD: bed.cosign.password};
const insecureFlags = ['--allow-insecure-registry', '--allow-http-registry'];
const auth = `- registry: ${prod}\n  username: ${bed.prodRegistry.username}\n  password: ${bed.prodRegistry.password}\n`;

/** Inputs of a publish by the action; the chain gets the same tags, platforms and context. */
function actionInputs(images, ctx, extra = {}) {
  return {
    images: images.join('\n'),
    tags: 'type=raw,value=v1',
    flavor: 'latest=false',
    platforms: PLATFORMS,
    context: ctx,
    file: path.join(ctx, 'Dockerfile'),
    builder: bed.buildkit.builder,
    provenance: 'false',
    'no-cache': 'true',
    'insecure-registries': [dev, ggcr].join(','),
    'registry-auth': auth,
    scan: 'true',
    'trivy-db-repository': bed.trivy.dbRepository,
    'trivy-cache-dir': trivyCache,
    'cosign-key': readFileSync(keyFile, 'utf8'),
    'cosign-password': bed.cosign.password,
    // The chain verifies with the public key file; so does the action, unless BENCH_DERIVED_KEY=1
    // (then it derives the key from cosign-key, as a run given only the private key does).
    ...(process.env.BENCH_DERIVED_KEY === '1' ? {} : {'cosign-public-key': pubFile}),
    'tlog-upload': 'false',
    ...extra
  };
}

const tagStep = (images, ctx) => runAction(bed, {...actionInputs(images, ctx), 'dry-run': 'true'});

async function buildxPush(refs, ctx, extra = []) {
  const meta = path.join(tmp('meta'), 'metadata.json');
  await run(
    [
      bin('buildx'),
      'build',
      '--builder',
      bed.buildkit.builder,
      '--platform',
      PLATFORMS,
      '--provenance=false',
      ...extra,
      ...refs.flatMap(r => ['-t', r]),
      '--push',
      '--metadata-file',
      meta,
      ctx
    ],
    {env: tenv}
  );
  return JSON.parse(readFileSync(meta, 'utf8'))['containerimage.digest'];
}

async function platformDigests(ref) {
  const {stdout} = await run([bin('regctl'), 'manifest', 'get', '--format', 'raw-body', ref], {env: tenv});
  return JSON.parse(stdout)
    .manifests.filter(m => m.platform?.architecture !== 'unknown')
    .map(m => m.digest);
}

const trivy = (ref, format, out) =>
  run(
    [
      bin('trivy'),
      'image',
      '--cache-dir',
      trivyCache,
      '--skip-db-update',
      '--skip-java-db-update',
      '--skip-version-check',
      '--disable-telemetry',
      '--no-progress',
      '--image-src',
      'remote',
      '--insecure',
      '--format',
      format,
      '--output',
      out,
      ref
    ],
    {env: tenv}
  );
const cosign = args => run([bin('cosign'), ...args], {env: cosignEnv});
const sign = ref =>
  cosign([
    'sign',
    '--key',
    keyFile,
    '--tlog-upload=false',
    '--use-signing-config=false',
    '--recursive',
    ...insecureFlags,
    '--yes',
    ref
  ]);
const verify = ref => cosign(['verify', '--key', pubFile, '--insecure-ignore-tlog', ...insecureFlags, ref]);

/** The chain: tag step, build-push, trivy, (sbom, attest, verify when `equal`). */
async function chainPublish(images, ctx, equal) {
  const t0 = performance.now();
  await tagStep(images, ctx);
  const digest = await buildxPush(
    images.map(i => `${i}:v1`),
    ctx,
    ['--no-cache']
  );
  const index = `${images[0]}@${digest}`;
  const out = tmp('chain-out');
  // trivy-action fetches the DB in each job (the bed's DB is past its NextUpdate), as the action does.
  await warmTrivy();
  if (!equal) {
    // trivy-action as usually written: one scan of the pushed tag (trivy picks the host platform).
    await trivy(`${images[0]}:v1`, 'json', path.join(out, 'report.json'));
    for (const i of images) await sign(`${i}@${digest}`);
    return {ms: performance.now() - t0, digest};
  }
  const platforms = await platformDigests(index);
  for (const [n, d] of platforms.entries()) await trivy(`${images[0]}@${d}`, 'json', path.join(out, `r${n}.json`));
  for (const [n, d] of platforms.entries()) await trivy(`${images[0]}@${d}`, 'spdx-json', path.join(out, `s${n}.json`));
  for (const i of images) await sign(`${i}@${digest}`);
  for (const i of images)
    for (const [n, d] of platforms.entries())
      await cosign([
        'attest',
        '--key',
        keyFile,
        '--tlog-upload=false',
        '--use-signing-config=false',
        '--type',
        'spdxjson',
        '--predicate',
        path.join(out, `s${n}.json`),
        ...insecureFlags,
        '--yes',
        `${i}@${d}`
      ]);
  for (const i of images) for (const d of [digest, ...platforms]) await verify(`${i}@${d}`);
  for (const i of images)
    for (const d of platforms)
      await cosign([
        'verify-attestation',
        '--key',
        pubFile,
        '--type',
        'spdxjson',
        '--insecure-ignore-tlog',
        ...insecureFlags,
        `${i}@${d}`
      ]);
  return {ms: performance.now() - t0, digest};
}

const action = async (images, ctx, extra, opts = {}) => {
  const r = await runAction(bed, actionInputs(images, ctx, extra), {spans: true, ...opts});
  return {
    ms: r.ms,
    digest: r.outputs.digest,
    outputs: r.outputs,
    own: r.spans?.own,
    processes: r.spans?.processes,
    spans: r.spans?.spans,
    state: r.state
  };
};

const results = {};
const table = [];
function row(measure, a, aName, b, bName, unit = 'ms') {
  const A = stats(a);
  const B = b ? stats(b) : undefined;
  const entry = {
    measure,
    unit,
    a: {name: aName, ...A},
    b: B && {name: bName, ...B},
    ratio: B ? A.median / B.median : undefined
  };
  table.push(entry);
  return entry;
}
const ms = xs => xs.ms;

async function warmTrivy() {
  await run(
    [
      bin('trivy'),
      'image',
      '--download-db-only',
      '--cache-dir',
      trivyCache,
      '--db-repository',
      bed.trivy.dbRepository,
      '--insecure',
      '--skip-version-check',
      '--disable-telemetry',
      '--no-progress'
    ],
    {env: tenv}
  );
}

async function casePublish() {
  say('publish: 2 platforms, scan + SBOM + sign (+ attest + verify)');
  const repo = () => [`${dev}/bench/pub-${uniq()}`];
  const r = await alternate(
    PAIRS,
    {
      action: () => action(repo(), context(bed)),
      'chain (usual)': () => chainPublish(repo(), context(bed), false),
      'chain (equal work)': () => chainPublish(repo(), context(bed), true)
    },
    say
  );
  results.publish = r;
  row(
    '2-platform publish vs chain doing equal work',
    ms(r.action),
    'image-publish',
    ms(r['chain (equal work)']),
    'chain: build, 2 scans, 2 SBOMs, sign, 2 attest, 3 verify, 2 verify-attestation'
  );
  row(
    '2-platform publish vs chain as usually written',
    ms(r.action),
    'image-publish',
    ms(r['chain (usual)']),
    'chain: build+push, trivy, sign'
  );
  row(
    'own time in a publish (wall minus child processes)',
    r.action.extra.map(x => x.own),
    'image-publish'
  );
  row(
    'child processes in a publish',
    r.action.extra.map(x => x.processes),
    'image-publish',
    undefined,
    undefined,
    'count'
  );
}

/** A signed source image, built once by the action (not timed). */
async function signedSource() {
  const src = `${dev}/bench/src-${uniq()}`;
  const r = await action([src], context(bed), {scan: 'false'});
  return `${src}@${r.digest}`;
}

async function casePromote() {
  say('promote: within a registry and across registries');
  const source = await signedSource();
  const promoteInputs = target => ({
    ...actionInputs([target], ROOT, {scan: 'false'}),
    mode: 'promote',
    source,
    version: '1.0.0',
    tags: 'type=semver,pattern={{version}},prefix=v'
  });
  const promoteAction = async target => {
    const r = await runAction(bed, promoteInputs(target), {event: 'ip_dispatch', spans: true});
    const promoted = JSON.parse(r.outputs.promoted ?? '{}');
    const bytes = Object.values(promoted.targets ?? {}).reduce((n, t) => n + (t.bytesUploaded ?? 0), 0);
    return {ms: r.ms, bytes, own: r.spans.own, spans: r.spans.spans};
  };
  const copy = target =>
    run([bin('regctl'), 'image', 'copy', '--digest-tags', '--referrers', source, `${target}:v1.0.0`], {env: tenv});
  const careful = async target => {
    const t0 = performance.now();
    await verify(source);
    await copy(target);
    await verify(`${target}@${source.split('@')[1]}`);
    return {ms: performance.now() - t0};
  };
  for (const [name, host] of [
    ['within a registry', dev],
    ['across registries', prod]
  ]) {
    const target = () => `${host}/bench/promo-${uniq()}`;
    const r = await alternate(
      PAIRS,
      {
        action: () => promoteAction(target()),
        careful: () => careful(target()),
        'regctl image copy': async () => ({ms: (await copy(target())).ms})
      },
      say
    );
    results[`promote ${name}`] = r;
    row(
      `promotion ${name} vs cosign verify + regctl image copy + cosign verify`,
      ms(r.action),
      'image-publish',
      ms(r.careful),
      'careful chain'
    );
    row(
      `promotion ${name} vs bare regctl image copy`,
      ms(r.action),
      'image-publish',
      ms(r['regctl image copy']),
      'regctl image copy --referrers --digest-tags'
    );
    row(
      `promotion ${name}: bytes uploaded`,
      r.action.extra.map(x => x.bytes),
      'image-publish',
      undefined,
      undefined,
      'bytes'
    );
  }
}

async function caseLoad() {
  say('bundle load: dry-run, post step, node -e 0');
  const ctx = context(bed);
  const {env} = actionEnv(bed, {}, {extra: {STATE_isPost: 'true', STATE_cleanup: '{}'}});
  const r = await alternate(
    PAIRS,
    {
      'dry-run': async () => ({ms: (await tagStep([`${dev}/bench/dry`], ctx)).ms}),
      post: async () => ({ms: (await run([process.execPath, DIST], {env})).ms}),
      'node -e 0': async () => ({ms: (await run([process.execPath, '-e', '0'])).ms})
    },
    say
  );
  results.load = r;
  row('dry-run (whole plan, no registry)', ms(r['dry-run']), 'image-publish', ms(r['node -e 0']), 'node -e 0');
  row('post step (no builder, no credentials to remove)', ms(r.post), 'image-publish', ms(r['node -e 0']), 'node -e 0');
}

async function caseOwn() {
  say('own time: publish without scan/sign (registry work + orchestration only)');
  const r = await alternate(
    PAIRS,
    {action: () => action([`${dev}/bench/own-${uniq()}`], context(bed), {scan: 'false', 'cosign-key': ''})},
    say
  );
  results.own = r;
  row(
    'own time, build + push + tag only',
    r.action.extra.map(x => x.own),
    'image-publish'
  );
}

/**
 * A build with work for a cache to save: a CPU loop (under QEMU for arm64) and a 16 MB layer
 * written by RUN, on the bed's busybox base. The COPY-only bench image builds in about a second,
 * so a cache has nothing to save there.
 */
function contextWithRunSteps() {
  const dir = context(bed);
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      `FROM ${bed.images.busybox.ref}`,
      'RUN i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done; echo $i > /count',
      'RUN head -c 16777216 /dev/urandom > /data.bin',
      'COPY hello.txt /hello.txt',
      'USER 1001',
      ''
    ].join('\n')
  );
  return dir;
}

async function caseCache() {
  say('cache: unchanged-source rebuild with a registry cache vs a cold build (RUN steps)');
  const ctx = contextWithRunSteps();
  const cacheRef = `${dev}/bench/cache-${uniq()}:buildcache`;
  const cache = {
    'cache-from': `type=registry,ref=${cacheRef}`,
    'cache-to': `type=registry,ref=${cacheRef},mode=max`,
    scan: 'false',
    'cosign-key': '',
    'no-cache': 'false'
  };
  await action([`${dev}/bench/cache-warm-${uniq()}`], ctx, cache);
  const r = await alternate(
    PAIRS,
    {
      'cached rebuild': () => action([`${dev}/bench/cached-${uniq()}`], ctx, cache),
      'cold build': () =>
        action([`${dev}/bench/cold-${uniq()}`], ctx, {scan: 'false', 'cosign-key': '', 'no-cache': 'true'})
    },
    say
  );
  results.cache = r;
  row(
    'unchanged-source rebuild, registry cache vs cold (--no-cache)',
    ms(r['cached rebuild']),
    'cached',
    ms(r['cold build']),
    'cold'
  );
}

async function caseMulti() {
  say('multi: one publish to three registries');
  const repos = () => {
    const u = uniq();
    return [`${dev}/bench/multi-${u}`, `${prod}/bench/multi-${u}`, `${ggcr}/bench/multi-${u}`];
  };
  const r = await alternate(
    PAIRS,
    {action: () => action(repos(), context(bed)), 'chain (usual)': () => chainPublish(repos(), context(bed), false)},
    say
  );
  results.multi = r;
  row(
    'publish to three registries (scan + SBOM + sign + attest + verify) vs usual chain',
    ms(r.action),
    'image-publish',
    ms(r['chain (usual)']),
    'chain: build+push ×3 tags, trivy, sign ×3'
  );
}

const fmt = (v, unit) =>
  v === undefined ? '' : unit === 'ms' ? `${(v / 1000).toFixed(2)} s` : unit === 'bytes' ? `${v} B` : String(v);
function printTable(m) {
  const lines = [
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, load ${m.loadStart.join(' ')} → ${m.loadEnd.join(' ')}; node ${m.node}; ${PAIRS} alternating pairs, median [min–max]`,
    '',
    '| measure | image-publish | reference | ratio |',
    '|---|---|---|---|'
  ];
  for (const e of table) {
    const a = `${fmt(e.a.median, e.unit)} [${fmt(e.a.min, e.unit)}–${fmt(e.a.max, e.unit)}]`;
    const b = e.b ? `${e.b.name}: ${fmt(e.b.median, e.unit)} [${fmt(e.b.min, e.unit)}–${fmt(e.b.max, e.unit)}]` : '—';
    lines.push(`| ${e.measure} | ${a} | ${b} | ${e.ratio === undefined ? '—' : e.ratio.toFixed(2) + '×'} |`);
  }
  return lines.join('\n');
}

const m = {...machine(), loadStart: machine().loadavg};
const started = performance.now();
/** Written after every case, so a run cut short keeps what it measured. */
function write() {
  m.loadEnd = machine().loadavg;
  m.totalSeconds = +((performance.now() - started) / 1000).toFixed(1);
  const text = printTable(m);
  writeJson(OUT, {machine: m, pairs: PAIRS, cases: CASES, table, raw: results});
  writeFileSync(OUT.replace(/\.json$/, '.md'), text + '\n');
  return text;
}
await warmTrivy();
const cases = {
  publish: casePublish,
  promote: casePromote,
  own: caseOwn,
  load: caseLoad,
  cache: caseCache,
  multi: caseMulti
};
for (const c of CASES)
  if (!cases[c]) throw new Error(`BENCH_CASES: unknown case "${c}" (known: ${Object.keys(cases).join(', ')})`);
for (const c of CASES) {
  try {
    await cases[c]();
  } catch (e) {
    // One failing case (a registry hiccup on a shared bed) does not cost the others' numbers.
    say(`case ${c} failed: ${e.message.slice(0, 2000)}`);
    (m.failed ??= []).push(c);
  }
  write();
}
console.log(write());
say(`written ${OUT} (${m.totalSeconds} s)`);
