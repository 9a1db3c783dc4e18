import {warning} from '../report/commands.js';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {availableParallelism, tmpdir} from 'node:os';
import path from 'node:path';
import {runTool} from '../tools/exec.js';
import {probe} from '../tools/probe.js';
import {TOOLS} from '../tools/versions.js';
import {
  neutralTrivyEnv,
  platformSlug,
  reportFileName,
  sbomFileName,
  trivyConvertArgs,
  trivyDbArgs,
  trivyScanArgs,
  trivyVersionArgs
} from './trivy-args.js';
import {inventoryOnly, parseTrivyReport, type Finding} from './trivy-report.js';
import * as log from '../report/log.js';

export interface TrivyDbOptions {
  cacheDir: string;
  /** Mirrors in order of preference; empty: trivy's defaults (mirror.gcr.io, then ghcr.io). */
  dbRepositories: string[];
  insecure: boolean;
  env?: Record<string, string>;
  /**
   * Use a DB already in the cache as it is (offline runs, a DB restored by actions/cache).
   * Without it trivy decides: it downloads unless the cached DB is fresh (NextUpdate ahead and
   * downloaded within the hour). A missing DB is downloaded either way: scans cannot run without.
   */
  skipUpdate?: boolean;
}

export interface PlatformScan {
  platform: string;
  ref: string;
  /** Path of trivy's JSON report. */
  report: string;
  /** Path of the SBOM, unless sbomFormat was 'none'. */
  sbom?: string;
  os?: string;
  findings: Finding[];
  packageCount: number;
}

export interface ScanOptions {
  outDir: string;
  cacheDir: string;
  insecure: boolean;
  sbomFormat: 'spdx-json' | 'cyclonedx' | 'none';
  env?: Record<string, string>;
  /** Scans at once (default 2): each one pulls the image's layers and holds them in memory. */
  concurrency?: number;
}

const trivyEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  ...neutralTrivyEnv(process.env),
  ...extra
});

export function dbMetadataPath(cacheDir: string): string {
  return path.join(cacheDir, 'db', 'metadata.json');
}

/** What a quiet DB fetch would have printed, for the scan phase to print in its own group. */
export interface DbTranscript {
  /** The commands and their output, as runTool relays them. */
  output: string;
  /** One line per mirror that failed before one answered. */
  failedMirrors: string[];
}

/**
 * Fetch the vulnerability DB once per run; every scan then runs with --skip-db-update. `quiet`
 * (a fetch beside the build, see prefetchTrivyDb) prints nothing: it returns what it would have
 * printed.
 */
