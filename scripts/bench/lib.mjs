// Shared pieces of the benchmark: the bed, running dist/index.js as a runner does, timing child
// processes, alternating A/B pairs and the statistics. Plain node, no build step.
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist/index.js');
const FIXTURES = path.join(ROOT, '__tests__/fixtures/events');

export function loadBed() {
  const file = path.join(process.env.IMAGE_PUBLISH_BED_STATE || '/var/lib/image-publish-bed', 'bed.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}

export const uniq = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
export const tmp = prefix => mkdtempSync(path.join(os.tmpdir(), `bench-${prefix}-`));

function eventEnv(name) {
  const env = {};
  for (const line of readFileSync(path.join(FIXTURES, `${name}.env`), 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  env.GITHUB_EVENT_PATH = path.join(FIXTURES, `${name}.json`);
  return env;
}

/** The environment of the chain's tools: the bed's binaries first, its docker config, its CA. */
export function toolEnv(bed) {
  return {
    PATH: `${bed.binDir}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '/root',
    DOCKER_CONFIG: bed.docker.config,
    REGCTL_CONFIG: bed.regctlConfig,
    SSL_CERT_FILE: bed.caBundle,
    NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert
  };
}

/** As __tests__/integration/action-env.ts + run-dist.ts: INPUT_*, GITHUB_*, command files. */
export function actionEnv(bed, inputs, {event = 'ip_tag_v1.0.0', extra = {}} = {}) {
  const dir = tmp('runner');
  const env = {...toolEnv(bed), ...eventEnv(event), RUNNER_TEMP: dir, SOURCE_DATE_EPOCH: '1765965600'};
  for (const f of ['output', 'state', 'env', 'summary']) {
    const file = path.join(dir, f);
    writeFileSync(file, '');
    env[`GITHUB_${f === 'summary' ? 'STEP_SUMMARY' : f.toUpperCase()}`] = file;
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  return {env: {...env, ...extra}, dir};
}

export function parseCommandFile(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^([^<=]+)<<(.+)$/);
    if (!m) continue;
    const value = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/** Runs argv, resolves with {ms, stdout, stderr}; throws with the output on a non-zero exit. */
export function run(argv, {env, cwd = ROOT, input} = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {env, cwd, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0)
        reject(new Error(`${argv.join(' ')} exited ${code}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
      else resolve({ms, stdout, stderr});
    });
    child.stdin.end(input ?? '');
  });
}

/** dist/index.js as the runner runs it; returns the outputs, and the spans file when asked. */
export async function runAction(bed, inputs, opts = {}) {
  const {env, dir} = actionEnv(bed, inputs, opts);
  const spans = path.join(dir, 'spans.json');
  if (opts.spans) {
    env.BENCH_SPANS_FILE = spans;
    env.NODE_OPTIONS = `--require ${path.join(ROOT, 'scripts/bench/spans.cjs')}`;
  }
  let r;
  try {
    r = await run([process.execPath, DIST], {env});
  } catch (e) {
    throw new Error(`action (${JSON.stringify(inputs.mode ?? 'publish')}): ${e.message}`);
  }
  const outputs = parseCommandFile(readFileSync(env.GITHUB_OUTPUT, 'utf8'));
  if (/^::error::/m.test(r.stdout)) throw new Error(`action reported an error:\n${r.stdout.slice(-3000)}`);
  const state = parseCommandFile(readFileSync(env.GITHUB_STATE, 'utf8'));
  return {
    ms: r.ms,
    outputs,
    state,
    stdout: r.stdout,
    spans: opts.spans ? JSON.parse(readFileSync(spans, 'utf8')) : undefined
  };
}

/** A build context whose content is new for every call: nothing can come from an earlier run. */
export function context(bed, text = uniq()) {
  const dir = tmp('ctx');
  writeFileSync(path.join(dir, 'hello.txt'), `${text}\n`);
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${bed.images.clean.ref}\nCOPY hello.txt /hello.txt\nUSER 1001\n`);
  return dir;
}

export const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function stats(xs) {
  return {median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length, samples: xs};
}

/**
 * Alternates the sides over `pairs` rounds (ABC, then CBA, ...) so that the load other engineers put
 * on the machine hits every side alike. Each side returns {ms, ...extra}; extras are kept per sample.
 */
export async function alternate(pairs, sides, log = () => {}) {
  const names = Object.keys(sides);
  const out = Object.fromEntries(names.map(n => [n, {ms: [], extra: []}]));
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) {
      const r = await sides[n](i);
      out[n].ms.push(r.ms);
      out[n].extra.push(r);
      log(`  pair ${i + 1}/${pairs} ${n}: ${r.ms.toFixed(0)} ms`);
    }
  }
  return out;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    freeGiB: +(os.freemem() / 2 ** 30).toFixed(1),
    loadavg: os.loadavg().map(x => +x.toFixed(2)),
    node: process.version,
    kernel: os.release()
  };
}

export function writeJson(file, value) {
  mkdirSync(path.dirname(file), {recursive: true});
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