export async function prepareTrivyDb(trivy: string, o: TrivyDbOptions, quiet = false): Promise<DbTranscript> {
  const meta = dbMetadataPath(o.cacheDir);
  const transcript: DbTranscript = {output: '', failedMirrors: []};
  if (o.skipUpdate && existsSync(meta)) {
    const text = `trivy: using the vulnerability DB in ${o.cacheDir} as it is (no update)`;
    if (quiet) transcript.output = `${text}\n`;
    else log.info(text);
    return transcript;
  }
  // One call per mirror: trivy itself only moves on after a temporary error (429, 5xx), not
  // after a missing repository, a refused connection or a denied pull.
  const attempts = o.dbRepositories.length ? o.dbRepositories.map(r => [r]) : [[]];
  const errors: string[] = [];
  for (const repos of attempts) {
    const from = repos[0] ?? "trivy's default repositories";
    const args = trivyDbArgs({cacheDir: o.cacheDir, dbRepositories: repos, insecure: o.insecure});
    if (quiet) transcript.output += `[command]${[trivy, ...args].join(' ')}\n`;
    try {
      const out = await runTool(trivy, args, {
        env: trivyEnv(o.env),
        label: `trivy DB download from ${from}`,
        silent: quiet
      });
      if (quiet) transcript.output += out.stdout + out.stderr;
      if (!existsSync(meta)) throw new Error(`trivy exited 0 but wrote no ${meta}`);
      transcript.failedMirrors = errors.map(e => `trivy DB: ${e.split('\n')[0]}`);
      return transcript;
    } catch (e) {
      if (quiet) transcript.output += `${(e as Error).message}\n`;
      errors.push(`${from}: ${(e as Error).message}`);
      if (!quiet && repos !== attempts[attempts.length - 1]) {
        warning(`trivy DB: ${from} failed, trying the next mirror`);
      }
    }
  }
  throw new Error(`trivy vulnerability DB could not be downloaded:\n${errors.join('\n')}`);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (e) {
        // Start nothing new; scans already running finish, then the first error is thrown.
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return out;
}

async function scanOne(
  trivy: string,
  s: {platform: string; ref: string; input?: boolean},
  o: ScanOptions,
  env: Record<string, string>
): Promise<PlatformScan> {
  const report = path.join(o.outDir, reportFileName(s.platform));
  await runTool(
    trivy,
    trivyScanArgs({
      ref: s.ref,
      input: s.input,
      output: report,
      format: 'json',
      cacheDir: o.cacheDir,
      insecure: o.insecure
    }),
    {
      env,
      label: `trivy image (${s.platform})`
    }
  );
  const text = await readFile(report, 'utf8');
  const parsed = parseTrivyReport(text, report);
  const result: PlatformScan = {platform: s.platform, ref: s.ref, report, ...parsed};
  if (o.sbomFormat === 'none') return result;
  // The SBOM comes from the report just written: the image is fetched once per platform and
  // the SBOM lists exactly the packages that were scanned.
  const tmp = await mkdtemp(path.join(tmpdir(), 'image-publish-sbom-'));
  try {
    const inventory = path.join(tmp, 'inventory.json');
    await writeFile(inventory, inventoryOnly(text, report));
    const sbom = path.join(o.outDir, sbomFileName(s.platform, o.sbomFormat));
    await runTool(trivy, trivyConvertArgs({report: inventory, output: sbom, format: o.sbomFormat}), {
      env,
      label: `trivy convert (${s.platform})`
    });
    return {...result, sbom};
  } finally {
    await rm(tmp, {recursive: true, force: true});
  }
}

/** Scan each platform manifest (repo@sha256:…) in the registry, with an SBOM each, in parallel (bounded by the cores). */
export async function scanPlatforms(
  trivy: string,
  scans: {platform: string; ref: string; input?: boolean}[],
  o: ScanOptions
): Promise<PlatformScan[]> {
  // Each scan is CPU-bound (decompressing layers, matching packages): one per core.
  const concurrency = o.concurrency ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`trivy: concurrency must be a whole number >= 1, got ${concurrency}`);
  }
  const slugs = scans.map(s => platformSlug(s.platform));
  const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
  // Two platforms sharing a file name would overwrite each other's report.
  if (dup) throw new Error(`trivy: two platforms would write the same report file (${dup})`);
  await mkdir(o.outDir, {recursive: true});
  const env = trivyEnv(o.env);
  return mapLimit(scans, concurrency, s => scanOne(trivy, s, o, env));
}

/**
 * "0.74.0": from the `trivy --version` the installer already ran (one probe per run), else as
 * `trivy version --format json` reports it.
 */
export async function trivyVersion(trivy: string): Promise<string> {
  const plain = await probe(trivy, TOOLS.trivy.versionArgs, {env: trivyEnv(), label: 'trivy --version'}).then(
    o => TOOLS.trivy.parseVersion(o.stdout),
    () => undefined
  );
  if (plain) return plain.replace(/^v/, '');
  const {stdout} = await probe(trivy, trivyVersionArgs(), {env: trivyEnv(), label: 'trivy version'});
  let version: unknown;
  try {
    version = (JSON.parse(stdout) as {Version?: unknown}).Version;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string' || !version) throw new Error(`trivy version: unexpected output ${stdout.trim()}`);
  return version;
}
